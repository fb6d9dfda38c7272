package fr.actionlogement.territorial.partnerships.persistence;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;

import fr.actionlogement.territorial.buildingblocks.persistence.VersionedEntity;
import fr.actionlogement.territorial.partnerships.domain.Agreement;
import fr.actionlogement.territorial.partnerships.domain.AgreementStatus;
import fr.actionlogement.territorial.partnerships.domain.Authority;
import fr.actionlogement.territorial.partnerships.domain.PartyType;
import fr.actionlogement.territorial.partnerships.domain.Terms;
import fr.actionlogement.territorial.partnerships.domain.Transition;
import fr.actionlogement.territorial.partnerships.domain.UeslReview;

@Entity
@Table(name = "agreement")
public class AgreementEntity extends VersionedEntity {

    @Id
    public UUID id;

    @Enumerated(EnumType.STRING)
    @Column(name = "party_type", nullable = false)
    public PartyType partyType;

    @Column(name = "cil_id")
    public String cilId;

    @Column(name = "filiale_id")
    public String filialeId;

    @Column(name = "collectivite_id", nullable = false)
    public String collectiviteId;

    @Column(name = "territory_id", nullable = false)
    public String territoryId;

    @Column(name = "authority_name")
    public String authorityName;

    @Column(name = "region_code")
    public String regionCode;

    @Column(name = "object", nullable = false)
    public String object;

    @Column(name = "start_date")
    public LocalDate startDate;

    @Column(name = "duration_months", nullable = false)
    public int durationMonths;

    @Column(name = "exclusivity", nullable = false)
    public boolean exclusivity;

    @Column(name = "exclusivity_scope")
    public String exclusivityScope;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", nullable = false)
    public AgreementStatus status;

    @Enumerated(EnumType.STRING)
    @Column(name = "exclusivity_approval", nullable = false)
    public UeslReview exclusivityApproval;

    @Enumerated(EnumType.STRING)
    @Column(name = "investment_opinion", nullable = false)
    public UeslReview investmentOpinion;

    @Column(name = "uesl_exclusivity_reasons")
    public String ueslExclusivityReasons;

    @Column(name = "uesl_investment_opinion")
    public String ueslInvestmentOpinion;

    @Column(name = "signed_on")
    public LocalDate signedOn;

    @Column(name = "ended_on")
    public LocalDate endedOn;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "agreement_investment", joinColumns = @JoinColumn(name = "agreement_id"))
    @OrderColumn(name = "position")
    public List<InvestmentLine> investments = new ArrayList<>();

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "agreement_status_change", joinColumns = @JoinColumn(name = "agreement_id"))
    @OrderColumn(name = "position")
    public List<StatusChange> statusHistory = new ArrayList<>();

    /** each side's signature, in the order they arrived. */
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "agreement_signature", joinColumns = @JoinColumn(name = "agreement_id"))
    @OrderColumn(name = "position")
    public List<SignatureLine> signatures = new ArrayList<>();

    /** the UESL's decisions on a national body's agreement, oldest first; the last applies. */
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "agreement_uesl_decision", joinColumns = @JoinColumn(name = "agreement_id"))
    @OrderColumn(name = "position")
    public List<UeslDecisionLine> ueslDecisions = new ArrayList<>();

    public Agreement toDomain() {
        return new Agreement(id, partyType, cilId, filialeId,
                new Authority(collectiviteId, territoryId, authorityName, regionCode),
                new Terms(object, startDate, durationMonths, exclusivity, exclusivityScope,
                        investments.stream().map(InvestmentLine::toDomain).toList()),
                status, exclusivityApproval, investmentOpinion, ueslExclusivityReasons, ueslInvestmentOpinion,
                signedOn, endedOn, signatures.stream().map(SignatureLine::toDomain).toList(),
                ueslDecisions.isEmpty() ? null : ueslDecisions.get(ueslDecisions.size() - 1).toDomain());
    }

    /** Copies the aggregate's state onto this row. */
    public void apply(Agreement a, OffsetDateTime now) {
        id = a.id();
        partyType = a.partyType();
        cilId = a.cilId();
        filialeId = a.filialeId();
        collectiviteId = a.authority().collectiviteId();
        territoryId = a.authority().territoryId();
        authorityName = a.authority().name();
        regionCode = a.authority().regionCode();
        Terms t = a.terms();
        object = t.object();
        startDate = t.startDate();
        durationMonths = t.durationMonths();
        exclusivity = t.exclusivity();
        exclusivityScope = t.exclusivityScope();
        List<InvestmentLine> lines = t.investments().stream().map(InvestmentLine::of).toList();
        if (!sameInvestments(lines)) {
            investments.clear();
            investments.addAll(lines);
        }
        status = a.status();
        exclusivityApproval = a.exclusivityApproval();
        investmentOpinion = a.investmentOpinion();
        ueslExclusivityReasons = a.ueslExclusivityReasons();
        ueslInvestmentOpinion = a.ueslInvestmentOpinion();
        signedOn = a.signedOn();
        endedOn = a.endedOn();
        List<fr.actionlogement.territorial.partnerships.domain.Signature> signed = a.signatures();
        for (int i = signatures.size(); i < signed.size(); i++) {
            signatures.add(SignatureLine.of(signed.get(i)));
        }
        if (a.ueslDecision() != null && ueslDecisions.stream()
                .noneMatch(d -> d.decisionId.equals(a.ueslDecision().id()))) {
            ueslDecisions.add(UeslDecisionLine.of(a.ueslDecision()));
        }
        updatedAt = now;
    }

    public void recordTransition(Transition t, String actor, OffsetDateTime at) {
        StatusChange c = new StatusChange();
        c.fromStatus = t.from();
        c.toStatus = t.to();
        c.changedAt = at;
        c.changedBy = actor;
        c.reason = t.reason();
        statusHistory.add(c);
    }

    private boolean sameInvestments(List<InvestmentLine> lines) {
        if (lines.size() != investments.size()) {
            return false;
        }
        for (int i = 0; i < lines.size(); i++) {
            InvestmentLine a = lines.get(i);
            InvestmentLine b = investments.get(i);
            if (a.kind != b.kind || a.amount.compareTo(b.amount) != 0
                    || !java.util.Objects.equals(a.description, b.description)) {
                return false;
            }
        }
        return true;
    }
}
