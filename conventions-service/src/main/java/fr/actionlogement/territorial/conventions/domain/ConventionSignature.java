package fr.actionlogement.territorial.conventions.domain;

import java.time.Instant;
import java.time.LocalDate;

/**
 * one party's signature of a convention: on whose behalf ({@code partyType}/{@code partyId}, the signatory),
 * when ({@code signedOn}, never in the future), who recorded it ({@code signedBy}, the user's subject) and whether
 * that user signed for its own party or recorded the signature on the party's behalf ({@code onBehalf}: the UESL
 * recording a party's signed copy).
 */
public record ConventionSignature(PartyType partyType, String partyId, LocalDate signedOn, String signedBy,
        boolean onBehalf, Instant recordedAt) {

    public String partyKey() {
        return partyType + ":" + partyId;
    }
}
