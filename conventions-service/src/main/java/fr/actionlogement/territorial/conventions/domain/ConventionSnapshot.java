package fr.actionlogement.territorial.conventions.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** The whole state of a convention version, as stored and as read back (R-14: every version stays readable). */
public record ConventionSnapshot(
        String conventionId,
        ConventionKind kind,
        String campaignId,
        String territoryId,
        String territoryName,
        String regionCode,
        List<String> coveredTerritoryIds,
        String conferenceTerritorialeId,
        String templateId,
        int templateVersion,
        ConventionStatus status,
        int version,
        RegionalConference regionalConference,
        ConventionContent content,
        List<Achievement> achievements,
        String proposedBy,
        Instant proposedAt,
        LocalDate signedOn,
        String signatureJustification,
        Evaluation evaluation,
        LocalDate terminatedOn,
        String terminationReason,
        /* the parties' signatures so far (null in documents stored before signatures were recorded) */
        List<ConventionSignature> signatures,
        /* the UESL's decisions (null in documents stored before decisions were records) */
        List<UeslDecision> ueslDecisions) {
}
