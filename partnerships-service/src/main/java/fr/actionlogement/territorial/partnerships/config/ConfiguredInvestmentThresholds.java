package fr.actionlogement.territorial.partnerships.config;

import java.math.BigDecimal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import fr.actionlogement.territorial.partnerships.domain.InvestmentKind;
import fr.actionlogement.territorial.partnerships.domain.InvestmentThresholds;

/** R-22 thresholds as the domain sees them, read from {@code partnerships.investments.*}. */
@ApplicationScoped
public class ConfiguredInvestmentThresholds implements InvestmentThresholds {

    @Inject
    PartnershipsConfig config;

    @Override
    public BigDecimal thresholdFor(InvestmentKind kind) {
        PartnershipsConfig.Investments i = config.investments();
        return switch (kind) {
            case SUBVENTION -> i.subventionThreshold();
            case PRET -> i.pretThreshold();
            case PARTICIPATION -> i.participationThreshold();
        };
    }
}
