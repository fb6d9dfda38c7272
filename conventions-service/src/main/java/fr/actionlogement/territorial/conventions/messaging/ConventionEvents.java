package fr.actionlogement.territorial.conventions.messaging;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import fr.actionlogement.territorial.buildingblocks.events.DomainEvent;
import fr.actionlogement.territorial.buildingblocks.events.EventCatalog;
import fr.actionlogement.territorial.buildingblocks.outbox.Outbox;
import fr.actionlogement.territorial.conventions.domain.Achievement;
import fr.actionlogement.territorial.conventions.domain.Convention;
import fr.actionlogement.territorial.conventions.domain.ConventionSignature;
import fr.actionlogement.territorial.conventions.domain.Objective;
import fr.actionlogement.territorial.conventions.domain.ObjectiveProgress;
import fr.actionlogement.territorial.conventions.domain.Signatory;

/**
 * The events of the conventions context (schemas in docs/events/conventions/), published through the outbox in the
 * transaction of the change, keyed by convention id.
 */
@ApplicationScoped
public class ConventionEvents {

    public static final String CONTEXT = "conventions";
    public static final String TOPIC = "conventions.events.v1";
    static final String AGGREGATE = "Convention";

    public record SignatoryData(String partyType, String partyId, String name) {
        static List<SignatoryData> of(List<Signatory> signatories) {
            return signatories.stream().map(s -> new SignatoryData(s.partyType().name(), s.partyId(), s.name()))
                    .toList();
        }
    }

    /** one party's signature: on whose behalf, when, who recorded it and whether for its own party. */
    public record SignatureData(String partyType, String partyId, LocalDate signedOn, String signedBy,
            boolean onBehalf) {
        static List<SignatureData> of(List<ConventionSignature> signatures) {
            return signatures.stream().map(s -> new SignatureData(s.partyType().name(), s.partyId(), s.signedOn(),
                    s.signedBy(), s.onBehalf())).toList();
        }
    }

    public record ObjectiveData(String objectiveId, String indicator, String publicPrioritaire, int year,
            long target) {
        static List<ObjectiveData> of(List<Objective> objectives) {
            return objectives.stream().map(o -> new ObjectiveData(o.objectiveId(), o.indicator(),
                    o.publicPrioritaire().name(), o.year(), o.target())).toList();
        }
    }

    public record ResultData(String objectiveId, String indicator, String publicPrioritaire, int year, long target,
            long achieved, double progressPercent) {
        static List<ResultData> of(List<ObjectiveProgress> results) {
            return results.stream().map(r -> new ResultData(r.objectiveId(), r.indicator(),
                    r.publicPrioritaire().name(), r.year(), r.target(), r.achieved(), r.progressPercent())).toList();
        }
    }

    public record ConventionProposed(String conventionId, int version, String kind, String territoryId,
            String regionCode, String campaignId, String templateId, int templateVersion, String proposedBy,
            Instant proposedAt) {
    }

    public record ConventionSubmittedForSignature(String conventionId, int version, String kind, String territoryId,
            List<SignatoryData> signatories, Instant submittedAt) {
    }

    /**
     * {@code regionCode} and {@code partyKeys} (added to v1, after the fields consumers already read) carry the
     * convention's row-level visibility (docs/security.md) for the consumers that show its data; {@code signatures}
     * (added to v1 after them) each party's signature.
     */
    public record ConventionSigned(String conventionId, int version, String kind, String territoryId,
            List<String> coveredTerritoryIds, List<SignatoryData> signatories, List<ObjectiveData> objectives,
            LocalDate signedOn, String regionCode, List<String> partyKeys, List<SignatureData> signatures) {
    }

    /** DRAFT → IN_NEGOTIATION in the regional conference. */
    public record ConventionNegotiationStarted(String conventionId, int version, String kind, String territoryId,
            String regionCode, List<String> conferenceMemberCilIds, String reason, Instant startedAt) {
    }

    /** READY_FOR_SIGNATURE → IN_NEGOTIATION; the signatures gathered so far are void. */
    public record ConventionReturnedToNegotiation(String conventionId, int version, String kind, String territoryId,
            String regionCode, List<SignatureData> voidedSignatures, String reason, Instant returnedAt) {
    }

    public record ConventionAmended(String conventionId, int version, int previousVersion, String kind,
            String territoryId, List<String> coveredTerritoryIds, String reason, List<SignatoryData> signatories,
            List<ObjectiveData> objectives, Instant amendedAt, String regionCode, List<String> partyKeys) {
    }

    public record ConventionEvaluated(String conventionId, int version, String territoryId, LocalDate evaluatedOn,
            List<ResultData> results) {
    }

    public record ConventionTerminated(String conventionId, int version, String territoryId,
            List<String> coveredTerritoryIds, LocalDate terminatedOn, String reason) {
    }

    public record AchievementRecorded(String conventionId, String achievementId, String objectiveId,
            String territoryId, String indicator, String publicPrioritaire, int year, long value,
            LocalDate recordedOn) {
    }

    @Inject
    Outbox outbox;

    public void proposed(Convention c) {
        publish("ConventionProposed", c, new ConventionProposed(c.conventionId(), c.version(), c.kind().name(),
                c.territoryId(), c.regionCode(), c.campaignId(), c.templateId(), c.templateVersion(), c.proposedBy(),
                c.proposedAt()));
    }

    public void submittedForSignature(Convention c, Instant at) {
        publish("ConventionSubmittedForSignature", c, new ConventionSubmittedForSignature(c.conventionId(),
                c.version(), c.kind().name(), c.territoryId(), SignatoryData.of(c.content().signatories()), at));
    }

    public void signed(Convention c) {
        publish("ConventionSigned", c, new ConventionSigned(c.conventionId(), c.version(), c.kind().name(),
                c.territoryId(), c.coveredTerritoryIds(), SignatoryData.of(c.content().signatories()),
                ObjectiveData.of(c.content().objectives()), c.signedOn(), c.regionCode(), partyKeys(c),
                SignatureData.of(c.signatures())));
    }

    public void negotiationStarted(Convention c, String reason, Instant at) {
        publish("ConventionNegotiationStarted", c, new ConventionNegotiationStarted(c.conventionId(), c.version(),
                c.kind().name(), c.territoryId(), c.regionCode(), c.regionalConference() == null ? List.of()
                        : c.regionalConference().memberCilIds(),
                reason, at));
    }

    public void returnedToNegotiation(Convention c, List<ConventionSignature> voided, String reason, Instant at) {
        publish("ConventionReturnedToNegotiation", c, new ConventionReturnedToNegotiation(c.conventionId(),
                c.version(), c.kind().name(), c.territoryId(), c.regionCode(), SignatureData.of(voided), reason, at));
    }

    public void amended(Convention c, String reason, Instant at) {
        publish("ConventionAmended", c, new ConventionAmended(c.conventionId(), c.version(), c.version() - 1,
                c.kind().name(), c.territoryId(), c.coveredTerritoryIds(), reason,
                SignatoryData.of(c.content().signatories()), ObjectiveData.of(c.content().objectives()), at,
                c.regionCode(), partyKeys(c)));
    }

    public void evaluated(Convention c) {
        publish("ConventionEvaluated", c, new ConventionEvaluated(c.conventionId(), c.version(), c.territoryId(),
                c.evaluation().evaluatedOn(), ResultData.of(c.evaluation().results())));
    }

    public void terminated(Convention c) {
        publish("ConventionTerminated", c, new ConventionTerminated(c.conventionId(), c.version(), c.territoryId(),
                c.coveredTerritoryIds(), c.terminatedOn(), c.terminationReason()));
    }

    public void achievementRecorded(Convention c, Achievement a) {
        Objective o = c.objective(a.objectiveId()).orElseThrow();
        publish("AchievementRecorded", c, new AchievementRecorded(c.conventionId(), a.achievementId(),
                o.objectiveId(), c.territoryId(), o.indicator(), o.publicPrioritaire().name(), o.year(), a.value(),
                a.recordedOn()));
    }

    /** Who is party to the convention, as its row-level rule reads it: signatories' and partners' keys, sorted. */
    private static List<String> partyKeys(Convention c) {
        return c.partyKeys().stream().sorted().toList();
    }

    private void publish(String name, Convention c, Object data) {
        outbox.publish(new DomainEvent(TOPIC, EventCatalog.type(CONTEXT, name, 1), AGGREGATE, c.conventionId(), data));
    }
}
