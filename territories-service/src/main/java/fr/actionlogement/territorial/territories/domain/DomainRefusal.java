package fr.actionlogement.territorial.territories.domain;

/**
 * A guarded transition refused by a rule of the domain brief; the API turns it into a problem naming the rule
 * ({@code conflict} for a request at odds with the current state, otherwise 422).
 */
public class DomainRefusal extends RuntimeException {

    private final String rule;
    private final String reason;
    private final boolean conflict;

    private DomainRefusal(String rule, String reason, String detail, boolean conflict) {
        super(detail);
        this.rule = rule;
        this.reason = reason;
        this.conflict = conflict;
    }

    /** @param reason a stable name of the refusal, e.g. {@code alreadyInstalled} */
    public static DomainRefusal of(String rule, String reason, String detail) {
        return new DomainRefusal(rule, reason, detail, false);
    }

    public static DomainRefusal conflict(String rule, String reason, String detail) {
        return new DomainRefusal(rule, reason, detail, true);
    }

    public String rule() {
        return rule;
    }

    public String reason() {
        return reason;
    }

    public boolean isConflict() {
        return conflict;
    }
}
