package fr.actionlogement.territorial.observatory.api;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import fr.actionlogement.territorial.buildingblocks.api.RequestIdFilter;
import fr.actionlogement.territorial.buildingblocks.problem.Problem;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemType;
import fr.actionlogement.territorial.observatory.domain.Refusal;

/** A domain refusal is a problem naming its rule: 422, or 409 when the aggregate's state forbids the change. */
public class RefusalMapper {

    @ServerExceptionMapper
    public Response refused(Refusal e, ContainerRequestContext request) {
        ProblemType type = e.stateConflict() ? ProblemType.CONFLICT : ProblemType.RULE_VIOLATION;
        Problem body = new Problem(type.uri(), type.title(), type.status(), e.rule() + ": " + e.getMessage(),
                URI.create(request.getUriInfo().getRequestUri().getRawPath()), e.rule(),
                RequestIdFilter.requestId(request), List.of());
        return Response.status(type.status()).type(Problem.MEDIA_TYPE).entity(body).build();
    }
}
