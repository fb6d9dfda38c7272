package fr.actionlogement.territorial.conventions.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The territorial convention (R-01..R-15). Every change is a guarded transition: it checks the rules it depends on
 * and refuses with a {@link RuleViolation} naming the rule, leaving the aggregate unchanged.
 */
public final class Convention {

    private static final Pattern INDICATOR = Pattern.compile("[A-Z][A-Z0-9_]{1,63}");

    private final String conventionId;
    private final ConventionKind kind;
    private final String campaignId;
    private final String territoryId;
    private final String territoryName;
    private final String regionCode;
    private final List<String> coveredTerritoryIds;
    private final String conferenceTerritorialeId;
    private final String templateId;
    private final int templateVersion;
    private final String proposedBy;
    private final Instant proposedAt;
    private ConventionStatus status;
    private int version;
    private RegionalConference regionalConference;
    private ConventionContent content;
    private List<Achievement> achievements;
    private LocalDate signedOn;
    private String signatureJustification;
    private Evaluation evaluation;
    private LocalDate terminatedOn;
    private String terminationReason;
    private List<ConventionSignature> signatures;
    private List<UeslDecision> ueslDecisions;

    private Convention(ConventionSnapshot s) {
        this.conventionId = s.conventionId();
        this.kind = s.kind();
        this.campaignId = s.campaignId();
        this.territoryId = s.territoryId();
        this.territoryName = s.territoryName();
        this.regionCode = s.regionCode();
        this.coveredTerritoryIds = Values.list(s.coveredTerritoryIds());
        this.conferenceTerritorialeId = s.conferenceTerritorialeId();
        this.templateId = s.templateId();
        this.templateVersion = s.templateVersion();
        this.proposedBy = s.proposedBy();
        this.proposedAt = s.proposedAt();
        this.status = s.status();
        this.version = s.version();
        this.regionalConference = s.regionalConference();
        this.content = s.content();
        this.achievements = new ArrayList<>(Values.list(s.achievements()));
        this.signedOn = s.signedOn();
        this.signatureJustification = s.signatureJustification();
        this.evaluation = s.evaluation();
        this.terminatedOn = s.terminatedOn();
        this.terminationReason = s.terminationReason();
        this.signatures = new ArrayList<>(Values.list(s.signatures()));
        this.ueslDecisions = new ArrayList<>(s.ueslDecisions() == null ? carriedOverDecisions(s.content())
                : Values.list(s.ueslDecisions()));
    }

    /**
     * A document stored before the UESL's decisions were records holds them as free text (a signatory's
     * {@code ueslConcertation}) and a flag ({@code ueslSignatureRequested}); they become decisions without author.
     */
    private static List<UeslDecision> carriedOverDecisions(ConventionContent content) {
        List<UeslDecision> carried = new ArrayList<>();
        if (content == null) {
            return carried;
        }
        for (Signatory s : content.signatories()) {
            if (!Values.blank(s.ueslConcertation())) {
                carried.add(new UeslDecision("carried-over-" + s.key(), UeslDecisionType.CONCERTATION, s.partyType(),
                        s.partyId(), s.ueslConcertation(), null, null, null));
            }
        }
        if (content.ueslSignatureRequested()) {
            carried.add(new UeslDecision("carried-over-request", UeslDecisionType.SIGNATURE_REQUEST, null, null,
                    "ueslSignatureRequested", null, null, null));
        }
        return carried;
    }

    public static Convention restore(ConventionSnapshot snapshot) {
        return new Convention(snapshot);
    }

    public ConventionSnapshot snapshot() {
        return new ConventionSnapshot(conventionId, kind, campaignId, territoryId, territoryName, regionCode,
                coveredTerritoryIds, conferenceTerritorialeId, templateId, templateVersion, status, version,
                regionalConference, content, List.copyOf(achievements), proposedBy, proposedAt, signedOn,
                signatureJustification, evaluation, terminatedOn, terminationReason, List.copyOf(signatures),
                List.copyOf(ueslDecisions));
    }

    /**
     * a délégué territorial proposes a territory (an agglomeration: EPCI or basin) in a
     * campaign, from a published template version.
     */
    public static Convention propose(ConventionKind kind, Campaign campaign, long openInCampaign,
            boolean territoryAlreadyOpen, String territoryId, Optional<Territory> territory, TemplateVersion template,
            TerritoryFacts facts, String title, int periodYears, String proposedBy, Instant now) {
        Territory t = territory.orElseThrow(() -> RuleViolation.refused("R-01", "territory " + territoryId
                + " is not known from the territory reference; a convention binds a known territory"));
        if (t.retired()) {
            throw RuleViolation.refused("R-01", "territory " + territoryId + " was retired from the reference");
        }
        if (!t.isLargeAgglomeration()) {
            throw RuleViolation.refused("R-01", "a convention binds a large agglomeration (a métropole, communauté"
                    + " urbaine or communauté d'agglomération, or an urban area / employment basin), not a "
                    + t.kind() + ("EPCI".equals(t.kind()) ? " of nature " + (t.epciNature() == null
                            ? "unknown (not yet in the territory reference)"
                            : t.epciNature()) : ""));
        }
        campaign.admitsProposal(openInCampaign, territoryAlreadyOpen);
        if (template.kind() != kind) {
            throw RuleViolation.refused("R-04", "template " + template.templateId() + " v" + template.version()
                    + " is for " + template.kind() + " conventions, not " + kind);
        }
        String conferenceId = null;
        if (kind == ConventionKind.CADRE_DE_TERRITOIRE) {
            if (!"BASSIN".equals(t.kind())) {
                throw RuleViolation.refused("R-15", "a convention-cadre de territoire covers an employment basin,"
                        + " not a " + t.kind());
            }
            conferenceId = facts.installedConference(territoryId)
                    .orElseThrow(() -> RuleViolation.refused("R-15", "the conférence territoriale of basin "
                            + territoryId + " is not installed; it must be before a convention-cadre"))
                    .conferenceId();
        }
        List<String> covered = new ArrayList<>();
        covered.add(territoryId);
        if ("BASSIN".equals(t.kind())) {
            Values.list(t.epciSirens()).forEach(siren -> covered.add("EPCI:" + siren));
        }
        String effectiveTitle = Values.blank(title) ? template.name() + " - " + t.name() : title;
        int start = campaign.year();
        ConventionContent initial = ConventionContent.initial(effectiveTitle, start, start + periodYears - 1,
                template.sections());
        return new Convention(new ConventionSnapshot(UUID.randomUUID().toString(), kind, campaign.campaignId(),
                territoryId, t.name(), t.regionCode(), covered, conferenceId, template.templateId(),
                template.version(), ConventionStatus.DRAFT, 1, null, initial, List.of(), proposedBy, now, null, null,
                null, null, null, List.of(), List.of()));
    }

    /** negotiation is led by the UESL in the regional conference, which the convention records. */
    public void startNegotiation(Optional<RegionalConference> conference) {
        requireStatus("start the negotiation of", ConventionStatus.DRAFT);
        this.regionalConference = conference.orElseThrow(() -> RuleViolation.refused("R-03",
                "no regional conference is known for region " + regionCode
                        + "; the convention is negotiated in the conférence régionale"));
        status = ConventionStatus.IN_NEGOTIATION;
    }

    /**
     * R-03 as {@link #startNegotiation(Optional)}; R-10: from the negotiation in the conférence régionale on, the
     * content's commitments count against the CILs' envelopes, so they must fit what remains of them now.
     */
    public void startNegotiation(Optional<RegionalConference> conference, RuleContext ctx) {
        requireStatus("start the negotiation of", ConventionStatus.DRAFT);
        commitmentsFitEnvelopes(content, ctx);
        startNegotiation(conference);
    }

    /** Replaces the negotiated content before signature (after it, only an amendment changes it: R-14). */
    public void revise(ConventionContent proposed, RuleContext ctx) {
        revise(proposed, ctx, null, null);
    }

    /**
     * As {@link #revise(ConventionContent, RuleContext)}; a concertation or a request to sign written in the content
     * (by a UESL user: the API checks it) is recorded as the UESL's decision, by {@code by} on {@code now}.
     */
    public void revise(ConventionContent proposed, RuleContext ctx, String by, Instant now) {
        requireStatus("revise", ConventionStatus.DRAFT, ConventionStatus.IN_NEGOTIATION);
        withDecisionsOf(proposed, by, now, () -> this.content = checkContent(proposed, ctx));
    }

    /** Records the decisions a content states, then runs the change; a refused change records none of them. */
    private void withDecisionsOf(ConventionContent proposed, String by, Instant now, Runnable change) {
        List<UeslDecision> before = List.copyOf(ueslDecisions);
        if (proposed != null) {
            LocalDate today = now == null ? null : now.atZone(java.time.ZoneOffset.UTC).toLocalDate();
            for (Signatory s : proposed.signatories()) {
                if (s != null && s.partyType() != null && !Values.blank(s.ueslConcertation())
                        && ueslDecisions.stream().noneMatch(d -> d.type() == UeslDecisionType.CONCERTATION
                                && s.key().equals(d.partyKey()) && s.ueslConcertation().equals(d.reasons()))) {
                    ueslDecisions.add(new UeslDecision(UUID.randomUUID().toString(), UeslDecisionType.CONCERTATION,
                            s.partyType(), s.partyId(), s.ueslConcertation(), today, by, now));
                }
            }
            if (proposed.ueslSignatureRequested() != ueslSignatureRequested()) {
                boolean asked = proposed.ueslSignatureRequested();
                ueslDecisions.add(new UeslDecision(UUID.randomUUID().toString(),
                        asked ? UeslDecisionType.SIGNATURE_REQUEST : UeslDecisionType.SIGNATURE_REQUEST_WITHDRAWN,
                        null, null, asked ? "ueslSignatureRequested set in the content"
                                : "ueslSignatureRequested cleared in the content",
                        today, by, now));
            }
        }
        try {
            change.run();
        } catch (RuntimeException e) {
            ueslDecisions = new ArrayList<>(before);
            throw e;
        }
    }

    /**
     * the UESL records a decision: a concertation admitting a party that R-07 admits only with it, or a
     * request to sign (or its withdrawal) for institutional communication. Not while the convention awaits its
     * signatures (return it to negotiation first), nor once closed. Dated today or earlier.
     */
    public UeslDecision recordUeslDecision(UeslDecisionType type, PartyType partyType, String partyId, String reasons,
            LocalDate decidedOn, String by, Instant now, LocalDate today) {
        String rule = type == UeslDecisionType.CONCERTATION ? "R-07" : "R-08";
        if (type == null) {
            throw RuleViolation.invalid("type", "is required");
        }
        if (Values.blank(reasons)) {
            throw RuleViolation.invalid("reasons", "a decision of the UESL states its reasons");
        }
        if (status == ConventionStatus.READY_FOR_SIGNATURE || status == ConventionStatus.EVALUATED
                || status == ConventionStatus.TERMINATED) {
            throw RuleViolation.conflict(rule, "the UESL's decisions are recorded while the convention is negotiated"
                    + " or, for an amendment, signed; this one is " + status
                    + (status == ConventionStatus.READY_FOR_SIGNATURE ? " (return it to negotiation first)" : ""));
        }
        LocalDate on = decidedOn == null ? today : decidedOn;
        if (on.isAfter(today)) {
            throw RuleViolation.refused(rule, "a decision is never dated in the future (" + on + ")");
        }
        if (type == UeslDecisionType.CONCERTATION) {
            if (partyType == null || Values.blank(partyId)) {
                throw RuleViolation.invalid("partyType", "a concertation names the party it admits (partyType, partyId)");
            }
            if (!List.of(PartyType.CIL, PartyType.FILIALE, PartyType.FONCIERE_LOGEMENT, PartyType.APAGL)
                    .contains(partyType)) {
                throw RuleViolation.refused("R-07", "a concertation admits a CIL, a subsidiary, Foncière Logement or"
                        + " APAGL, not " + partyType);
            }
        } else if (partyType != null || !Values.blank(partyId)) {
            throw RuleViolation.invalid("partyType", "a request to sign names no party");
        }
        UeslDecision d = new UeslDecision(UUID.randomUUID().toString(), type, partyType,
                type == UeslDecisionType.CONCERTATION ? partyId : null, reasons.strip(), on, by, now);
        ueslDecisions.add(d);
        if (type != UeslDecisionType.CONCERTATION) {
            // The content's flag mirrors the decision, for the readers of the content.
            content = content.withUeslSignatureRequested(type == UeslDecisionType.SIGNATURE_REQUEST);
        }
        return d;
    }

    /** the UESL's recorded concertation admitting this signatory. */
    public Optional<UeslDecision> concertationFor(String partyKey) {
        return ueslDecisions.stream().filter(d -> d.type() == UeslDecisionType.CONCERTATION
                && partyKey.equals(d.partyKey())).reduce((a, b) -> b);
    }

    /** the UESL's latest decision on signing for institutional communication is a request. */
    public boolean ueslSignatureRequested() {
        return ueslDecisions.stream().filter(d -> d.type() != UeslDecisionType.CONCERTATION).reduce((a, b) -> b)
                .map(d -> d.type() == UeslDecisionType.SIGNATURE_REQUEST).orElse(false);
    }

    /** ..R-10, R-12, R-13, R-15: only a complete convention goes to signature. */
    public void submitForSignature(RuleContext ctx) {
        requireStatus("submit for signature", ConventionStatus.IN_NEGOTIATION);
        requireReadyForSignature(content, ctx);
        status = ConventionStatus.READY_FOR_SIGNATURE;
    }

    /** Back to negotiation: the signatures gathered so far are void (the content may change). */
    public void returnToNegotiation() {
        requireStatus("return to negotiation", ConventionStatus.READY_FOR_SIGNATURE);
        status = ConventionStatus.IN_NEGOTIATION;
        signatures.clear();
    }

    /**
     * R-14 signature; the rules are checked again (the read model or envelopes may have changed since submission);
     * a rise of reservation costs against the territory's previous convention must be justified.
     */
    public void sign(LocalDate on, String justification, List<ReservationCost> previousCosts, RuleContext ctx) {
        signForAll(on, justification, d -> previousCosts, ctx, null, null, on);
    }

    /**
     * R-14, the UESL's signing session (the one-call signature): records, dated {@code on}, the signature of every
     * required signatory that has not signed yet, on its behalf (the UESL's own as its own), then completes the
     * signature as {@link #recordSignature} does for the last one.
     */
    public void signForAll(LocalDate on, String justification,
            java.util.function.Function<LocalDate, List<ReservationCost>> previousCosts, RuleContext ctx, String by,
            Instant now, LocalDate today) {
        requireStatus("sign", ConventionStatus.READY_FOR_SIGNATURE);
        requireNotFuture(on, today);
        List<ConventionSignature> before = List.copyOf(signatures);
        for (Signatory s : requiredSignatories()) {
            if (signatureOf(s.key()).isEmpty()) {
                signatures.add(new ConventionSignature(s.partyType(), s.partyId(), on, by,
                        s.partyType() != PartyType.UESL, now));
            }
        }
        complete(justification, previousCosts, ctx, before);
    }

    /**
     * one required signatory signs (or the UESL records its signature on its behalf). The
     * convention is SIGNED when the last required signature arrives, dated by the latest signature; the rules are
     * checked again at that date (R-07 presence on the signing date). A refused signature leaves no trace.
     */
    public ConventionSignature recordSignature(PartyType partyType, String partyId, LocalDate on, String by,
            boolean onBehalf, Instant now, LocalDate today, String justification,
            java.util.function.Function<LocalDate, List<ReservationCost>> previousCosts, RuleContext ctx) {
        requireStatus("sign", ConventionStatus.READY_FOR_SIGNATURE);
        requireNotFuture(on, today);
        String key = partyType + ":" + partyId;
        if (requiredSignatories().stream().noneMatch(s -> s.key().equals(key))) {
            throw RuleViolation.refused("R-07", key + " is not a signatory of this convention; its signatories are "
                    + requiredSignatories().stream().map(Signatory::key).toList());
        }
        if (signatureOf(key).isPresent()) {
            throw RuleViolation.conflict("R-14", key + " has already signed this convention");
        }
        List<ConventionSignature> before = List.copyOf(signatures);
        ConventionSignature signature = new ConventionSignature(partyType, partyId, on, by, onBehalf, now);
        signatures.add(signature);
        if (missingSignatories().isEmpty()) {
            complete(justification, previousCosts, ctx, before);
        }
        return signature;
    }

    private void complete(String justification,
            java.util.function.Function<LocalDate, List<ReservationCost>> previousCosts, RuleContext ctx,
            List<ConventionSignature> before) {
        LocalDate date = signatures.stream().map(ConventionSignature::signedOn).max(LocalDate::compareTo).orElseThrow();
        try {
            RuleContext atSigning = ctx.on(date);
            requireReadyForSignature(content, atSigning);
            requireJustifiedCostIncrease(justification, previousCosts.apply(date), atSigning);
        } catch (RuntimeException e) {
            signatures = new ArrayList<>(before);
            throw e;
        }
        status = ConventionStatus.SIGNED;
        signedOn = date;
        signatureJustification = Values.blank(justification) ? null : justification;
    }

    private static void requireNotFuture(LocalDate on, LocalDate today) {
        if (on == null) {
            throw RuleViolation.invalid("signedOn", "is required");
        }
        if (today != null && on.isAfter(today)) {
            throw RuleViolation.refused("R-14", "a signature is never dated in the future (" + on + ", today is "
                    + today + ")");
        }
    }

    /** every listed signatory signs (the UESL too when listed, R-08 saying when it must be). */
    public List<Signatory> requiredSignatories() {
        return content.signatories();
    }

    /** The required signatories whose signature is still awaited, as {@code TYPE:id}. */
    public List<String> missingSignatories() {
        return requiredSignatories().stream().map(Signatory::key).filter(k -> signatureOf(k).isEmpty()).toList();
    }

    public Optional<ConventionSignature> signatureOf(String partyKey) {
        return signatures.stream().filter(s -> s.partyKey().equals(partyKey)).findFirst();
    }

    public List<ConventionSignature> signatures() {
        return List.copyOf(signatures);
    }

    public List<UeslDecision> ueslDecisions() {
        return List.copyOf(ueslDecisions);
    }

    /** an avenant to a signed convention is a new version; the rules hold for the amended content too. */
    public void amend(ConventionContent proposed, String reason, RuleContext ctx) {
        amend(proposed, reason, ctx, null, null);
    }

    public void amend(ConventionContent proposed, String reason, RuleContext ctx, String by, Instant now) {
        requireStatus("amend", ConventionStatus.SIGNED);
        if (Values.blank(reason)) {
            throw RuleViolation.invalid("reason", "an amendment states why");
        }
        withDecisionsOf(proposed, by, now, () -> {
            ConventionContent checked = checkContent(proposed, ctx);
            requireReadyForSignature(checked, ctx);
            content = checked;
            version++;
        });
    }

    /** réalisations are recorded against the objectives of a signed convention. */
    public Achievement recordAchievement(String objectiveId, long value, LocalDate on, String note, String by) {
        if (status != ConventionStatus.SIGNED) {
            throw RuleViolation.conflict("R-06", "achievements are recorded against a signed convention; this one is "
                    + status);
        }
        if (value < 0) {
            throw RuleViolation.invalid("value", "must be 0 or more");
        }
        Objective objective = objective(objectiveId).orElseThrow(() -> RuleViolation.refused("R-06",
                "convention " + conventionId + " has no objective " + objectiveId));
        Achievement a = new Achievement(UUID.randomUUID().toString(), objective.objectiveId(), value, on, note, by);
        achievements.add(a);
        return a;
    }

    /** the evaluation records objectives against achievements. */
    public void evaluate(String assessment, LocalDate on) {
        requireStatus("evaluate", ConventionStatus.SIGNED);
        if (Values.blank(assessment)) {
            throw RuleViolation.invalid("assessment", "an evaluation states its assessment");
        }
        evaluation = new Evaluation(on, assessment, progress());
        status = ConventionStatus.EVALUATED;
    }

    public void terminate(String reason, LocalDate on) {
        requireStatus("terminate", ConventionStatus.SIGNED);
        if (Values.blank(reason)) {
            throw RuleViolation.invalid("reason", "a termination states why");
        }
        terminationReason = reason;
        terminatedOn = on;
        status = ConventionStatus.TERMINATED;
    }

    /** progress of every objective, computed from the achievements. */
    public List<ObjectiveProgress> progress() {
        Map<String, Long> achieved = achievements.stream()
                .collect(Collectors.groupingBy(Achievement::objectiveId, Collectors.summingLong(Achievement::value)));
        return content.objectives().stream()
                .map(o -> ObjectiveProgress.of(o, achieved.getOrDefault(o.objectiveId(), 0L))).toList();
    }

    public Optional<Objective> objective(String objectiveId) {
        return content.objectives().stream().filter(o -> o.objectiveId().equals(objectiveId)).findFirst();
    }

    /** Signatories and partners as {@code TYPE:id}, for row-level visibility. */
    public Set<String> partyKeys() {
        Set<String> keys = new HashSet<>();
        content.signatories().forEach(s -> keys.add(s.key()));
        content.partners().forEach(p -> keys.add(p.key()));
        return keys;
    }

    /**
     * the UESL signs (or is present) for collective commitments, or when it asked to: its latest recorded
     * decision on signing is a request.
     */
    public boolean requiresUeslSignature() {
        return requiresUeslSignature(content);
    }

    private boolean requiresUeslSignature(ConventionContent c) {
        return ueslSignatureRequested() || c.commitments().stream().anyMatch(FinancialCommitment::collective);
    }

    // ---- rules on the content ----

    private ConventionContent checkContent(ConventionContent c, RuleContext ctx) {
        if (c == null) {
            throw RuleViolation.invalid("content", "is required");
        }
        if (c.periodStartYear() == null || c.periodEndYear() == null || c.periodStartYear() > c.periodEndYear()) {
            throw RuleViolation.invalid("periodEndYear", "the period needs a start year not after its end year");
        }
        for (int i = 0; i < c.sections().size(); i++) {
            if (Values.blank(c.sections().get(i).code())) {
                throw RuleViolation.invalid("sections[" + i + "].code", "is required");
            }
        }
        citedDevicesAreInTheCatalogue(c, ctx);
        List<Objective> objectives = checkObjectives(c);
        Map<String, Signatory> signatories = new LinkedHashMap<>();
        for (int i = 0; i < c.signatories().size(); i++) {
            Signatory s = c.signatories().get(i);
            if (s.partyType() == null || Values.blank(s.partyId())) {
                throw RuleViolation.invalid("signatories[" + i + "]", "partyType and partyId are required");
            }
            if (s.presentOnly() && s.partyType() != PartyType.UESL) {
                throw RuleViolation.invalid("signatories[" + i + "].presentOnly",
                        "only the UESL may be recorded as present rather than signing");
            }
            if (signatories.put(s.key(), s) != null) {
                throw RuleViolation.refused("R-07", "signatory " + s.key() + " is listed twice");
            }
            admitsSignatory(s, ctx);
        }
        checkPartiesAndActions(c, signatories.keySet());
        for (int i = 0; i < c.reservationCosts().size(); i++) {
            ReservationCost r = c.reservationCosts().get(i);
            if (Values.blank(r.category()) || r.unitCostEuros() == null || r.unitCostEuros() < 0) {
                throw RuleViolation.invalid("reservationCosts[" + i + "]",
                        "category and a unit cost of 0 or more are required");
            }
        }
        if (c.reservationCosts().stream().map(ReservationCost::category).distinct().count() != c.reservationCosts()
                .size()) {
            throw RuleViolation.invalid("reservationCosts", "each category appears once");
        }
        for (int i = 0; i < c.commitments().size(); i++) {
            FinancialCommitment f = c.commitments().get(i);
            if (Values.blank(f.cilId()) || Values.blank(f.product()) || f.year() == null || f.amount() == null
                    || f.amount() <= 0) {
                throw RuleViolation.invalid("commitments[" + i + "]",
                        "cilId, product, year and a positive amount are required");
            }
        }
        commitmentsFitEnvelopes(c, ctx);
        return c.withObjectives(objectives);
    }

    /** objectives are optional; each targets an indicator, a priority public, a year and a number. */
    private List<Objective> checkObjectives(ConventionContent c) {
        Set<String> existing = content == null ? Set.of()
                : content.objectives().stream().map(Objective::objectiveId).collect(Collectors.toSet());
        Set<String> seen = new HashSet<>();
        Set<String> kept = new HashSet<>();
        List<Objective> result = new ArrayList<>();
        for (int i = 0; i < c.objectives().size(); i++) {
            Objective o = c.objectives().get(i);
            String at = "objectives[" + i + "]";
            if (o.indicator() == null || !INDICATOR.matcher(o.indicator()).matches()) {
                throw RuleViolation.invalid(at + ".indicator", "an upper snake case indicator code, e.g. CONSTRUCTION_NEUVE");
            }
            if (o.publicPrioritaire() == null) {
                throw RuleViolation.invalid(at + ".publicPrioritaire", "is required");
            }
            if (o.year() == null || o.target() == null || o.target() <= 0) {
                throw RuleViolation.invalid(at, "a year and a positive target are required");
            }
            if (o.year() < c.periodStartYear() || o.year() > c.periodEndYear()) {
                throw RuleViolation.refused("R-06", "objective year " + o.year() + " is outside the convention's period "
                        + c.periodStartYear() + "-" + c.periodEndYear());
            }
            if (!seen.add(o.indicator() + "/" + o.publicPrioritaire() + "/" + o.year())) {
                throw RuleViolation.refused("R-06", "two objectives on " + o.indicator() + " for "
                        + o.publicPrioritaire() + " in " + o.year());
            }
            String id = o.objectiveId();
            if (id != null && !existing.contains(id)) {
                throw RuleViolation.invalid(at + ".objectiveId", "unknown objective; omit it for a new objective");
            }
            if (id == null) {
                id = UUID.randomUUID().toString();
            }
            kept.add(id);
            result.add(new Objective(id, o.indicator(), o.publicPrioritaire(), o.year(), o.target()));
        }
        for (Achievement a : achievements) {
            if (!kept.contains(a.objectiveId())) {
                throw RuleViolation.conflict("R-06", "objective " + a.objectiveId()
                        + " has recorded achievements and cannot be removed");
            }
        }
        return result;
    }

    /**
     * CILs present on the territory and their subsidiaries sign freely; other CILs and subsidiaries,
     * Foncière Logement and APAGL only with a recorded UESL concertation. R-15: the conférence territoriale signs
     * conventions-cadre only, and only the basin's installed one.
     */
    private void admitsSignatory(Signatory s, RuleContext ctx) {
        switch (s.partyType()) {
            case CIL -> {
                CilFact cil = knownCil(s, ctx);
                if (cil.parentCilId() != null) {
                    throw RuleViolation.refused("R-07", s.partyId() + " is a subsidiary of " + cil.parentCilId()
                            + "; it signs as FILIALE");
                }
                if (!ctx.facts().cilPresent(s.partyId(), territoryId) && concertationFor(s.key()).isEmpty()) {
                    throw RuleViolation.refused("R-07", "CIL " + s.partyId() + " is not present on " + territoryId
                            + "; it may sign only with the UESL's recorded concertation (ueslConcertation or"
                            + " POST .../uesl-decisions)");
                }
            }
            case FILIALE -> {
                CilFact filiale = knownCil(s, ctx);
                if (filiale.parentCilId() == null) {
                    throw RuleViolation.refused("R-07", s.partyId() + " is a CIL, not a subsidiary");
                }
                if (!ctx.facts().cilPresent(filiale.parentCilId(), territoryId)
                        && concertationFor(s.key()).isEmpty()) {
                    throw RuleViolation.refused("R-07", "subsidiary " + s.partyId() + " belongs to CIL "
                            + filiale.parentCilId() + ", not present on " + territoryId
                            + "; it may sign only with the UESL's recorded concertation (ueslConcertation or"
                            + " POST .../uesl-decisions)");
                }
            }
            case FONCIERE_LOGEMENT, APAGL -> {
                if (concertationFor(s.key()).isEmpty()) {
                    throw RuleViolation.refused("R-07", s.partyType() + " may sign only with the UESL's recorded"
                            + " concertation (ueslConcertation or POST .../uesl-decisions)");
                }
            }
            case CONFERENCE_TERRITORIALE -> {
                if (kind != ConventionKind.CADRE_DE_TERRITOIRE) {
                    throw RuleViolation.refused("R-15", "a conférence territoriale signs conventions-cadre de"
                            + " territoire only");
                }
                if (!s.partyId().equals(conferenceTerritorialeId)) {
                    throw RuleViolation.refused("R-15", "conférence territoriale " + s.partyId()
                            + " is not the installed conference of basin " + territoryId);
                }
            }
            case UESL, COLLECTIVITE, AUTRE -> {
                // Always admissible; say when they are required.
            }
        }
    }

    private static CilFact knownCil(Signatory s, RuleContext ctx) {
        return ctx.facts().cil(s.partyId()).orElseThrow(() -> RuleViolation.refused("R-07",
                "CIL " + s.partyId() + " is not registered in the territory reference"));
    }

    /** partners are not Action Logement bodies; every action belongs to a signatory or a partner. */
    private static void checkPartiesAndActions(ConventionContent c, Set<String> signatoryKeys) {
        Set<String> parties = new HashSet<>(signatoryKeys);
        for (int i = 0; i < c.partners().size(); i++) {
            Partner p = c.partners().get(i);
            if (p.partyType() == null || Values.blank(p.partyId()) || Values.blank(p.name())) {
                throw RuleViolation.invalid("partners[" + i + "]", "partyType, partyId and name are required");
            }
            if (p.partyType().isActionLogement()) {
                throw RuleViolation.refused("R-13", "partner " + p.name() + " is an Action Logement body ("
                        + p.partyType() + "); Action Logement bodies take part as signatories");
            }
            parties.add(p.key());
        }
        for (int i = 0; i < c.actions().size(); i++) {
            PartyAction a = c.actions().get(i);
            if (a.device() == null || Values.blank(a.partyKey())) {
                throw RuleViolation.invalid("actions[" + i + "]", "partyKey and device are required");
            }
            if (!parties.contains(a.partyKey())) {
                throw RuleViolation.refused("R-13", "action " + a.device() + " names " + a.partyKey()
                        + ", which is neither a signatory nor a partner of the charter");
            }
        }
    }

    /** the devices cited, in the content and in the parties' actions, are in the UESL's catalogue. */
    private static void citedDevicesAreInTheCatalogue(ConventionContent c, RuleContext ctx) {
        for (int i = 0; i < c.devices().size(); i++) {
            ctx.devices().require(c.devices().get(i), "devices[" + i + "]");
        }
        for (int i = 0; i < c.actions().size(); i++) {
            Device d = c.actions().get(i).device();
            if (d != null) {
                ctx.devices().require(d, "actions[" + i + "].device");
            }
        }
    }

    /** The key of one envelope: R-10 takes envelopes in this order, so two commitments never wait on each other. */
    private record EnvelopeKey(String cilId, String product, int year) implements Comparable<EnvelopeKey> {
        @Override
        public int compareTo(EnvelopeKey o) {
            int c = cilId.compareTo(o.cilId);
            if (c == 0) {
                c = product.compareTo(o.product);
            }
            return c != 0 ? c : Integer.compare(year, o.year);
        }
    }

    /**
     * commitments on a contingent product never exceed the CIL's remaining envelope for that product and year,
     * and a local authority is never the prescriber of a contingent product (lesson of PASS-FONCIER).
     */
    private void commitmentsFitEnvelopes(ConventionContent c, RuleContext ctx) {
        // Sorted: the ledger locks each envelope it reads until the transaction ends, always in the same order.
        Map<EnvelopeKey, Long> totals = new TreeMap<>();
        for (FinancialCommitment f : c.commitments()) {
            if (!ctx.contingentProducts().contains(f.product())) {
                continue;
            }
            if (f.prescriber() == PartyType.COLLECTIVITE) {
                throw RuleViolation.refused("R-10", "a local authority is never the prescriber of the contingent"
                        + " product " + f.product());
            }
            totals.merge(new EnvelopeKey(f.cilId(), f.product(), f.year()), f.amount(), Long::sum);
        }
        for (Map.Entry<EnvelopeKey, Long> e : totals.entrySet()) {
            String cil = e.getKey().cilId();
            String product = e.getKey().product();
            int year = e.getKey().year();
            OptionalLong envelope = ctx.envelopes().envelope(cil, product, year);
            if (envelope.isEmpty()) {
                throw RuleViolation.refused("R-10", "the UESL has set no " + product + " envelope for CIL " + cil
                        + " in " + year);
            }
            long remaining = envelope.getAsLong() - ctx.envelopes().committedElsewhere(cil, product, year,
                    conventionId);
            if (e.getValue() > remaining) {
                // No amount of the envelope here: the caller may not be one who reads it (UESL, the CIL itself).
                throw RuleViolation.refused("R-10", "commitments of " + e.getValue() + " on " + product + " for CIL "
                        + cil + " in " + year + " exceed what remains of the CIL's envelope; the UESL and the CIL"
                        + " read the envelope at /api/conventions/envelopes");
            }
        }
    }

    private void requireReadyForSignature(ConventionContent c, RuleContext ctx) {
        List<Signatory> sigs = c.signatories();
        sigs.forEach(s -> admitsSignatory(s, ctx));
        if (kind == ConventionKind.TERRITORIALE) {
            requiresMinimumCanvas(c);
            requiresPresentCil(c, ctx);
            requiresLocalAuthority(c);
        }
        requiresUeslSignatureWhenDue(c);
        requiresBodiesRunningCitedDevices(c, ctx);
        commitmentsFitEnvelopes(c, ctx);
        requiresCommunicationPlan(c);
        if (kind == ConventionKind.TERRITORIALE) {
            requiresActionsOfEachParty(c);
        } else {
            requiresConferenceAndEpci(c, ctx);
        }
    }

    /** the minimum canvas, every section with text. */
    static void requiresMinimumCanvas(ConventionContent c) {
        Map<String, String> texts = new HashMap<>();
        c.sections().forEach(s -> texts.merge(s.code(), Objects.toString(s.text(), ""), (a, b) -> a + b));
        List<String> missing = Arrays.stream(CanvasSection.values()).map(Enum::name)
                .filter(code -> Values.blank(texts.get(code))).toList();
        if (!missing.isEmpty()) {
            throw RuleViolation.refused("R-05", "the minimum canvas is incomplete: missing " + missing);
        }
    }

    /** in every case, at least one CIL present on the territory signs. */
    private void requiresPresentCil(ConventionContent c, RuleContext ctx) {
        boolean any = c.signatories().stream().anyMatch(s -> s.partyType() == PartyType.CIL
                && ctx.facts().cilPresent(s.partyId(), territoryId));
        if (!any) {
            throw RuleViolation.refused("R-07", "at least one CIL present on " + territoryId + " must sign");
        }
    }

    /**
     * a charter is a partnership between the local authority of the agglomeration and Action Logement's
     * operators: the agglomeration's EPCI (for a basin, one of its EPCIs) signs it as COLLECTIVITE.
     */
    private void requiresLocalAuthority(ConventionContent c) {
        boolean authority = c.signatories().stream().anyMatch(s -> s.partyType() == PartyType.COLLECTIVITE
                && coveredTerritoryIds.contains("EPCI:" + s.partyId()));
        if (!authority) {
            throw RuleViolation.refused("R-01", "a territorial charter is a partnership with the local authority:"
                    + " the agglomeration's EPCI (COLLECTIVITE with the SIREN of " + coveredTerritoryIds.stream()
                            .filter(t -> t.startsWith("EPCI:")).toList()
                    + ") must be among its signatories");
        }
    }

    /** */
    private void requiresUeslSignatureWhenDue(ConventionContent c) {
        if (requiresUeslSignature(c) && c.signatories().stream().noneMatch(s -> s.partyType() == PartyType.UESL)) {
            throw RuleViolation.refused("R-08", ueslSignatureRequested()
                    ? "the UESL asked to sign this convention; add it as signatory (or present at signature)"
                    : "the convention has collective, non-individualised financial commitments: the UESL must sign"
                            + " or be present at signature");
        }
    }

    /**
     * GRL only with APAGL; more generally a device the catalogue says is run by a specific body needs that body
     * among the signatories, whether the device is cited, named in an action or committed on through its products.
     */
    private static void requiresBodiesRunningCitedDevices(ConventionContent c, RuleContext ctx) {
        Set<PartyType> types = c.signatories().stream().map(Signatory::partyType).collect(Collectors.toSet());
        Map<String, DeviceDefinition> cited = new TreeMap<>();
        c.devices().forEach(d -> ctx.devices().device(d.code()).ifPresent(def -> cited.put(def.code(), def)));
        c.actions().forEach(a -> ctx.devices().device(a.device().code()).ifPresent(def -> cited.put(def.code(), def)));
        c.commitments().forEach(f -> ctx.devices().deviceOfProduct(f.product())
                .ifPresent(def -> cited.put(def.code(), def)));
        for (DeviceDefinition d : cited.values()) {
            if (d.runningBody().isPresent() && !types.contains(d.runBy())) {
                throw RuleViolation.refused("R-09", "device " + d.code() + " is run by " + d.runBy()
                        + ", which must be among the signatories");
            }
        }
    }

    /** */
    private static void requiresCommunicationPlan(ConventionContent c) {
        CommunicationPlan p = c.communicationPlan();
        if (p == null || Values.blank(p.needsStudies()) || Values.blank(p.financingPublicity())) {
            throw RuleViolation.refused("R-12", "the convention states its communication plan: communication of"
                    + " needs studies and publicity rules for Action Logement financing");
        }
    }

    /** the charter states what each party does for priority publics (the UESL excepted). */
    private static void requiresActionsOfEachParty(ConventionContent c) {
        Set<String> acting = c.actions().stream().map(PartyAction::partyKey).collect(Collectors.toSet());
        List<String> silent = c.signatories().stream().filter(s -> s.partyType() != PartyType.UESL)
                .map(Signatory::key).filter(k -> !acting.contains(k)).toList();
        if (!silent.isEmpty()) {
            throw RuleViolation.refused("R-13", "the charter states what each party does for priority publics;"
                    + " no action for " + silent);
        }
    }

    /**
     * a convention-cadre is signed for Action Logement by the installed conférence territoriale and by an EPCI
     * of the basin, on shared objectives consistent with the authority's PLH.
     */
    private void requiresConferenceAndEpci(ConventionContent c, RuleContext ctx) {
        if (ctx.facts().installedConference(territoryId).isEmpty()) {
            throw RuleViolation.refused("R-15", "the conférence territoriale of " + territoryId + " is not installed");
        }
        if (c.signatories().stream().noneMatch(s -> s.partyType() == PartyType.CONFERENCE_TERRITORIALE)) {
            throw RuleViolation.refused("R-15", "the conférence territoriale " + conferenceTerritorialeId
                    + " signs for Action Logement");
        }
        boolean epci = c.signatories().stream().anyMatch(s -> s.partyType() == PartyType.COLLECTIVITE
                && coveredTerritoryIds.contains("EPCI:" + s.partyId()));
        if (!epci) {
            throw RuleViolation.refused("R-15", "an EPCI of basin " + territoryId + " must sign");
        }
        if (c.objectives().isEmpty()) {
            throw RuleViolation.refused("R-15", "a convention-cadre defines shared objectives");
        }
        if (Values.blank(c.plhReference())) {
            throw RuleViolation.refused("R-15", "the shared objectives are consistent with the authority's PLH;"
                    + " name it (plhReference)");
        }
    }

    /** */
    private void requireJustifiedCostIncrease(String justification, List<ReservationCost> previous,
            RuleContext ctx) {
        // Signing is the occasion to stabilise or reduce the costs; a territory's first convention has nothing to compare.
        if (!ctx.costIncreaseRequiresJustification() || !Values.blank(justification)) {
            return;
        }
        List<String> increased = ReservationCostChange.compare(content.reservationCosts(), previous).stream()
                .filter(c -> c.trend() == ReservationCostChange.Trend.INCREASED).map(ReservationCostChange::category)
                .toList();
        if (!increased.isEmpty()) {
            throw RuleViolation.refused("R-11", "reservation costs rise against the territory's previous convention"
                    + " for " + increased + "; signing should stabilise or reduce them, or justify the rise");
        }
    }

    private void requireStatus(String action, ConventionStatus... allowed) {
        for (ConventionStatus s : allowed) {
            if (status == s) {
                return;
            }
        }
        throw RuleViolation.conflict("R-14", "cannot " + action + " a convention in status " + status
                + (status.isSigned() ? "; a signed convention changes only by amendment" : ""));
    }

    public String conventionId() {
        return conventionId;
    }

    public ConventionKind kind() {
        return kind;
    }

    public String campaignId() {
        return campaignId;
    }

    public String territoryId() {
        return territoryId;
    }

    public String regionCode() {
        return regionCode;
    }

    public List<String> coveredTerritoryIds() {
        return coveredTerritoryIds;
    }

    public ConventionStatus status() {
        return status;
    }

    public int version() {
        return version;
    }

    public ConventionContent content() {
        return content;
    }

    public RegionalConference regionalConference() {
        return regionalConference;
    }

    public LocalDate signedOn() {
        return signedOn;
    }

    public Evaluation evaluation() {
        return evaluation;
    }

    public String terminationReason() {
        return terminationReason;
    }

    public LocalDate terminatedOn() {
        return terminatedOn;
    }

    public Instant proposedAt() {
        return proposedAt;
    }

    public String proposedBy() {
        return proposedBy;
    }

    public String templateId() {
        return templateId;
    }

    public int templateVersion() {
        return templateVersion;
    }
}
