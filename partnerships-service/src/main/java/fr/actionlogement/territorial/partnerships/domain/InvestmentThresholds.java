package fr.actionlogement.territorial.partnerships.domain;

import java.math.BigDecimal;

/** per kind, the amount above which the UESL's prior approval or opinion is needed (configuration). */
public interface InvestmentThresholds {

    BigDecimal thresholdFor(InvestmentKind kind);

    default boolean needsUeslReview(PlannedInvestment investment) {
        return investment.amount().compareTo(thresholdFor(investment.kind())) > 0;
    }
}
