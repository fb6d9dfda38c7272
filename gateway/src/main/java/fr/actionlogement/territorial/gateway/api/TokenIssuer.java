package fr.actionlogement.territorial.gateway.api;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.quarkus.oidc.OIDCException;

/**
 * Tells a token the issuer refused from a token that could not be checked because the issuer (Keycloak) could not
 * be reached: quarkus-oidc reports the first as an AuthenticationFailedException on its own, the second as an
 * OIDCException (metadata or keys never fetched, e.g. the gateway started while Keycloak was down) or as an
 * AuthenticationFailedException caused by the failed connection (a token signed with a key the gateway has not
 * cached yet, whose JWKS refresh failed). The second is a 503 with Retry-After, never a 401: the caller's token may
 * be perfectly good, and a client told 401 throws it away.
 */
public final class TokenIssuer {

    /** Seconds a client should wait before retrying while Keycloak is unreachable. */
    public static final String RETRY_AFTER_SECONDS = "5";

    private TokenIssuer() {
    }

    public static boolean unreachable(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 10; t = t.getCause(), depth++) {
            // Connection refused, unknown host and connect timeouts are IOExceptions; a token's own JSON is not.
            if (t instanceof OIDCException || t instanceof TimeoutException
                    || t instanceof IOException && !(t instanceof JsonProcessingException)) {
                return true;
            }
        }
        return false;
    }
}
