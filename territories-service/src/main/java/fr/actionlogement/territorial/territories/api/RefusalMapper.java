package fr.actionlogement.territorial.territories.api;

import java.util.NoSuchElementException;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemMappers;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemType;
import fr.actionlogement.territorial.territories.domain.DomainRefusal;

/** Domain refusals become problems naming their rule: 409 when at odds with the current state, else 422. */
public class RefusalMapper {

    private final ProblemMappers problems = new ProblemMappers();

    @ServerExceptionMapper
    public Response refusal(DomainRefusal e, ContainerRequestContext request) {
        return problems.problem(toProblem(e), request);
    }

    @ServerExceptionMapper
    public Response missing(NoSuchElementException e, ContainerRequestContext request) {
        return problems.problem(new ProblemException(ProblemType.NOT_FOUND,
                e.getMessage() == null ? "not found" : e.getMessage() + " not found"), request);
    }

    static ProblemException toProblem(DomainRefusal e) {
        return e.isConflict() ? ProblemException.conflict(e.rule(), e.getMessage() + " (" + e.reason() + ")")
                : ProblemException.rule(e.rule(), e.getMessage() + " (" + e.reason() + ")");
    }
}
