package fr.actionlogement.territorial.partnerships.api;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import fr.actionlogement.territorial.partnerships.domain.AgreementStatus;
import fr.actionlogement.territorial.partnerships.domain.InvestmentKind;
import fr.actionlogement.territorial.partnerships.domain.PartyType;
import fr.actionlogement.territorial.partnerships.domain.SignatorySide;
import fr.actionlogement.territorial.partnerships.domain.UeslReview;
import fr.actionlogement.territorial.partnerships.persistence.AgreementEntity;
import fr.actionlogement.territorial.partnerships.persistence.DocumentEntity;
import fr.actionlogement.territorial.partnerships.persistence.NotificationEntity;
import fr.actionlogement.territorial.partnerships.persistence.SignatureLine;
import fr.actionlogement.territorial.partnerships.persistence.UeslDecisionLine;

/** Response bodies of the agreements API. */
public final class AgreementViews {

    private AgreementViews() {
    }

    @Schema(name = "Investment")
    public record InvestmentView(InvestmentKind kind, @Schema(examples = "250000") BigDecimal amount,
            String description) {
    }

    @Schema(name = "StatusChange")
    public record StatusChangeView(AgreementStatus from, AgreementStatus to, OffsetDateTime at, String by,
            String reason) {
    }

    @Schema(name = "AgreementSignature", description = "R-24: one side's signature")
    public record SignatureView(@Schema(examples = "AUTHORITY") SignatorySide side,
            @Schema(description = "The party signed for: CIL:<siren>, FILIALE:<siren>, COLLECTIVITE:<id>, FONCIERE_LOGEMENT, APAGL", examples = "COLLECTIVITE:200046977") String onBehalfOf,
            @Schema(examples = "2026-03-15") LocalDate signedOn,
            @Schema(description = "Who recorded it (token subject): the party's user or client, or a UESL/admin user on its behalf") String signedBy,
            OffsetDateTime recordedAt) {

        static SignatureView of(SignatureLine l) {
            return new SignatureView(l.side, l.onBehalfOf, l.signedOn, l.signedBy, l.recordedAt);
        }
    }

    @Schema(name = "UeslDecisionRecord", description = "R-25: the UESL's recorded choice to stay out of (or join) a national body's agreement")
    public record UeslDecisionView(UUID decisionId, @Schema(examples = "true") boolean staysOut,
            @Schema(examples = "2026-02-01") LocalDate decidedOn, String decidedBy, String reasons,
            OffsetDateTime recordedAt) {

        static UeslDecisionView of(UeslDecisionLine l) {
            return new UeslDecisionView(l.decisionId, l.staysOut, l.decidedOn, l.decidedBy, l.reasons, l.recordedAt);
        }
    }

    @Schema(name = "Document", description = "One version of the agreement's draft document")
    public record DocumentView(UUID documentId, UUID agreementId, @Schema(examples = "1") int version,
            @Schema(examples = "projet-convention.pdf") String fileName,
            @Schema(examples = "application/pdf") String contentType, long sizeBytes,
            @Schema(description = "SHA-256 of the content, hex", examples = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08") String sha256,
            String uploadedBy, OffsetDateTime uploadedAt,
            @Schema(description = "Download link", examples = "/api/partnerships/agreements/6f1c.../documents/1/content") String href) {

        static DocumentView of(DocumentEntity d) {
            return new DocumentView(d.id, d.agreementId, d.version, d.fileName, d.contentType, d.sizeBytes, d.sha256,
                    d.uploadedBy, d.uploadedAt, href(d));
        }

        static String href(DocumentEntity d) {
            return "/api/partnerships/agreements/" + d.agreementId + "/documents/" + d.version + "/content";
        }
    }

    @Schema(name = "Agreement", description = "An individual partnership agreement with a local authority")
    public record AgreementView(
            UUID id,
            @Schema(examples = "CIL") PartyType partyType,
            @Schema(examples = "314159265") String cilId,
            String filialeId,
            @Schema(examples = "200046977") String collectiviteId,
            @Schema(examples = "EPCI:200046977") String territoryId,
            @Schema(examples = "Métropole de Lyon") String authorityName,
            @Schema(examples = "84") String regionCode,
            String object,
            LocalDate startDate,
            int durationMonths,
            boolean exclusivity,
            String exclusivityScope,
            List<InvestmentView> investments,
            @Schema(examples = "PENDING_UESL_APPROVAL") AgreementStatus status,
            @Schema(description = "R-21 prior approval of the exclusivity clause") UeslReview exclusivityApproval,
            @Schema(description = "R-22 approval or opinion on the planned investments") UeslReview investmentOpinion,
            String ueslExclusivityReasons,
            String ueslInvestmentOpinion,
            LocalDate signedOn,
            LocalDate endedOn,
            DocumentView latestDocument,
            List<StatusChangeView> statusHistory,
            String createdBy,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt,
            @Schema(description = "Same as the ETag") long version,
            @Schema(description = "R-24: the sides' signatures so far; SIGNED when both are there") List<SignatureView> signatures,
            @Schema(description = "R-24: the sides still to sign while APPROVED") List<SignatorySide> missingSignatures,
            @Schema(description = "R-25: the UESL's decisions on a national body's agreement, oldest first; the last applies") List<UeslDecisionView> ueslDecisions) {

        static AgreementView of(AgreementEntity a, DocumentEntity latest) {
            return new AgreementView(a.id, a.partyType, a.cilId, a.filialeId, a.collectiviteId, a.territoryId,
                    a.authorityName, a.regionCode, a.object, a.startDate, a.durationMonths, a.exclusivity,
                    a.exclusivityScope,
                    a.investments.stream().map(i -> new InvestmentView(i.kind, i.amount, i.description)).toList(),
                    a.status, a.exclusivityApproval, a.investmentOpinion, a.ueslExclusivityReasons,
                    a.ueslInvestmentOpinion, a.signedOn, a.endedOn, latest == null ? null : DocumentView.of(latest),
                    a.statusHistory.stream()
                            .map(c -> new StatusChangeView(c.fromStatus, c.toStatus, c.changedAt, c.changedBy, c.reason))
                            .toList(),
                    a.createdBy, a.createdAt, a.updatedAt, a.version,
                    a.signatures.stream().map(SignatureView::of).toList(),
                    a.status == AgreementStatus.APPROVED ? a.toDomain().missingSignatures() : List.of(),
                    a.ueslDecisions.stream().map(UeslDecisionView::of).toList());
        }
    }

    @Schema(name = "DelegueNotification", description = "R-23: a submitted draft in the délégué territorial's inbox")
    public record NotificationView(UUID id, UUID agreementId, PartyType partyType, String cilId,
            String collectiviteId, String regionCode, String summary, OffsetDateTime createdAt, boolean read,
            OffsetDateTime readAt, long version) {

        static NotificationView of(NotificationEntity n) {
            return new NotificationView(n.id, n.agreementId, n.partyType, n.cilId, n.collectiviteId, n.regionCode,
                    n.summary, n.createdAt, n.readAt != null, n.readAt, n.version);
        }
    }
}
