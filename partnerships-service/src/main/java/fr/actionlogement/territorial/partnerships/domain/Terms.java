package fr.actionlogement.territorial.partnerships.domain;

import java.time.LocalDate;
import java.util.List;

/** What the parties agree on: object, duration, exclusivity clause and planned investments. */
public record Terms(
        String object,
        LocalDate startDate,
        int durationMonths,
        boolean exclusivity,
        String exclusivityScope,
        List<PlannedInvestment> investments) {

    public Terms {
        investments = investments == null ? List.of() : List.copyOf(investments);
        if (exclusivity && (exclusivityScope == null || exclusivityScope.isBlank())) {
            // the UESL approves an exclusivity whose extent it can read.
            throw AgreementRefused.rule("R-21", "an exclusivity clause must state its scope (exclusivityScope)");
        }
        if (!exclusivity) {
            exclusivityScope = null;
        }
    }
}
