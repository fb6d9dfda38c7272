package fr.actionlogement.territorial.partnerships.api;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import fr.actionlogement.territorial.buildingblocks.api.ETags;
import fr.actionlogement.territorial.buildingblocks.audit.AuditLog;
import fr.actionlogement.territorial.buildingblocks.events.DomainEvent;
import fr.actionlogement.territorial.buildingblocks.outbox.Outbox;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;
import fr.actionlogement.territorial.buildingblocks.security.CurrentUser;
import fr.actionlogement.territorial.buildingblocks.security.Roles;
import fr.actionlogement.territorial.partnerships.api.AgreementRequests.CreateAgreement;
import fr.actionlogement.territorial.partnerships.api.AgreementRequests.InvestmentInput;
import fr.actionlogement.territorial.partnerships.api.AgreementRequests.ReviseAgreement;
import fr.actionlogement.territorial.partnerships.domain.Agreement;
import fr.actionlogement.territorial.partnerships.domain.AgreementStatus;
import fr.actionlogement.territorial.partnerships.domain.Authority;
import fr.actionlogement.territorial.partnerships.domain.InvestmentThresholds;
import fr.actionlogement.territorial.partnerships.domain.PartyType;
import fr.actionlogement.territorial.partnerships.domain.PlannedInvestment;
import fr.actionlogement.territorial.partnerships.domain.SignatorySide;
import fr.actionlogement.territorial.partnerships.domain.Signature;
import fr.actionlogement.territorial.partnerships.domain.Terms;
import fr.actionlogement.territorial.partnerships.domain.Transition;
import fr.actionlogement.territorial.partnerships.domain.UeslDecision;
import fr.actionlogement.territorial.partnerships.domain.UeslReview;
import fr.actionlogement.territorial.partnerships.messaging.PartnershipEvents;
import fr.actionlogement.territorial.partnerships.persistence.AgreementEntity;
import fr.actionlogement.territorial.partnerships.persistence.DocumentEntity;
import fr.actionlogement.territorial.partnerships.persistence.TerritoryReadModel;

/** The agreement use cases: each loads the aggregate, applies one guarded transition, audits and publishes. */
@ApplicationScoped
public class AgreementService {

    @Inject
    CurrentUser user;
    @Inject
    AgreementAccess access;
    @Inject
    TerritoryReadModel territories;
    @Inject
    Outbox outbox;
    @Inject
    AuditLog audit;
    @Inject
    Clock clock;
    @Inject
    InvestmentThresholds thresholds;

    public AgreementEntity load(UUID id) {
        return access.requireVisible(AgreementEntity.findById(id), id);
    }

    /** R-20 (and R-25): a draft between a registered CIL, or a national body, and a known local authority. */
    @Transactional
    public AgreementEntity create(CreateAgreement req) {
        PartyType type = req.partyType() == null ? PartyType.CIL : req.partyType();
        String cilId = req.cilId();
        String filialeId = req.filialeId();
        if (type.isCil()) {
            String[] party = cilPartyFor(req);
            cilId = party[0];
            filialeId = party[1];
            checkCil(cilId, filialeId);
        } else if (!user.isUeslOrAdmin()) {
            throw ProblemException.forbidden("R-25: the UESL records the particular agreements of " + type);
        }
        Authority authority = authority(req.collectiviteId());
        Agreement agreement = Agreement.draft(UUID.randomUUID(), type, cilId, filialeId, authority,
                terms(req.object(), req.startDate(), req.durationMonths(), req.exclusivity(), req.exclusivityScope(),
                        req.investments()));
        OffsetDateTime now = OffsetDateTime.now(clock);
        AgreementEntity e = new AgreementEntity();
        e.apply(agreement, now);
        e.createdAt = now;
        e.createdBy = user.subject();
        e.recordTransition(new Transition(null, AgreementStatus.DRAFT, "draft created"), user.subject(), now);
        e.persist();
        audit.record(PartnershipEvents.AGGREGATE, e.id.toString(), "CREATED", null,
                Map.of("partyType", type, "collectiviteId", authority.collectiviteId(), "exclusivity", req.exclusivity()));
        AgreementEntity.flush();
        return e;
    }

    @Transactional
    public AgreementEntity revise(UUID id, ReviseAgreement req, String ifMatch) {
        AgreementEntity e = load(id);
        access.requireDraftingParty(e);
        ETags.requireMatch(ifMatch, e.version);
        Agreement a = e.toDomain();
        a.revise(terms(req.object(), req.startDate(), req.durationMonths(), req.exclusivity(), req.exclusivityScope(),
                req.investments()));
        e.apply(a, OffsetDateTime.now(clock));
        audit.record(PartnershipEvents.AGGREGATE, id.toString(), "REVISED", null,
                Map.of("exclusivity", req.exclusivity(), "investments", e.investments.size()));
        e.flushRevision();
        return e;
    }

    /**
     * R-24 submission; R-23 the délégué is notified through PartnershipSubmitted; raise the UESL
     * requests, with the draft document attached.
     */
    @Transactional
    public AgreementEntity submit(UUID id, String ifMatch, String reason) {
        AgreementEntity e = load(id);
        access.requireDraftingParty(e);
        ETags.requireMatch(ifMatch, e.version);
        Agreement a = e.toDomain();
        DocumentEntity draft = DocumentEntity.latestOf(id);
        List<Transition> transitions = a.submit(draft != null, thresholds);
        OffsetDateTime now = OffsetDateTime.now(clock);
        e.apply(a, now);
        transitions.forEach(t -> record(e, t, reason, now));
        PartnershipEvents.DocumentRef doc = draft == null ? null
                : new PartnershipEvents.DocumentRef(draft.id, draft.version, draft.fileName, draft.contentType,
                        draft.sizeBytes, draft.sha256, AgreementViews.DocumentView.href(draft));
        publish(e, new PartnershipEvents.PartnershipSubmitted(e.id, e.partyType, e.cilId, e.collectiviteId,
                e.regionCode, e.filialeId, e.territoryId, e.authorityName, e.object, e.startDate, e.durationMonths,
                e.exclusivity, e.exclusivityScope,
                a.terms().investments().stream()
                        .map(i -> new PartnershipEvents.Investment(i.kind(), i.amount(), i.description())).toList(),
                e.status, doc, now, user.subject()), PartnershipEvents.SUBMITTED);
        if (a.exclusivityApproval() == UeslReview.PENDING) {
            publish(e, new PartnershipEvents.ExclusivityApprovalRequested(e.id, e.partyType, e.cilId,
                    e.collectiviteId, e.regionCode, e.filialeId, e.territoryId, e.authorityName, e.object,
                    e.exclusivityScope, e.startDate, e.durationMonths, doc, now, user.subject()),
                    PartnershipEvents.EXCLUSIVITY_REQUESTED);
        }
        if (a.investmentOpinion() == UeslReview.PENDING) {
            List<PlannedInvestment> forOpinion = a.investmentsNeedingUeslOpinion(thresholds);
            publish(e, new PartnershipEvents.InvestmentOpinionRequested(e.id, e.partyType, e.cilId,
                    e.collectiviteId, e.regionCode, e.object,
                    forOpinion.stream().map(i -> new PartnershipEvents.InvestmentForOpinion(i.kind(), i.amount(),
                            thresholds.thresholdFor(i.kind()), i.description())).toList(),
                    doc, now, user.subject()), PartnershipEvents.OPINION_REQUESTED);
        }
        e.flushRevision();
        return e;
    }

    /** the UESL alone grants or refuses (the resource allows only its role); a refusal carries reasons. */
    @Transactional
    public AgreementEntity decideExclusivity(UUID id, String ifMatch, boolean granted, String reasons) {
        AgreementEntity e = load(id);
        ETags.requireMatch(ifMatch, e.version);
        Agreement a = e.toDomain();
        Optional<Transition> settled = a.decideExclusivity(granted, reasons);
        OffsetDateTime now = OffsetDateTime.now(clock);
        e.apply(a, now);
        audit.record(PartnershipEvents.AGGREGATE, id.toString(),
                granted ? "EXCLUSIVITY_APPROVAL_GRANTED" : "EXCLUSIVITY_APPROVAL_REFUSED", reasons, null);
        settled.ifPresent(t -> record(e, t, reasons, now));
        if (granted) {
            publish(e, new PartnershipEvents.ExclusivityApprovalGranted(e.id, e.partyType, e.cilId, e.collectiviteId,
                    e.regionCode, reasons, e.status, now, user.subject()), PartnershipEvents.EXCLUSIVITY_GRANTED);
        } else {
            publish(e, new PartnershipEvents.ExclusivityApprovalRefused(e.id, e.partyType, e.cilId, e.collectiviteId,
                    e.regionCode, reasons, e.status, now, user.subject()), PartnershipEvents.EXCLUSIVITY_REFUSED);
        }
        e.flushRevision();
        return e;
    }

    /** the UESL's approval or opinion on the planned investments. */
    @Transactional
    public AgreementEntity giveInvestmentOpinion(UUID id, String ifMatch, boolean favourable, String opinion) {
        AgreementEntity e = load(id);
        ETags.requireMatch(ifMatch, e.version);
        Agreement a = e.toDomain();
        Optional<Transition> settled = a.giveInvestmentOpinion(favourable, opinion);
        OffsetDateTime now = OffsetDateTime.now(clock);
        e.apply(a, now);
        audit.record(PartnershipEvents.AGGREGATE, id.toString(),
                favourable ? "INVESTMENT_OPINION_FAVOURABLE" : "INVESTMENT_OPINION_UNFAVOURABLE", opinion, null);
        settled.ifPresent(t -> record(e, t, opinion, now));
        publish(e, new PartnershipEvents.InvestmentOpinionGiven(e.id, e.partyType, e.cilId, e.collectiviteId,
                e.regionCode, favourable, opinion, e.status, now, user.subject()), PartnershipEvents.OPINION_GIVEN);
        e.flushRevision();
        return e;
    }

    /**
     * one side's signature, or (a UESL or admin user naming no side) the signatures still missing. The second
     * signature makes the agreement SIGNED and publishes PartnershipSigned with both signatures.
     */
    @Transactional
    public AgreementEntity sign(UUID id, String ifMatch, AgreementRequests.Sign req) {
        AgreementEntity e = load(id);
        Agreement a = e.toDomain();
        List<SignatorySide> sides = sidesFor(e, a, req.side());
        ETags.requireMatch(ifMatch, e.version);
        OffsetDateTime now = OffsetDateTime.now(clock);
        LocalDate today = LocalDate.now(clock);
        Optional<Transition> signed = Optional.empty();
        List<Signature> recorded = new ArrayList<>();
        for (SignatorySide side : sides) {
            Signature s = new Signature(side, onBehalfOf(e, a, side), req.signedOn(), user.subject(), now);
            signed = a.sign(s, today);
            recorded.add(s);
        }
        e.apply(a, now);
        for (Signature s : recorded) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("side", s.side());
            details.put("onBehalfOf", s.onBehalfOf());
            details.put("signedOn", s.signedOn().toString());
            audit.record(PartnershipEvents.AGGREGATE, id.toString(), "SIGNATURE_RECORDED", req.reason(), details);
        }
        if (signed.isPresent()) {
            record(e, signed.get(), req.reason(), now);
            publish(e, new PartnershipEvents.PartnershipSigned(e.id, e.partyType, e.cilId, e.collectiviteId,
                    e.regionCode, e.filialeId, e.territoryId, e.exclusivity, e.signedOn, now, user.subject(),
                    a.signatures().stream().map(PartnershipEvents.SignatureRef::of).toList()),
                    PartnershipEvents.SIGNED);
        }
        e.flushRevision();
        return e;
    }

    /**
     * Which sides the caller signs: a CIL (or subsidiary) user of the agreement the partner side, an authority's
     * user or client the authority side, a UESL or admin user the side it names (recording it on the party's
     * behalf) or, naming none, every side still missing. Anyone else, or another side, is 403.
     */
    private List<SignatorySide> sidesFor(AgreementEntity e, Agreement a, SignatorySide asked) {
        if (user.isUeslOrAdmin()) {
            if (asked != null) {
                return List.of(asked);
            }
            List<SignatorySide> missing = a.missingSignatures();
            return missing.isEmpty() ? List.of(SignatorySide.PARTNER) : missing; // the domain refuses (409)
        }
        boolean partner = e.partyType.isCil() && user.hasRole(Roles.CIL)
                && user.cilId().filter(c -> c.equals(e.cilId) || c.equals(e.filialeId)).isPresent();
        boolean authority = user.hasRole(Roles.COLLECTIVITE)
                && user.collectiviteId().filter(c -> c.equals(e.collectiviteId)).isPresent();
        if (asked == null && partner && authority) {
            throw ProblemException.invalid("side", "name the side you sign for: PARTNER or AUTHORITY");
        }
        if (partner && asked != SignatorySide.AUTHORITY) {
            return List.of(SignatorySide.PARTNER);
        }
        if (authority && asked != SignatorySide.PARTNER) {
            return List.of(SignatorySide.AUTHORITY);
        }
        throw ProblemException.forbidden("R-24: each party signs for itself (the CIL or its subsidiary for the partner "
                + "side, the local authority for its own), or the UESL records a signature on a party's behalf");
    }

    private String onBehalfOf(AgreementEntity e, Agreement a, SignatorySide side) {
        if (side == SignatorySide.AUTHORITY) {
            return a.authorityKey();
        }
        if (e.partyType.isCil() && !user.isUeslOrAdmin()) {
            String own = user.cilId().orElseThrow();
            return own.equals(e.filialeId) ? "FILIALE:" + own : "CIL:" + own;
        }
        return a.partnerKey();
    }

    /**
     * the UESL's choice to stay out of (or join) a particular agreement of Foncière Logement or APAGL, a record
     * with its author, date and reasons, kept in the agreement and its history. The resource allows the UESL role
     * only.
     */
    @Transactional
    public AgreementEntity recordUeslDecision(UUID id, String ifMatch, AgreementRequests.UeslDecisionRequest req) {
        AgreementEntity e = load(id);
        ETags.requireMatch(ifMatch, e.version);
        Agreement a = e.toDomain();
        OffsetDateTime now = OffsetDateTime.now(clock);
        UeslDecision d = new UeslDecision(UUID.randomUUID(), req.staysOut(), req.decidedOn(), user.subject(),
                req.reasons(), now);
        a.recordUeslDecision(d, LocalDate.now(clock));
        e.apply(a, now);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("decisionId", d.id().toString());
        details.put("staysOut", d.staysOut());
        details.put("decidedOn", d.decidedOn().toString());
        audit.record(PartnershipEvents.AGGREGATE, id.toString(),
                d.staysOut() ? "UESL_STAYS_OUT" : "UESL_JOINS", d.reasons(), details);
        e.flushRevision();
        return e;
    }

    @Transactional
    public AgreementEntity end(UUID id, String ifMatch, AgreementRequests.End req) {
        AgreementEntity e = load(id);
        access.requireParty(e);
        ETags.requireMatch(ifMatch, e.version);
        Agreement a = e.toDomain();
        Transition t = a.end(req.endedOn(), req.reason());
        OffsetDateTime now = OffsetDateTime.now(clock);
        e.apply(a, now);
        record(e, t, req.reason(), now);
        publish(e, new PartnershipEvents.PartnershipEnded(e.id, e.partyType, e.cilId, e.collectiviteId, e.regionCode,
                e.endedOn, req.reason(), now, user.subject()), PartnershipEvents.ENDED);
        e.flushRevision();
        return e;
    }

    private void record(AgreementEntity e, Transition t, String reason, OffsetDateTime now) {
        e.recordTransition(t, user.subject(), now);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("from", t.from());
        details.put("to", t.to());
        details.put("why", t.reason());
        audit.record(PartnershipEvents.AGGREGATE, e.id.toString(), t.to().name(), reason, details);
    }

    private void publish(AgreementEntity e, Object payload, String type) {
        outbox.publish(new DomainEvent(PartnershipEvents.TOPIC, type, PartnershipEvents.AGGREGATE, e.id.toString(),
                payload));
    }

    /**
     * A CIL user concludes agreements for its own CIL only, and a subsidiary's user as that subsidiary of its CIL;
     * the UESL names the CIL. Returns {cilId, filialeId}.
     */
    private String[] cilPartyFor(CreateAgreement req) {
        if (user.isUeslOrAdmin()) {
            if (req.cilId() == null) {
                throw ProblemException.invalid("cilId", "must name the CIL of a CIL agreement");
            }
            return new String[] { req.cilId(), req.filialeId() };
        }
        if (!user.hasRole(Roles.CIL) || user.cilId().isEmpty()) {
            throw ProblemException.forbidden("only a CIL user or the UESL creates a CIL agreement");
        }
        String own = user.cilId().get();
        String parent = territories.cil(own).map(TerritoryReadModel.CilRow::parentCilId).orElse(null);
        if (parent != null) {
            if ((req.cilId() != null && !req.cilId().equals(parent))
                    || (req.filialeId() != null && !req.filialeId().equals(own))) {
                throw ProblemException.forbidden("a subsidiary's user concludes agreements as subsidiary " + own
                        + " of CIL " + parent + " only");
            }
            return new String[] { parent, own };
        }
        if (req.cilId() != null && !req.cilId().equals(own)) {
            throw ProblemException.forbidden("a CIL user creates agreements for its own CIL only (" + own + ")");
        }
        return new String[] { own, req.filialeId() };
    }

    /** the CIL is one territories-service registered; a subsidiary belongs to it. */
    private void checkCil(String cilId, String filialeId) {
        TerritoryReadModel.CilRow cil = territories.cil(cilId)
                .orElseThrow(() -> ProblemException.rule("R-20", "CIL " + cilId + " is not a registered CIL"));
        if (cil.parentCilId() != null) {
            throw ProblemException.rule("R-20", cilId + " is a subsidiary of CIL " + cil.parentCilId()
                    + ": name the CIL as cilId and the subsidiary as filialeId");
        }
        if (filialeId != null) {
            boolean ours = territories.cil(filialeId).map(f -> cilId.equals(f.parentCilId())).orElse(false);
            if (!ours) {
                throw ProblemException.rule("R-20", filialeId + " is not a registered subsidiary of CIL " + cilId);
            }
        }
    }

    /**
     * the authority is a commune (INSEE code), an EPCI (SIREN), a département or a région (their territory id,
     * {@code DEPARTEMENT:69}, {@code REGION:84}: the reference carries no SIREN for them) of the territory reference.
     */
    static String territoryIdOf(String collectiviteId) {
        if (collectiviteId.startsWith("DEPARTEMENT:") || collectiviteId.startsWith("REGION:")) {
            return collectiviteId;
        }
        return collectiviteId.length() == 9 ? "EPCI:" + collectiviteId : "COMMUNE:" + collectiviteId;
    }

    private Authority authority(String collectiviteId) {
        String territoryId = territoryIdOf(collectiviteId);
        TerritoryReadModel.TerritoryRow t = territories.territory(territoryId).orElseThrow(() -> ProblemException
                .rule("R-20", "local authority " + collectiviteId + " is unknown to the territory reference"));
        if (t.retired()) {
            throw ProblemException.rule("R-20", "local authority " + collectiviteId
                    + " no longer exists in the territory reference (retired code)");
        }
        // A région is its own region (the reference gives regions no regionCode).
        String region = "REGION".equals(t.kind()) ? t.code() : t.regionCode();
        return new Authority(collectiviteId, territoryId, t.name(), region);
    }

    private static Terms terms(String object, java.time.LocalDate start, Integer months, boolean exclusivity,
            String scope, List<InvestmentInput> investments) {
        return new Terms(object, start, months, exclusivity, scope, investments == null ? List.of()
                : investments.stream().map(i -> new PlannedInvestment(i.kind(), i.amount(), i.description())).toList());
    }
}
