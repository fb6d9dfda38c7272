package fr.actionlogement.territorial.partnerships.persistence;

import java.math.BigDecimal;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;

import fr.actionlogement.territorial.partnerships.domain.InvestmentKind;
import fr.actionlogement.territorial.partnerships.domain.PlannedInvestment;

@Embeddable
public class InvestmentLine {

    @Enumerated(EnumType.STRING)
    @Column(name = "kind", nullable = false)
    public InvestmentKind kind;

    @Column(name = "amount", nullable = false, precision = 15, scale = 2)
    public BigDecimal amount;

    @Column(name = "description")
    public String description;

    public static InvestmentLine of(PlannedInvestment i) {
        InvestmentLine line = new InvestmentLine();
        line.kind = i.kind();
        line.amount = i.amount();
        line.description = i.description();
        return line;
    }

    public PlannedInvestment toDomain() {
        return new PlannedInvestment(kind, amount, description);
    }
}
