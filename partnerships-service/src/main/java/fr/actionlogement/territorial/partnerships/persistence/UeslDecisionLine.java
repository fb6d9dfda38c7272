package fr.actionlogement.territorial.partnerships.persistence;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import fr.actionlogement.territorial.partnerships.domain.UeslDecision;

/** One recorded UESL decision on a national body's agreement. */
@Embeddable
public class UeslDecisionLine {

    @Column(name = "decision_id", nullable = false)
    public UUID decisionId;

    @Column(name = "stays_out", nullable = false)
    public boolean staysOut;

    @Column(name = "decided_on", nullable = false)
    public LocalDate decidedOn;

    @Column(name = "decided_by", nullable = false)
    public String decidedBy;

    @Column(name = "reasons", nullable = false)
    public String reasons;

    @Column(name = "recorded_at", nullable = false)
    public OffsetDateTime recordedAt;

    public static UeslDecisionLine of(UeslDecision d) {
        UeslDecisionLine l = new UeslDecisionLine();
        l.decisionId = d.id();
        l.staysOut = d.staysOut();
        l.decidedOn = d.decidedOn();
        l.decidedBy = d.decidedBy();
        l.reasons = d.reasons();
        l.recordedAt = d.recordedAt();
        return l;
    }

    public UeslDecision toDomain() {
        return new UeslDecision(decisionId, staysOut, decidedOn, decidedBy, reasons, recordedAt);
    }
}
