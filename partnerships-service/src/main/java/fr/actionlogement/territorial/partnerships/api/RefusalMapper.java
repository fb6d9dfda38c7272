package fr.actionlogement.territorial.partnerships.api;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import fr.actionlogement.territorial.buildingblocks.api.RequestIdFilter;
import fr.actionlogement.territorial.buildingblocks.problem.Problem;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemType;
import fr.actionlogement.territorial.partnerships.domain.AgreementRefused;

/** A domain refusal is a problem naming its rule: 409 when about the current state, 422 otherwise. */
public class RefusalMapper {

    @ServerExceptionMapper
    public Response refused(AgreementRefused e, ContainerRequestContext request) {
        ProblemType type = e.isConflict() ? ProblemType.CONFLICT : ProblemType.RULE_VIOLATION;
        Problem body = new Problem(type.uri(), type.title(), type.status(), e.rule() + ": " + e.getMessage(),
                URI.create(request.getUriInfo().getRequestUri().getRawPath()), e.rule(),
                RequestIdFilter.requestId(request), List.of());
        return Response.status(type.status()).type(Problem.MEDIA_TYPE).entity(body).build();
    }
}
