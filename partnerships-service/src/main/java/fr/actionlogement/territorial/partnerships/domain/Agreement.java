package fr.actionlogement.territorial.partnerships.domain;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * An individual partnership agreement between a CIL (or, R-25, Foncière Logement or APAGL) and a local authority,
 * concluded outside territorial conventions. Every change is a guarded transition that refuses with the rule
 * it enforces.
 */
public final class Agreement {

    private final UUID id;
    private final PartyType partyType;
    private final String cilId;
    private final String filialeId;
    private final Authority authority;
    private Terms terms;
    private AgreementStatus status;
    private UeslReview exclusivityApproval;
    private UeslReview investmentOpinion;
    private String ueslExclusivityReasons;
    private String ueslInvestmentOpinion;
    private LocalDate signedOn;
    private LocalDate endedOn;
    private final List<Signature> signatures = new ArrayList<>();
    private UeslDecision ueslDecision;

    /** Restores an agreement from storage. */
    public Agreement(UUID id, PartyType partyType, String cilId, String filialeId, Authority authority, Terms terms,
            AgreementStatus status, UeslReview exclusivityApproval, UeslReview investmentOpinion,
            String ueslExclusivityReasons, String ueslInvestmentOpinion, LocalDate signedOn, LocalDate endedOn) {
        this(id, partyType, cilId, filialeId, authority, terms, status, exclusivityApproval, investmentOpinion,
                ueslExclusivityReasons, ueslInvestmentOpinion, signedOn, endedOn, List.of(), null);
    }

    /** Restores an agreement from storage, with its signatures and the UESL's decision. */
    public Agreement(UUID id, PartyType partyType, String cilId, String filialeId, Authority authority, Terms terms,
            AgreementStatus status, UeslReview exclusivityApproval, UeslReview investmentOpinion,
            String ueslExclusivityReasons, String ueslInvestmentOpinion, LocalDate signedOn, LocalDate endedOn,
            List<Signature> signatures, UeslDecision ueslDecision) {
        this.id = Objects.requireNonNull(id);
        this.partyType = Objects.requireNonNull(partyType);
        this.cilId = cilId;
        this.filialeId = filialeId;
        this.authority = Objects.requireNonNull(authority);
        this.terms = Objects.requireNonNull(terms);
        this.status = Objects.requireNonNull(status);
        this.exclusivityApproval = exclusivityApproval;
        this.investmentOpinion = investmentOpinion;
        this.ueslExclusivityReasons = ueslExclusivityReasons;
        this.ueslInvestmentOpinion = ueslInvestmentOpinion;
        this.signedOn = signedOn;
        this.endedOn = endedOn;
        this.signatures.addAll(signatures);
        this.ueslDecision = ueslDecision;
    }

    /** a CIL (or its subsidiary) concludes an agreement with a local authority; R-25 for the national bodies. */
    public static Agreement draft(UUID id, PartyType partyType, String cilId, String filialeId, Authority authority,
            Terms terms) {
        if (partyType.isCil() && (cilId == null || cilId.isBlank())) {
            throw AgreementRefused.rule("R-20", "a CIL agreement names its CIL (cilId)");
        }
        if (!partyType.isCil() && (cilId != null || filialeId != null)) {
            throw AgreementRefused.rule("R-25", "an agreement of " + partyType + " has no CIL or subsidiary party");
        }
        return new Agreement(id, partyType, cilId, filialeId, authority, terms, AgreementStatus.DRAFT,
                UeslReview.NOT_REQUIRED, UeslReview.NOT_REQUIRED, null, null, null, null);
    }

    public void revise(Terms revised) {
        if (status != AgreementStatus.DRAFT) {
            throw AgreementRefused.conflict("R-24", "only a DRAFT agreement can be revised; this one is " + status);
        }
        this.terms = Objects.requireNonNull(revised);
    }

    /** a CIL's agreement with an exclusivity clause needs the UESL's prior approval before signature. */
    public boolean requiresUeslPriorApproval() {
        return partyType.isCil() && terms.exclusivity();
    }

    /** the planned investments above their kind's threshold, which the UESL must review. */
    public List<PlannedInvestment> investmentsNeedingUeslOpinion(InvestmentThresholds thresholds) {
        if (!partyType.isCil() && (ueslDecision == null || ueslDecision.staysOut())) {
            return List.of(); // the UESL stays out of this particular agreement of a national body
        }
        return terms.investments().stream().filter(thresholds::needsUeslReview).toList();
    }

    /**
     * DRAFT → SUBMITTED, then PENDING_UESL_APPROVAL when a UESL review is needed, otherwise
     * APPROVED at once. R-22: a review of investments needs the draft document attached.
     */
    public List<Transition> submit(boolean draftDocumentAttached, InvestmentThresholds thresholds) {
        if (status != AgreementStatus.DRAFT) {
            throw AgreementRefused.conflict("R-24", "only a DRAFT agreement can be submitted; this one is " + status);
        }
        if (!partyType.isCil() && ueslDecision == null) {
            throw AgreementRefused.rule("R-25", "the UESL records first whether it stays out of this agreement of "
                    + partyType + " or joins it (POST .../uesl-decision, by a UESL user)");
        }
        List<PlannedInvestment> forOpinion = investmentsNeedingUeslOpinion(thresholds);
        if (!forOpinion.isEmpty() && !draftDocumentAttached) {
            throw AgreementRefused.rule("R-22", "planned investments above the UESL thresholds need the draft "
                    + "agreement document attached to the request for approval or opinion; upload the draft PDF first");
        }
        List<Transition> transitions = new ArrayList<>();
        transitions.add(move(AgreementStatus.SUBMITTED, "submitted; the délégué territorial receives the draft (R-23)"));
        exclusivityApproval = requiresUeslPriorApproval() ? UeslReview.PENDING : UeslReview.NOT_REQUIRED;
        investmentOpinion = forOpinion.isEmpty() ? UeslReview.NOT_REQUIRED : UeslReview.PENDING;
        if (exclusivityApproval == UeslReview.PENDING || investmentOpinion == UeslReview.PENDING) {
            List<String> why = new ArrayList<>();
            if (exclusivityApproval == UeslReview.PENDING) {
                why.add("exclusivity clause (R-21)");
            }
            if (investmentOpinion == UeslReview.PENDING) {
                why.add("investments above thresholds (R-22)");
            }
            transitions.add(move(AgreementStatus.PENDING_UESL_APPROVAL,
                    "UESL prior review requested: " + String.join(", ", why)));
        } else {
            transitions.add(move(AgreementStatus.APPROVED, partyType.isCil() ? "no UESL prior approval or opinion needed"
                    : ueslDecision.staysOut() ? "the UESL stays out (R-25, decision " + ueslDecision.id() + " of "
                            + ueslDecision.decidedOn() + " by " + ueslDecision.decidedBy() + ")"
                            : "the UESL joins (R-25, decision " + ueslDecision.id() + "); no investment above the"
                                    + " thresholds"));
        }
        return transitions;
    }

    /** only a pending exclusivity approval can be decided; a refusal carries the UESL's reasons. */
    public Optional<Transition> decideExclusivity(boolean granted, String reasons) {
        if (status != AgreementStatus.PENDING_UESL_APPROVAL || exclusivityApproval != UeslReview.PENDING) {
            throw AgreementRefused.conflict("R-21", "no exclusivity approval is pending for this agreement (status "
                    + status + ", exclusivity approval " + exclusivityApproval + ")");
        }
        if (!granted && (reasons == null || reasons.isBlank())) {
            throw AgreementRefused.rule("R-21", "a refusal of the exclusivity approval must give the UESL's reasons");
        }
        exclusivityApproval = granted ? UeslReview.GRANTED : UeslReview.REFUSED;
        ueslExclusivityReasons = reasons;
        return settleReviews();
    }

    /** the UESL's approval or opinion on the planned investments; an unfavourable one gives its reasons. */
    public Optional<Transition> giveInvestmentOpinion(boolean favourable, String opinion) {
        if (status != AgreementStatus.PENDING_UESL_APPROVAL || investmentOpinion != UeslReview.PENDING) {
            throw AgreementRefused.conflict("R-22", "no investment opinion is pending for this agreement (status "
                    + status + ", investment opinion " + investmentOpinion + ")");
        }
        if (!favourable && (opinion == null || opinion.isBlank())) {
            throw AgreementRefused.rule("R-22", "an unfavourable opinion on the investments must give its reasons");
        }
        investmentOpinion = favourable ? UeslReview.GRANTED : UeslReview.REFUSED;
        ueslInvestmentOpinion = opinion;
        return settleReviews();
    }

    private Optional<Transition> settleReviews() {
        if (exclusivityApproval == UeslReview.REFUSED || investmentOpinion == UeslReview.REFUSED) {
            return Optional.of(move(AgreementStatus.REJECTED, "refused by the UESL"));
        }
        if (exclusivityApproval != UeslReview.PENDING && investmentOpinion != UeslReview.PENDING) {
            return Optional.of(move(AgreementStatus.APPROVED, "UESL prior review favourable"));
        }
        return Optional.empty();
    }

    /**
     * the UESL's choice to stay out of (or join) a particular agreement of Foncière Logement or APAGL, while it
     * is a DRAFT; a new decision replaces the previous one (both stay in the history). Never dated in the future.
     */
    public void recordUeslDecision(UeslDecision decision, LocalDate today) {
        if (partyType.isCil()) {
            throw AgreementRefused.rule("R-25", "the UESL's choice to stay out concerns the agreements of Foncière "
                    + "Logement and APAGL; a CIL's agreement has the UESL's reviews (R-21, R-22)");
        }
        if (status != AgreementStatus.DRAFT) {
            throw AgreementRefused.conflict("R-25", "the UESL decides before submission; the agreement is " + status);
        }
        if (decision.decidedOn().isAfter(today)) {
            throw AgreementRefused.rule("R-25", "a decision cannot be dated in the future (" + decision.decidedOn()
                    + " is after " + today + ")");
        }
        this.ueslDecision = decision;
    }

    /**
     * one side's signature (R-21 first: never before the UESL's grant; then R-22). The agreement stays APPROVED
     * until both sides have signed; the second signature makes it SIGNED, dated by the later of the two dates. A
     * signature is never dated in the future ({@code today}), and a side signs once.
     *
     * @return the transition to SIGNED when this is the second signature
     */
    public Optional<Transition> sign(Signature signature, LocalDate today) {
        if (status == AgreementStatus.SIGNED || status == AgreementStatus.ENDED) {
            throw AgreementRefused.conflict("R-24", "the agreement is already " + status);
        }
        if (requiresUeslPriorApproval() && exclusivityApproval != UeslReview.GRANTED) {
            throw AgreementRefused.rule("R-21", "an agreement with an exclusivity clause cannot be signed before the "
                    + "UESL's prior approval (exclusivity approval: " + exclusivityApproval + ")");
        }
        if (investmentOpinion == UeslReview.PENDING || investmentOpinion == UeslReview.REFUSED) {
            throw AgreementRefused.rule("R-22", "the planned investments have no favourable UESL opinion yet "
                    + "(investment opinion: " + investmentOpinion + ")");
        }
        if (status != AgreementStatus.APPROVED) {
            throw AgreementRefused.conflict("R-24", "only an APPROVED agreement can be signed; this one is " + status);
        }
        if (signature.signedOn().isAfter(today)) {
            throw AgreementRefused.rule("R-24", "a signature cannot be dated in the future (" + signature.signedOn()
                    + " is after " + today + ")");
        }
        if (signatureOf(signature.side()).isPresent()) {
            throw AgreementRefused.conflict("R-24", "the " + signature.side() + " side has already signed ("
                    + signatureOf(signature.side()).get().onBehalfOf() + ")");
        }
        signatures.add(signature);
        if (signatureOf(SignatorySide.PARTNER).isEmpty() || signatureOf(SignatorySide.AUTHORITY).isEmpty()) {
            return Optional.empty();
        }
        signedOn = signatures.stream().map(Signature::signedOn).max(LocalDate::compareTo).orElseThrow();
        return Optional.of(move(AgreementStatus.SIGNED, "signed by both parties ("
                + String.join(", ", signatures.stream().map(s -> s.onBehalfOf() + " on " + s.signedOn()).toList())
                + ")"));
    }

    /** The sides that have not signed yet (both while APPROVED without signature). */
    public List<SignatorySide> missingSignatures() {
        return java.util.Arrays.stream(SignatorySide.values()).filter(s -> signatureOf(s).isEmpty()).toList();
    }

    public Optional<Signature> signatureOf(SignatorySide side) {
        return signatures.stream().filter(s -> s.side() == side).findFirst();
    }

    /** The key of the partner side: its subsidiary when one concludes it, else its CIL, or the national body. */
    public String partnerKey() {
        if (!partyType.isCil()) {
            return partyType.name();
        }
        return filialeId != null ? "FILIALE:" + filialeId : "CIL:" + cilId;
    }

    public String authorityKey() {
        return "COLLECTIVITE:" + authority.collectiviteId();
    }

    public Transition end(LocalDate on, String reason) {
        if (status != AgreementStatus.SIGNED) {
            throw AgreementRefused.conflict("R-24", "only a SIGNED agreement can be ended; this one is " + status);
        }
        if (on.isBefore(signedOn)) {
            throw AgreementRefused.rule("R-24", "an agreement cannot end (" + on + ") before its signature (" + signedOn
                    + ")");
        }
        endedOn = on;
        return move(AgreementStatus.ENDED, reason);
    }

    private Transition move(AgreementStatus to, String reason) {
        Transition t = new Transition(status, to, reason);
        status = to;
        return t;
    }

    public UUID id() {
        return id;
    }

    public PartyType partyType() {
        return partyType;
    }

    public String cilId() {
        return cilId;
    }

    public String filialeId() {
        return filialeId;
    }

    public Authority authority() {
        return authority;
    }

    public Terms terms() {
        return terms;
    }

    public AgreementStatus status() {
        return status;
    }

    public UeslReview exclusivityApproval() {
        return exclusivityApproval;
    }

    public UeslReview investmentOpinion() {
        return investmentOpinion;
    }

    public String ueslExclusivityReasons() {
        return ueslExclusivityReasons;
    }

    public String ueslInvestmentOpinion() {
        return ueslInvestmentOpinion;
    }

    public LocalDate signedOn() {
        return signedOn;
    }

    public LocalDate endedOn() {
        return endedOn;
    }

    public List<Signature> signatures() {
        return List.copyOf(signatures);
    }

    public UeslDecision ueslDecision() {
        return ueslDecision;
    }
}
