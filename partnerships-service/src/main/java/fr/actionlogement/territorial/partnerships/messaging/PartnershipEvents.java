package fr.actionlogement.territorial.partnerships.messaging;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import fr.actionlogement.territorial.buildingblocks.events.EventCatalog;
import fr.actionlogement.territorial.partnerships.domain.AgreementStatus;
import fr.actionlogement.territorial.partnerships.domain.InvestmentKind;
import fr.actionlogement.territorial.partnerships.domain.PartyType;
import fr.actionlogement.territorial.partnerships.domain.SignatorySide;
import fr.actionlogement.territorial.partnerships.domain.Signature;

/**
 * The facts this service publishes on {@code partnerships.events.v1}, one record per type. Schemas:
 * docs/events/partnerships/&lt;Name&gt;.v1.json. Every payload starts with agreementId, partyType, cilId,
 * collectiviteId and regionCode (docs/events/README.md).
 */
public final class PartnershipEvents {

    public static final String CONTEXT = "partnerships";
    public static final String TOPIC = "partnerships.events.v1";
    public static final String AGGREGATE = "Agreement";

    public static final String SUBMITTED = EventCatalog.type(CONTEXT, "PartnershipSubmitted", 1);
    public static final String EXCLUSIVITY_REQUESTED = EventCatalog.type(CONTEXT, "ExclusivityApprovalRequested", 1);
    public static final String EXCLUSIVITY_GRANTED = EventCatalog.type(CONTEXT, "ExclusivityApprovalGranted", 1);
    public static final String EXCLUSIVITY_REFUSED = EventCatalog.type(CONTEXT, "ExclusivityApprovalRefused", 1);
    public static final String OPINION_REQUESTED = EventCatalog.type(CONTEXT, "InvestmentOpinionRequested", 1);
    public static final String OPINION_GIVEN = EventCatalog.type(CONTEXT, "InvestmentOpinionGiven", 1);
    public static final String SIGNED = EventCatalog.type(CONTEXT, "PartnershipSigned", 1);
    public static final String ENDED = EventCatalog.type(CONTEXT, "PartnershipEnded", 1);

    private PartnershipEvents() {
    }

    public record Investment(InvestmentKind kind, BigDecimal amount, String description) {
    }

    public record InvestmentForOpinion(InvestmentKind kind, BigDecimal amount, BigDecimal threshold,
            String description) {
    }

    /** The draft document attached to a request, with where to fetch it through the API. */
    public record DocumentRef(UUID documentId, int version, String fileName, String contentType, long sizeBytes,
            String sha256, String href) {
    }

    public record PartnershipSubmitted(UUID agreementId, PartyType partyType, String cilId, String collectiviteId,
            String regionCode, String filialeId, String territoryId, String authorityName, String object,
            LocalDate startDate, int durationMonths, boolean exclusivity, String exclusivityScope,
            List<Investment> investments, AgreementStatus status, DocumentRef draftDocument,
            OffsetDateTime submittedAt, String submittedBy) {
    }

    /** the UESL is asked for its prior approval of an exclusivity clause. */
    public record ExclusivityApprovalRequested(UUID agreementId, PartyType partyType, String cilId,
            String collectiviteId, String regionCode, String filialeId, String territoryId, String authorityName,
            String object, String exclusivityScope, LocalDate startDate, int durationMonths,
            DocumentRef draftDocument, OffsetDateTime requestedAt, String requestedBy) {
    }

    public record ExclusivityApprovalGranted(UUID agreementId, PartyType partyType, String cilId,
            String collectiviteId, String regionCode, String comment, AgreementStatus status,
            OffsetDateTime decidedAt, String decidedBy) {
    }

    public record ExclusivityApprovalRefused(UUID agreementId, PartyType partyType, String cilId,
            String collectiviteId, String regionCode, String reasons, AgreementStatus status,
            OffsetDateTime decidedAt, String decidedBy) {
    }

    /** the UESL is asked for its approval or opinion on investments, with the draft attached. */
    public record InvestmentOpinionRequested(UUID agreementId, PartyType partyType, String cilId,
            String collectiviteId, String regionCode, String object, List<InvestmentForOpinion> investments,
            DocumentRef draftDocument, OffsetDateTime requestedAt, String requestedBy) {
    }

    public record InvestmentOpinionGiven(UUID agreementId, PartyType partyType, String cilId,
            String collectiviteId, String regionCode, boolean favourable, String opinion, AgreementStatus status,
            OffsetDateTime decidedAt, String decidedBy) {
    }

    /** both sides have signed; {@code signedOn} is the later signature's date, each signature listed. */
    public record PartnershipSigned(UUID agreementId, PartyType partyType, String cilId, String collectiviteId,
            String regionCode, String filialeId, String territoryId, boolean exclusivity, LocalDate signedOn,
            OffsetDateTime recordedAt, String recordedBy, List<SignatureRef> signatures) {
    }

    /** One side's signature: side, on whose behalf, the date signed, who recorded it and when. */
    public record SignatureRef(SignatorySide side, String onBehalfOf, LocalDate signedOn, String signedBy,
            OffsetDateTime recordedAt) {

        public static SignatureRef of(Signature s) {
            return new SignatureRef(s.side(), s.onBehalfOf(), s.signedOn(), s.signedBy(), s.recordedAt());
        }
    }

    public record PartnershipEnded(UUID agreementId, PartyType partyType, String cilId, String collectiviteId,
            String regionCode, LocalDate endedOn, String reason, OffsetDateTime recordedAt, String recordedBy) {
    }
}
