package fr.actionlogement.territorial.buildingblocks.outbox;

import java.time.Duration;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Outbox relay settings; every service inherits these defaults. */
@ConfigMapping(prefix = "outbox")
public interface OutboxConfig {

    /** Set to false in a replica that must not publish (the relay is safe to run in every replica). */
    @WithDefault("true")
    boolean relayEnabled();

    /** Fallback poll when no NOTIFY arrives (a lost notification or a row written by another tool). */
    @WithDefault("2s")
    Duration pollInterval();

    @WithDefault("200")
    int batchSize();

    /** How long one batch waits for Kafka's acknowledgements before the batch is retried. */
    @WithDefault("10s")
    Duration sendTimeout();

    /** Upper bound of the exponential back-off while Kafka is unreachable. */
    @WithDefault("30s")
    Duration maxBackoff();

    /** Published rows are deleted after this delay. */
    @WithDefault("P7D")
    Duration retention();

    /** Extra Kafka producer properties (e.g. security settings), added to the defaults. */
    Map<String, String> producer();
}
