package fr.actionlogement.territorial.buildingblocks.api;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How long an {@code Idempotency-Key} is remembered; every service inherits this default. */
@ConfigMapping(prefix = "idempotency")
public interface IdempotencyConfig {

    /**
     * A retry with the same key within this delay replays the first response; after it, the key is forgotten and
     * may create again. A day covers any sensible client retry policy.
     */
    @WithDefault("P1D")
    Duration retention();
}
