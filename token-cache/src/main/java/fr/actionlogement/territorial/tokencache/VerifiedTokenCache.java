package fr.actionlogement.territorial.tokencache;

import java.security.Permission;
import java.security.Principal;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.vertx.ext.web.RoutingContext;

/**
 * Identities quarkus-oidc built from bearer access tokens it verified (signature, issuer, audience, expiry and its
 * other checks), by exact token string, until the token expires. A hit gives a new identity made of the verified
 * principal, roles and permissions and the current request's own credential and request-bound attributes: nothing
 * bound to the request that first presented the token (its RoutingContext) is ever handed to another.
 *
 * <p>
 * Only what can be rebuilt faithfully is kept: an identity of the default OIDC tenant, whose principal is the JWT of
 * this very token, with no attribute beyond those listed in {@link #SHARED_ATTRIBUTES} and
 * {@link #REQUEST_ATTRIBUTES}. Anything else (UserInfo, introspection, another tenant) is left to quarkus-oidc on
 * every request.
 */
@ApplicationScoped
public class VerifiedTokenCache {

    private static final Logger LOG = Logger.getLogger(VerifiedTokenCache.class);

    /** Attributes quarkus-oidc sets that describe the tenant, not the request: kept in the entry. */
    static final Set<String> SHARED_ATTRIBUTES = Set.of("tenant-id", "configuration-metadata",
            "io.quarkus.oidc.OidcProviderClient", "io.quarkus.oidc.runtime.OidcProviderClient", "quarkus.identity.expire-time");
    /** Attributes bound to the request that presented the token: never kept, set from the current request. */
    static final Set<String> REQUEST_ATTRIBUTES = Set.of(RoutingContext.class.getName(),
            AuthenticationRequestContext.class.getName());
    private static final String DEFAULT_TENANT = "Default";

    /**
     * What a hit is rebuilt from. {@code credential}: the one quarkus-oidc built for this token (immutable, reused by
     * {@link CachedBearerMechanism}); {@code deadline}: epoch milliseconds after which the entry is never served.
     */
    record Verified(Principal principal, Set<String> roles, Set<Permission> permissions, Map<String, Object> attributes,
            AccessTokenCredential credential, long deadline) {
    }

    private final TokenCacheConfig config;
    private final Cache<String, Verified> cache;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();

    VerifiedTokenCache(TokenCacheConfig config, MeterRegistry metrics) {
        this.config = config;
        if (!config.enabled()) {
            this.cache = null;
            LOG.info("Verified-token cache off (territorial.token-cache.enabled=false): every token is verified");
            return;
        }
        this.cache = Caffeine.newBuilder().maximumSize(config.maxSize()).expireAfter(new Expiry<String, Verified>() {
            @Override
            public long expireAfterCreate(String key, Verified value, long currentTime) {
                return remainingNanos(value);
            }

            @Override
            public long expireAfterUpdate(String key, Verified value, long currentTime, long currentDuration) {
                return remainingNanos(value);
            }

            @Override
            public long expireAfterRead(String key, Verified value, long currentTime, long currentDuration) {
                return currentDuration;
            }
        }).build();
        // Read from the counts when scraped: a Micrometer counter incremented on every request cost 2 % of the CPU
        // (its Prometheus exemplar sampling).
        FunctionCounter.builder("token.cache.lookups", hits, AtomicLong::get).tag("result", "hit")
                .description("Bearer tokens answered from the verified-token cache").register(metrics);
        FunctionCounter.builder("token.cache.lookups", misses, AtomicLong::get).tag("result", "miss")
                .description("Bearer tokens verified by quarkus-oidc (not in the verified-token cache)").register(metrics);
        metrics.gauge("token.cache.size", cache, c -> c.estimatedSize());
    }

    public boolean enabled() {
        return cache != null;
    }

    /** Tokens answered from the cache since start. */
    public long hits() {
        return hits.get();
    }

    /** Tokens looked up and not found (verified by quarkus-oidc) since start. */
    public long misses() {
        return misses.get();
    }

    /** Identities stored since start. */
    public long stored() {
        return stored.get();
    }

    /** Drops every entry (tests, or an operator's decision through code). */
    public void clear() {
        if (cache != null) {
            cache.invalidateAll();
        }
    }

    /**
     * The identity for a token verified before and not expired, rebuilt for the current request; {@code null} when
     * quarkus-oidc must verify it.
     */
    SecurityIdentity lookup(TokenCredential credential, RoutingContext routingContext,
            AuthenticationRequestContext requestContext) {
        Verified v = live(credential.getToken());
        if (v == null) {
            misses.incrementAndGet();
            return null;
        }
        hits.incrementAndGet();
        QuarkusSecurityIdentity.Builder b = QuarkusSecurityIdentity.builder().setPrincipal(v.principal())
                .addRoles(v.roles()).addCredential(credential).addAttributes(v.attributes());
        if (!v.permissions().isEmpty()) {
            b.addPermissions(v.permissions());
        }
        b.addAttribute(AuthenticationRequestContext.class.getName(), requestContext);
        if (routingContext != null) {
            // As quarkus-oidc does for the request it verifies.
            routingContext.put(AuthenticationRequestContext.class.getName(), requestContext);
            b.addAttribute(RoutingContext.class.getName(), routingContext);
        }
        return b.build();
    }

    /**
     * The credential quarkus-oidc built when it verified {@code token}, while the token is in the cache and not
     * expired; else null. Counts nothing: the lookup that follows does.
     */
    AccessTokenCredential credential(String token) {
        if (cache == null || token == null) {
            return null;
        }
        Verified v = live(token);
        return v == null ? null : v.credential();
    }

    /** The entry of a token before its deadline; an entry past it is dropped, never served. */
    private Verified live(String token) {
        Verified v = cache.getIfPresent(token);
        if (v != null && System.currentTimeMillis() >= v.deadline()) {
            cache.invalidate(token);
            return null;
        }
        return v;
    }

    /** Keeps an identity quarkus-oidc has just built from {@code token}, when it can be rebuilt faithfully. */
    void store(String token, SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()
                || !(identity.getPrincipal() instanceof JsonWebToken jwt) || !token.equals(jwt.getRawToken())) {
            LOG.debug("Not caching an identity whose principal is not this token's JWT");
            return;
        }
        AccessTokenCredential credential = identity.getCredential(AccessTokenCredential.class);
        if (credential == null || !token.equals(credential.getToken()) || identity.getCredentials().size() != 1
                || !DEFAULT_TENANT.equals(identity.getAttribute("tenant-id"))) {
            LOG.debugf("Not caching an identity with other credentials or of another tenant (%s)",
                    identity.getAttribute("tenant-id"));
            return;
        }
        Map<String, Object> shared = new HashMap<>();
        for (Map.Entry<String, Object> a : identity.getAttributes().entrySet()) {
            if (SHARED_ATTRIBUTES.contains(a.getKey())) {
                if (a.getValue() != null) { // e.g. no provider metadata when keys are configured, not fetched
                    shared.put(a.getKey(), a.getValue());
                }
            } else if (!REQUEST_ATTRIBUTES.contains(a.getKey())) {
                LOG.debugf("Not caching an identity with the attribute %s", a.getKey());
                return;
            }
        }
        long exp = jwt.getExpirationTime();
        if (exp <= 0) {
            return;
        }
        long now = System.currentTimeMillis();
        long deadline = Math.min(TimeUnit.SECONDS.toMillis(exp), now + config.maxLifetime().toMillis());
        if (deadline <= now) {
            return;
        }
        cache.put(token, new Verified(jwt, Set.copyOf(identity.getRoles()), Set.copyOf(identity.getPermissions()),
                Map.copyOf(shared), credential, deadline));
        stored.incrementAndGet();
    }

    private static long remainingNanos(Verified v) {
        return TimeUnit.MILLISECONDS.toNanos(Math.max(0, v.deadline() - System.currentTimeMillis()));
    }
}
