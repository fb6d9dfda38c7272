package fr.actionlogement.territorial.conventions.api;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import fr.actionlogement.territorial.buildingblocks.api.ETags;
import fr.actionlogement.territorial.buildingblocks.audit.AuditLog;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.AmendConvention;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.EvaluateConvention;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.ProposeConvention;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.RecordAchievement;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.RecordSignature;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.RecordUeslDecision;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.SignConvention;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.TerminateConvention;
import fr.actionlogement.territorial.conventions.config.ConventionsConfig;
import fr.actionlogement.territorial.conventions.document.ConventionDocuments;
import fr.actionlogement.territorial.conventions.domain.Achievement;
import fr.actionlogement.territorial.conventions.domain.Campaign;
import fr.actionlogement.territorial.conventions.domain.Convention;
import fr.actionlogement.territorial.conventions.domain.ConventionContent;
import fr.actionlogement.territorial.conventions.domain.ConventionSignature;
import fr.actionlogement.territorial.conventions.domain.ConventionStatus;
import fr.actionlogement.territorial.conventions.domain.ReservationCost;
import fr.actionlogement.territorial.conventions.domain.RuleContext;
import fr.actionlogement.territorial.conventions.domain.TemplateVersion;
import fr.actionlogement.territorial.conventions.domain.UeslDecision;
import fr.actionlogement.territorial.conventions.messaging.ConventionEvents;
import fr.actionlogement.territorial.conventions.persistence.CampaignEntity;
import fr.actionlogement.territorial.conventions.persistence.ConventionEntity;
import fr.actionlogement.territorial.conventions.persistence.ConventionReads;
import fr.actionlogement.territorial.conventions.persistence.ConventionVersionEntity;
import fr.actionlogement.territorial.conventions.persistence.DeviceEntity;
import fr.actionlogement.territorial.conventions.persistence.PostgresEnvelopeLedger;
import fr.actionlogement.territorial.conventions.persistence.TemplateVersionEntity;
import fr.actionlogement.territorial.conventions.persistence.TerritoryReadModel;

/**
 * The convention's use cases: each loads and locks the aggregate, checks visibility, role and If-Match, applies
 * the domain transition, then writes the new state, its audit entry and its event in one transaction.
 */
@ApplicationScoped
public class ConventionService {

    static final String AGGREGATE = "Convention";

    @Inject
    PostgresEnvelopeLedger envelopes;
    @Inject
    TerritoryReadModel territories;
    @Inject
    ConventionEvents events;
    @Inject
    AuditLog audit;
    @Inject
    Access access;
    @Inject
    ConventionsConfig config;
    @Inject
    Clock clock;
    @Inject
    ConventionReads reads;
    @Inject
    ConventionDocuments documents;

    /** The rules' context: the territory facts, the envelopes and the UESL's device catalogue. */
    RuleContext rules() {
        return new RuleContext(territories, envelopes, DeviceEntity.catalogue(),
                config.costIncreaseRequiresJustification());
    }

    /** a délégué proposes only in their own region. */
    @Transactional
    public ConventionEntity propose(ProposeConvention req) {
        Campaign campaign = CampaignEntity.lock(req.campaignId())
                .orElseThrow(() -> ProblemException.rule("R-02", "campaign " + req.campaignId() + " does not exist"))
                .toDomain();
        TemplateVersion template = TemplateVersionEntity.of(req.templateId(), req.templateVersion())
                .orElseThrow(() -> ProblemException.rule("R-04", "template " + req.templateId() + " has no published"
                        + " version " + req.templateVersion())).document;
        var territory = territories.territory(req.territoryId());
        // An unknown territory is refused by R-01 below, with the reason; a known one must be in the délégué's region.
        territory.ifPresent(t -> requireDelegueOfRegion(t.regionCode()));
        Instant now = clock.instant();
        Convention c = Convention.propose(req.kind(), campaign, ConventionEntity.countOpenInCampaign(campaign.campaignId()),
                ConventionEntity.territoryOpenInCampaign(campaign.campaignId(), req.territoryId()), req.territoryId(),
                territory, template, territories, req.title(), config.defaultPeriodYears(), access.subject(), now);
        ConventionEntity e = ConventionEntity.of(c, now);
        e.persist();
        audit.record(AGGREGATE, c.conventionId(), "PROPOSED", null, Map.of("territoryId", c.territoryId(),
                "campaignId", c.campaignId(), "template", c.templateId() + " v" + c.templateVersion()));
        events.proposed(c);
        ConventionEntity.flush();
        return e;
    }

    private void requireDelegueOfRegion(String regionCode) {
        if (access.user().isUeslOrAdmin()) {
            return;
        }
        String mine = access.user().region().orElse(null);
        if (mine == null || !mine.equals(regionCode)) {
            throw ProblemException.forbidden("a délégué territorial proposes territories of their own region ("
                    + (mine == null ? "none in the token" : mine) + ")");
        }
    }

    /** A convention the caller may see, for reads (plain SQL, see ConventionReads). */
    public ConventionEntity.Read get(String id) {
        ConventionEntity.Read read = reads.byId(id).orElseThrow(() -> ProblemException.notFound("Convention", id));
        access.requireVisible(read.convention());
        return read;
    }

    @Transactional
    public ConventionEntity revise(String id, String ifMatch, ConventionContent content) {
        return change(id, ifMatch, c -> {
            access.requireReviser(c);
            access.requireUeslDecisionsUnchanged(c.content(), content);
        }, c -> c.revise(content, rules(), access.subject(), clock.instant()), "REVISED", null,
                Map.of("signatories", content == null ? 0 : content.signatories().size(),
                        "objectives", content == null ? 0 : content.objectives().size()),
                c -> {
                });
    }

    @Transactional
    public ConventionEntity startNegotiation(String id, String ifMatch, String reason) {
        return change(id, ifMatch, this::requireUesl,
                c -> c.startNegotiation(territories.regionalConference(c.regionCode()), rules()),
                "NEGOTIATION_STARTED", reason, null, c -> events.negotiationStarted(c, reason, clock.instant()));
    }

    @Transactional
    public ConventionEntity submitForSignature(String id, String ifMatch, String reason) {
        return change(id, ifMatch, this::requireUesl, c -> c.submitForSignature(rules()), "SUBMITTED_FOR_SIGNATURE",
                reason, null, c -> events.submittedForSignature(c, clock.instant()));
    }

    @Transactional
    public ConventionEntity returnToNegotiation(String id, String ifMatch, String reason) {
        List<ConventionSignature> voided = new java.util.ArrayList<>();
        return change(id, ifMatch, this::requireUesl, c -> {
            voided.addAll(c.signatures());
            c.returnToNegotiation();
        }, "RETURNED_TO_NEGOTIATION", reason, details("voidedSignatures", voided.isEmpty() ? null : voided.size()),
                c -> events.returnedToNegotiation(c, voided, reason, clock.instant()));
    }

    @Transactional
    public ConventionEntity sign(String id, String ifMatch, SignConvention req) {
        LocalDate on = req.signedOn() == null ? LocalDate.now(clock) : req.signedOn();
        ConventionEntity s = change(id, ifMatch, this::requireUesl,
                c -> c.signForAll(on, req.costIncreaseJustification(),
                        date -> previousCosts(c.territoryId(), c.conventionId(), date), rules(), access.subject(),
                        clock.instant(), LocalDate.now(clock)),
                "SIGNED", req.reason(), details("signedOn", on, "justification", req.costIncreaseJustification()),
                events::signed);
        ConventionVersionEntity.record(s.document, clock.instant(), access.subject(), "signed");
        return s;
    }

    /**
     * one party's signature. A CIL (or subsidiary) user signs for its own CIL, an authority user for
     * its own authority; the UESL (or an admin) signs for the UESL and records any other party's signature on its
     * behalf (parties without users in the realm: Foncière Logement, APAGL, conférences territoriales, others; or a
     * party's signed paper copy). The last required signature makes the convention SIGNED (ConventionSigned).
     */
    @Transactional
    public SignatureOutcome recordSignature(String id, RecordSignature req) {
        ConventionEntity e = ConventionEntity.lock(id).orElseThrow(() -> ProblemException.notFound("Convention", id));
        Convention c = e.toDomain();
        access.requireVisible(c);
        boolean onBehalf = access.requireSignerFor(req.partyType(), req.partyId());
        LocalDate today = LocalDate.now(clock);
        LocalDate on = req.signedOn() == null ? today : req.signedOn();
        String before = c.status().name();
        int versionBefore = c.version();
        ConventionSignature signature = c.recordSignature(req.partyType(), req.partyId(), on, access.subject(),
                onBehalf, clock.instant(), today, req.costIncreaseJustification(),
                date -> previousCosts(c.territoryId(), c.conventionId(), date), rules());
        e.apply(c, clock.instant());
        audit.record(AGGREGATE, id, "SIGNATURE_RECORDED", req.reason(), details("party", signature.partyKey(),
                "signedOn", signature.signedOn(), "onBehalf", signature.onBehalf(), "missing",
                c.missingSignatories().isEmpty() ? null : c.missingSignatories()));
        if (c.status() == ConventionStatus.SIGNED) {
            audit.record(AGGREGATE, id, "SIGNED", req.reason(), details("from", before, "to", c.status(), "version",
                    c.version(), "signedOn", c.signedOn(), "justification", req.costIncreaseJustification()));
            events.signed(c);
            ConventionVersionEntity.record(e.document, clock.instant(), access.subject(), "signed");
            // The last signature is a transition like the others: its convention document (issue 15 point 8).
            documents.afterTransition(before, versionBefore, e.document, req.reason(), access.subject());
        }
        e.flushRevision();
        return new SignatureOutcome(e, signature);
    }

    public record SignatureOutcome(ConventionEntity convention, ConventionSignature signature) {
    }

    /** a decision of the UESL, written by a UESL user only (403 otherwise: role check and here). */
    @Transactional
    public DecisionOutcome recordUeslDecision(String id, RecordUeslDecision req) {
        ConventionEntity e = ConventionEntity.lock(id).orElseThrow(() -> ProblemException.notFound("Convention", id));
        Convention c = e.toDomain();
        access.requireVisible(c);
        if (!access.user().isUeslOrAdmin()) {
            throw ProblemException.forbidden("the UESL's decisions (R-07 concertation, R-08 request to sign) are"
                    + " recorded by UESL users only");
        }
        UeslDecision d = c.recordUeslDecision(req.type(), req.partyType(), req.partyId(), req.reasons(),
                req.decidedOn(), access.subject(), clock.instant(), LocalDate.now(clock));
        e.apply(c, clock.instant());
        audit.record(AGGREGATE, id, "UESL_DECISION_RECORDED", d.reasons(), decisionDetails(d));
        e.flushRevision();
        return new DecisionOutcome(d, e.version);
    }

    /** The decision recorded and the convention's new version (the response's ETag). */
    public record DecisionOutcome(UeslDecision decision, long version) {
    }

    private static Map<String, Object> decisionDetails(UeslDecision d) {
        return details("decisionId", d.decisionId(), "type", d.type(), "party", d.partyKey(), "decidedOn",
                d.decidedOn(), "decidedBy", d.decidedBy());
    }

    @Transactional
    public ConventionEntity amend(String id, String ifMatch, AmendConvention req) {
        ConventionEntity s = change(id, ifMatch, this::requireUesl,
                c -> c.amend(req.content(), req.reason(), rules(), access.subject(), clock.instant()),
                "AMENDED", req.reason(), null, c -> events.amended(c, req.reason(), clock.instant()));
        ConventionVersionEntity.record(s.document, clock.instant(), access.subject(), req.reason());
        return s;
    }

    @Transactional
    public ConventionEntity evaluate(String id, String ifMatch, EvaluateConvention req) {
        LocalDate on = req.evaluatedOn() == null ? LocalDate.now(clock) : req.evaluatedOn();
        return change(id, ifMatch, this::requireUesl, c -> c.evaluate(req.assessment(), on), "EVALUATED",
                req.assessment(), details("evaluatedOn", on), events::evaluated);
    }

    @Transactional
    public ConventionEntity terminate(String id, String ifMatch, TerminateConvention req) {
        LocalDate on = req.terminatedOn() == null ? LocalDate.now(clock) : req.terminatedOn();
        return change(id, ifMatch, this::requireUesl, c -> c.terminate(req.reason(), on), "TERMINATED", req.reason(),
                details("terminatedOn", on), events::terminated);
    }

    /** no If-Match (a report does not depend on what else the caller read); Idempotency-Key guards retries. */
    @Transactional
    public Achievement recordAchievement(String id, String objectiveId, RecordAchievement req) {
        ConventionEntity e = ConventionEntity.lock(id).orElseThrow(() -> ProblemException.notFound("Convention", id));
        Convention c = e.toDomain();
        access.requireVisible(c);
        access.requireAchievementReporter(c);
        if (c.objective(objectiveId).isEmpty()) {
            throw ProblemException.notFound("Objective", objectiveId);
        }
        LocalDate on = req.recordedOn() == null ? LocalDate.now(clock) : req.recordedOn();
        Achievement a = c.recordAchievement(objectiveId, req.value(), on, req.note(), access.subject());
        e.apply(c, clock.instant());
        audit.record(AGGREGATE, id, "ACHIEVEMENT_RECORDED", req.note(),
                details("objectiveId", objectiveId, "value", req.value(), "achievementId", a.achievementId()));
        events.achievementRecorded(c, a);
        e.flushRevision();
        return a;
    }

    private void requireUesl(Convention c) {
        if (!access.user().isUeslOrAdmin()) {
            throw ProblemException.forbidden("the UESL leads negotiation and signature (R-03, R-14)");
        }
    }

    private ConventionEntity change(String id, String ifMatch, Consumer<Convention> permission,
            Consumer<Convention> transition, String action, String reason, Map<String, Object> details,
            Consumer<Convention> publish) {
        ConventionEntity e = ConventionEntity.lock(id).orElseThrow(() -> ProblemException.notFound("Convention", id));
        Convention c = e.toDomain();
        access.requireVisible(c);
        permission.accept(c);
        ETags.requireMatch(ifMatch, e.version);
        String before = c.status().name();
        int versionBefore = c.version();
        int decisionsBefore = c.ueslDecisions().size();
        transition.accept(c);
        e.apply(c, clock.instant());
        // Issue 15 point 8: the convention document of a submission, a signature or an amendment, same transaction.
        documents.afterTransition(before, versionBefore, e.document, reason, access.subject());
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("from", before);
        all.put("to", c.status().name());
        all.put("version", c.version());
        if (details != null) {
            all.putAll(details);
        }
        audit.record(AGGREGATE, id, action, reason, all);
        // a concertation or request to sign written in a content is a UESL decision: in the history too.
        c.ueslDecisions().stream().skip(decisionsBefore)
                .forEach(d -> audit.record(AGGREGATE, id, "UESL_DECISION_RECORDED", d.reasons(), decisionDetails(d)));
        publish.accept(c);
        // The new revision is the response's ETag: write now, not at commit.
        e.flushRevision();
        return e;
    }

    private static List<ReservationCost> previousCosts(
            String territoryId, String excludingId, LocalDate notAfter) {
        return ConventionEntity.previousSigned(territoryId, excludingId, notAfter)
                .map(s -> s.content().reservationCosts()).orElse(List.of());
    }

    private static Map<String, Object> details(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                m.put((String) pairs[i], pairs[i + 1].toString());
            }
        }
        return m;
    }
}
