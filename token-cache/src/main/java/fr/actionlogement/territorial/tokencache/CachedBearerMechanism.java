package fr.actionlogement.territorial.tokencache;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * The front of the {@link VerifiedTokenCache}: a bearer token already in the cache goes straight to the identity
 * providers (then {@link CachedTokenIdentityProvider} answers it, and the augmentors run as on every request) with
 * the credential kept when quarkus-oidc verified it. quarkus-oidc's own mechanism would first build a new credential,
 * which base64-decodes and JSON-parses the token's payload on every request (10-13 % of an app's CPU under load,
 * docs/performance.md). Anything else (no token, a token not in the cache, another scheme) is left to quarkus-oidc's
 * mechanism, which comes next; challenges are always quarkus-oidc's.
 *
 * <p>
 * Off when the cache is off, or when quarkus-oidc reads the token from another header or scheme, or binds it to a
 * client certificate: the shortcut only knows the plain {@code Authorization: Bearer} token.
 */
@ApplicationScoped
public class CachedBearerMechanism implements HttpAuthenticationMechanism {

    private static final Logger LOG = Logger.getLogger(CachedBearerMechanism.class);
    private static final String SCHEME = "Bearer";
    private static final HttpCredentialTransport TRANSPORT = new HttpCredentialTransport(
            HttpCredentialTransport.Type.AUTHORIZATION, "bearer");
    /** Ahead of quarkus-oidc's mechanism ({@code quarkus.oidc.priority}, 1001 by default). */
    static final int PRIORITY = 2000;

    private final VerifiedTokenCache cache;
    private final boolean active;
    private final AtomicLong shortcuts = new AtomicLong();

    CachedBearerMechanism(VerifiedTokenCache cache,
            @ConfigProperty(name = "quarkus.oidc.token.header") Optional<String> header,
            @ConfigProperty(name = "quarkus.oidc.token.authorization-scheme", defaultValue = SCHEME) String scheme,
            @ConfigProperty(name = "quarkus.oidc.token.binding.certificate", defaultValue = "false") boolean bound) {
        this.cache = cache;
        boolean plainBearer = header.isEmpty() && SCHEME.equalsIgnoreCase(scheme) && !bound;
        this.active = cache.enabled() && plainBearer;
        if (cache.enabled() && !plainBearer) {
            LOG.info("Verified-token cache: tokens are not plain 'Authorization: Bearer' here (quarkus.oidc.token.*),"
                    + " quarkus-oidc reads every one");
        }
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        AccessTokenCredential credential = active ? cache.credential(bearerToken(context)) : null;
        if (credential == null) {
            return Uni.createFrom().nullItem();
        }
        shortcuts.incrementAndGet();
        return identityProviderManager.authenticate(
                HttpSecurityUtils.setRoutingContextAttribute(new TokenAuthenticationRequest(credential), context));
    }

    /** Requests whose cached token went to the identity providers without quarkus-oidc's mechanism, since start. */
    public long shortcuts() {
        return shortcuts.get();
    }

    /**
     * The token of an {@code Authorization: Bearer <token>} header, exactly as quarkus-oidc reads it (the scheme up to
     * the first space, in any case; everything after that space, untrimmed); else null.
     */
    static String bearerToken(RoutingContext context) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || header.length() <= SCHEME.length() || header.charAt(SCHEME.length()) != ' '
                || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return null;
        }
        return header.substring(SCHEME.length() + 1);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().nullItem(); // quarkus-oidc's, next in line
    }

    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        return Uni.createFrom().item(false); // quarkus-oidc's, next in line
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(TRANSPORT);
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }
}
