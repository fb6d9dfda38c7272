package fr.actionlogement.territorial.buildingblocks.problem;

import java.util.List;

/**
 * Thrown anywhere in a request to answer with a problem. Domain refusals use {@link #rule} so the response names
 * the rule of the domain brief that refused.
 */
public class ProblemException extends RuntimeException {

    private final ProblemType type;
    private final int status;
    private final String rule;
    private final List<Problem.FieldError> errors;

    public ProblemException(ProblemType type, String detail) {
        this(type, type.status(), detail, null, List.of());
    }

    public ProblemException(ProblemType type, int status, String detail, String rule, List<Problem.FieldError> errors) {
        super(detail);
        this.type = type;
        this.status = status;
        this.rule = rule;
        this.errors = List.copyOf(errors);
    }

    /** 422 naming the refusing rule, e.g. {@code rule("R-21", "...")}. */
    public static ProblemException rule(String ruleId, String detail) {
        return new ProblemException(ProblemType.RULE_VIOLATION, 422, ruleId + ": " + detail, ruleId, List.of());
    }

    /** 409 naming the refusing rule, for a request that conflicts with the resource's current state. */
    public static ProblemException conflict(String ruleId, String detail) {
        return new ProblemException(ProblemType.CONFLICT, 409, ruleId == null ? detail : ruleId + ": " + detail,
                ruleId, List.of());
    }

    public static ProblemException notFound(String what, Object id) {
        return new ProblemException(ProblemType.NOT_FOUND, what + " " + id + " not found");
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(ProblemType.FORBIDDEN, detail);
    }

    public static ProblemException invalid(String field, String message) {
        return new ProblemException(ProblemType.VALIDATION, 400, field + ": " + message, null,
                List.of(new Problem.FieldError(field, message)));
    }

    public ProblemType type() {
        return type;
    }

    public int status() {
        return status;
    }

    public String rule() {
        return rule;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }
}
