package fr.actionlogement.territorial.buildingblocks.problem;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.quarkus.oidc.OIDCException;

/**
 * Tells a token Keycloak's keys refuse from a token that could not be checked because Keycloak could not be
 * reached: quarkus-oidc reports the second as an OIDCException (metadata or keys never fetched, e.g. the service
 * started while Keycloak was down) or as an AuthenticationFailedException caused by the failed connection (a token
 * signed with a key not cached yet, whose JWKS refresh failed). That is a 503 with Retry-After, never a 401: the
 * caller's token may be perfectly good. The gateway applies the same rule before the request gets here.
 */
final class TokenIssuer {

    /** Seconds a client should wait before retrying while Keycloak is unreachable. */
    static final String RETRY_AFTER_SECONDS = "5";

    private TokenIssuer() {
    }

    static boolean unreachable(Throwable failure) {
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
