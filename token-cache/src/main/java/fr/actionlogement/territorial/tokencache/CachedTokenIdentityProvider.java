package fr.actionlogement.territorial.tokencache;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;

/**
 * Answers a bearer access token from the {@link VerifiedTokenCache} before quarkus-oidc's provider (a higher
 * priority): on a miss it answers nothing, marks the request, and quarkus-oidc verifies the token as it always does;
 * {@link VerifiedTokenRecorder} then keeps what quarkus-oidc built.
 */
@ApplicationScoped
public class CachedTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    /** Request attribute: this token was looked up and missed, keep the identity quarkus-oidc builds for it. */
    static final String VERIFY_AND_KEEP = CachedTokenIdentityProvider.class.getName() + ".miss";
    /** Above quarkus-oidc's provider (the default, 1001). */
    static final int PRIORITY = 2000;

    private final VerifiedTokenCache cache;

    CachedTokenIdentityProvider(VerifiedTokenCache cache) {
        this.cache = cache;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        if (!cache.enabled() || !(request.getToken() instanceof AccessTokenCredential credential)
                || credential.getToken() == null || credential.isOpaque()) {
            return Uni.createFrom().nullItem();
        }
        SecurityIdentity hit = cache.lookup(credential, HttpSecurityUtils.getRoutingContextAttribute(request), context);
        if (hit != null) {
            return Uni.createFrom().item(hit);
        }
        request.setAttribute(VERIFY_AND_KEEP, credential.getToken());
        return Uni.createFrom().nullItem();
    }
}
