package fr.actionlogement.territorial.partnerships.config;

import java.math.BigDecimal;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the partnerships service ({@code partnerships.*}). */
@ConfigMapping(prefix = "partnerships")
public interface PartnershipsConfig {

    Investments investments();

    Documents documents();

    /**
     * an investment strictly above its kind's threshold (euros) needs the UESL's prior approval or opinion,
     * with the draft document attached. The note leaves the amounts to the UESL; these defaults are ours.
     */
    interface Investments {

        /** Subsidies (subventions) above this amount. */
        @WithDefault("100000")
        BigDecimal subventionThreshold();

        /** Loans (prêts) above this amount. */
        @WithDefault("300000")
        BigDecimal pretThreshold();

        /** Equity participations: any amount by default, as they commit the CIL's own funds durably. */
        @WithDefault("0")
        BigDecimal participationThreshold();
    }

    interface Documents {

        /** Largest draft document accepted; a larger upload gets a 413 problem and stores nothing. */
        @WithDefault("10M")
        MemorySize maxSize();
    }
}
