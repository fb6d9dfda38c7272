package fr.actionlogement.territorial.conventions.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the conventions context; every number of the domain brief that is a choice lives here. */
@ConfigMapping(prefix = "conventions")
public interface ConventionsConfig {

    /** cap of open conventions of a campaign created without one (the 2011 experiment: about ten). */
    @WithDefault("10")
    int defaultCampaignCap();

    /** Length in years of a convention's period, starting with its campaign's year, unless negotiated otherwise. */
    @WithDefault("3")
    int defaultPeriodYears();

    /** signing with reservation costs higher than the territory's previous convention needs a justification. */
    @WithDefault("true")
    boolean costIncreaseRequiresJustification();
}
