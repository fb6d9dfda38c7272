package fr.actionlogement.territorial.tokencache;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The verified-token cache (docs/security.md, "Verified-token cache"; docs/configuration.md). */
@ConfigMapping(prefix = "territorial.token-cache")
public interface TokenCacheConfig {

    /** Off: every request's token is parsed and verified by quarkus-oidc, as without the cache. */
    @WithDefault("true")
    boolean enabled();

    /** Tokens kept at most (least recently used dropped first); a few kB each. */
    @WithDefault("2000")
    int maxSize();

    /** An entry lives until the token's {@code exp}, and never longer than this after it was verified. */
    @WithDefault("5M")
    Duration maxLifetime();
}
