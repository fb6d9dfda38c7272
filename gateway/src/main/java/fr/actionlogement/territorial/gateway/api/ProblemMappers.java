package fr.actionlogement.territorial.gateway.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import fr.actionlogement.territorial.gateway.proxy.Correlation;
import io.quarkus.oidc.OIDCException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.ext.web.RoutingContext;

/** Every error of the gateway's own endpoints is problem+json, like the services'. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, RoutingContext ctx) {
        return respond(ctx, e.type(), e.getMessage());
    }

    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class })
    public Response unauthenticated(RuntimeException e, RoutingContext ctx) {
        if (TokenIssuer.unreachable(e)) {
            return issuerUnavailable(e, ctx);
        }
        return Response.fromResponse(respond(ctx, Problem.Type.UNAUTHORIZED, "A valid bearer token is required"))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    /** Keycloak cannot be reached to verify the token: the caller's token may be fine, so not a 401. */
    @ServerExceptionMapper
    public Response issuerUnavailable(OIDCException e, RoutingContext ctx) {
        return issuerUnavailable((RuntimeException) e, ctx);
    }

    private static Response issuerUnavailable(RuntimeException e, RoutingContext ctx) {
        LOG.warnf("Token issuer unavailable (request %s): %s", Correlation.requestId(ctx), e);
        return Response.fromResponse(respond(ctx, Problem.Type.SERVICE_UNAVAILABLE,
                "The token issuer cannot be reached to verify the token; retry later"))
                .header(HttpHeaders.RETRY_AFTER, TokenIssuer.RETRY_AFTER_SECONDS).build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, RoutingContext ctx) {
        return respond(ctx, Problem.Type.FORBIDDEN, "Your role does not allow this operation");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, RoutingContext ctx) {
        int status = e.getResponse().getStatus();
        return respond(ctx, Problem.Type.forStatus(status), e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, RoutingContext ctx) {
        LOG.errorf(e, "Unexpected error on %s (request %s)", ctx.request().path(), Correlation.requestId(ctx));
        return respond(ctx, Problem.Type.INTERNAL, "An unexpected error occurred; quote the request id");
    }

    private static Response respond(RoutingContext ctx, Problem.Type type, String detail) {
        Problem body = Problem.of(type, detail, ctx.request().path(), Correlation.requestId(ctx));
        return Response.status(type.status).type(Problem.MEDIA_TYPE).entity(body).build();
    }
}
