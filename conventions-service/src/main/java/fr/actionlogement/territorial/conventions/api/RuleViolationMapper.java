package fr.actionlogement.territorial.conventions.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemMappers;
import fr.actionlogement.territorial.conventions.domain.RuleViolation;

/** A domain refusal becomes the problem the building blocks render: 422/409 naming the rule, 400 naming the field. */
public class RuleViolationMapper {

    private final ProblemMappers problems = new ProblemMappers();

    @ServerExceptionMapper
    public Response refused(RuleViolation e, ContainerRequestContext request) {
        return problems.problem(toProblem(e), request);
    }

    static ProblemException toProblem(RuleViolation e) {
        return switch (e.kind()) {
            case UNPROCESSABLE -> ProblemException.rule(e.rule(), e.getMessage());
            case CONFLICT -> ProblemException.conflict(e.rule(), e.getMessage());
            case INVALID -> ProblemException.invalid(e.field(), e.getMessage());
        };
    }
}
