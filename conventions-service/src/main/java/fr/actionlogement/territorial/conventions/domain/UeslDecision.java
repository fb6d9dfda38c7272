package fr.actionlogement.territorial.conventions.domain;

import java.time.Instant;
import java.time.LocalDate;

/**
 * a decision of the UESL recorded on a convention: its author (a UESL user's subject), the date of the
 * decision, its reasons, and for a concertation the party it admits ({@code partyType}/{@code partyId}). The rules
 * that need a decision read these records. {@code decidedBy} is null only for decisions carried over from
 * conventions stored before decisions were records (their free-text concertation or request flag).
 */
public record UeslDecision(String decisionId, UeslDecisionType type, PartyType partyType, String partyId,
        String reasons, LocalDate decidedOn, String decidedBy, Instant recordedAt) {

    /** The party a concertation admits, as {@code TYPE:id}; null for a request to sign. */
    public String partyKey() {
        return partyType == null ? null : partyType + ":" + partyId;
    }
}
