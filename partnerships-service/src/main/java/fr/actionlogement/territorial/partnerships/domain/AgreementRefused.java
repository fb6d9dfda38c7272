package fr.actionlogement.territorial.partnerships.domain;

/**
 * A guarded transition refused by a rule. {@code conflict} refusals are about the agreement's current state (409);
 * the others about what the request asks for (422). Both name the rule.
 */
public final class AgreementRefused extends RuntimeException {

    private final String rule;
    private final boolean conflict;

    private AgreementRefused(String rule, String reason, boolean conflict) {
        super(reason);
        this.rule = rule;
        this.conflict = conflict;
    }

    public static AgreementRefused rule(String rule, String reason) {
        return new AgreementRefused(rule, reason, false);
    }

    public static AgreementRefused conflict(String rule, String reason) {
        return new AgreementRefused(rule, reason, true);
    }

    public String rule() {
        return rule;
    }

    public boolean isConflict() {
        return conflict;
    }
}
