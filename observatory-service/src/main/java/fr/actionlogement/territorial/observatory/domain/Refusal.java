package fr.actionlogement.territorial.observatory.domain;

/**
 * A domain rule refused the change. {@code stateConflict} tells a refusal due to the aggregate's current state
 * (the caller should read it again) from one due to the request's content.
 */
public class Refusal extends RuntimeException {

    private final String rule;
    private final boolean stateConflict;

    private Refusal(String rule, String reason, boolean stateConflict) {
        super(reason);
        this.rule = rule;
        this.stateConflict = stateConflict;
    }

    public static Refusal rule(String rule, String reason) {
        return new Refusal(rule, reason, false);
    }

    public static Refusal conflict(String rule, String reason) {
        return new Refusal(rule, reason, true);
    }

    public String rule() {
        return rule;
    }

    public boolean stateConflict() {
        return stateConflict;
    }
}
