package fr.actionlogement.territorial.conventions.persistence;

import java.util.Set;

/**
 * Filters of the convention collection, plus the caller's visibility: {@code allVisible} (UESL), or the region of
 * a délégué, or the party keys ({@code CIL:<siren>}, {@code COLLECTIVITE:<id>}) of a CIL or authority user.
 */
public record ConventionFilter(String territoryId, String status, String cilId, String campaignId, Integer year,
        boolean allVisible, String visibleRegion, Set<String> visiblePartyKeys) {
}
