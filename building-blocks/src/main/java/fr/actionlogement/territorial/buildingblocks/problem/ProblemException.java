package fr.actionlogement.territorial.buildingblocks.problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Thrown anywhere in a request to answer with a problem. Domain refusals use {@link #rule} so the response names
 * the rule of the domain brief that refused.
 */
public class ProblemException extends RuntimeException {

    private final ProblemType type;
    private final int status;
    private final String rule;
    private final List<Problem.FieldError> errors;
    private final Map<String, String> headers = new LinkedHashMap<>();

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

    /** 429 with {@code Retry-After}: a limit of the caller's (e.g. its concurrent exports) is reached. */
    public static ProblemException tooManyRequests(String detail, long retryAfterSeconds) {
        return new ProblemException(ProblemType.TOO_MANY_REQUESTS, detail).withHeader("Retry-After",
                String.valueOf(retryAfterSeconds));
    }

    /** A header the problem response carries, e.g. {@code Retry-After}. */
    public ProblemException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Map<String, String> headers() {
        return Map.copyOf(headers);
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
