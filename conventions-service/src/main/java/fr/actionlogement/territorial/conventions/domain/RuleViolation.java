package fr.actionlogement.territorial.conventions.domain;

/**
 * A domain refusal naming the rule of the domain brief (R-xx) that refused. The API turns it into a problem:
 * {@link Kind#UNPROCESSABLE} 422, {@link Kind#CONFLICT} 409 (the request clashes with the current state),
 * {@link Kind#INVALID} 400 naming the field.
 */
public class RuleViolation extends RuntimeException {

    public enum Kind {
        UNPROCESSABLE,
        CONFLICT,
        INVALID
    }

    private final String rule;
    private final Kind kind;
    private final String field;

    private RuleViolation(String rule, Kind kind, String field, String message) {
        super(message);
        this.rule = rule;
        this.kind = kind;
        this.field = field;
    }

    public static RuleViolation refused(String rule, String message) {
        return new RuleViolation(rule, Kind.UNPROCESSABLE, null, message);
    }

    public static RuleViolation conflict(String rule, String message) {
        return new RuleViolation(rule, Kind.CONFLICT, null, message);
    }

    public static RuleViolation invalid(String field, String message) {
        return new RuleViolation(null, Kind.INVALID, field, message);
    }

    public String rule() {
        return rule;
    }

    public Kind kind() {
        return kind;
    }

    public String field() {
        return field;
    }
}
