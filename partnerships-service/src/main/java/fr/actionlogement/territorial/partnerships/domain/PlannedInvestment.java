package fr.actionlogement.territorial.partnerships.domain;

import java.math.BigDecimal;
import java.util.Objects;

/** An investment the agreement plans, in euros. */
public record PlannedInvestment(InvestmentKind kind, BigDecimal amount, String description) {

    public PlannedInvestment {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(amount, "amount");
        if (amount.signum() <= 0) {
            throw new IllegalArgumentException("amount must be positive");
        }
    }
}
