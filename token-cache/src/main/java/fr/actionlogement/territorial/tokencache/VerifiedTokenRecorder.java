package fr.actionlogement.territorial.tokencache;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;

/**
 * Keeps the identity quarkus-oidc has just verified for a token the {@link CachedTokenIdentityProvider} missed. The
 * first augmentor to run (highest priority), so it sees the provider's identity before any other augmentor changes
 * it; augmentors run again on every hit, as they do on every request. Changes nothing.
 */
@ApplicationScoped
public class VerifiedTokenRecorder implements SecurityIdentityAugmentor {

    private static final Logger LOG = Logger.getLogger(VerifiedTokenRecorder.class);

    private final VerifiedTokenCache cache;

    VerifiedTokenRecorder(VerifiedTokenCache cache) {
        this.cache = cache;
    }

    @Override
    public int priority() {
        return Integer.MAX_VALUE;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        return Uni.createFrom().item(identity);
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context,
            Map<String, Object> attributes) {
        if (cache.enabled() && attributes != null
                && attributes.get(CachedTokenIdentityProvider.VERIFY_AND_KEEP) instanceof String token) {
            try {
                cache.store(token, identity);
            } catch (RuntimeException e) {
                // Keeping it is an optimisation: the request goes on with the identity quarkus-oidc verified.
                LOG.warnf(e, "Could not keep a verified token's identity");
            }
        }
        return Uni.createFrom().item(identity);
    }
}
