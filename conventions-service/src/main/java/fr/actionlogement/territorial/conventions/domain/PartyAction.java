package fr.actionlogement.territorial.conventions.domain;

import java.util.List;

/** what one party (signatory or partner, by {@code partyType:partyId}) does for priority publics. */
public record PartyAction(String partyKey, Device device, List<PublicPrioritaire> publics, String description) {
}
