package fr.actionlogement.territorial.conventions.domain;

/** R-14 lifecycle: DRAFT → IN_NEGOTIATION → READY_FOR_SIGNATURE → SIGNED → (EVALUATED | TERMINATED). */
public enum ConventionStatus {
    DRAFT,
    IN_NEGOTIATION,
    READY_FOR_SIGNATURE,
    SIGNED,
    EVALUATED,
    TERMINATED;

    /** Counted against a campaign's cap: every convention not yet closed by evaluation or termination. */
    public boolean isOpen() {
        return this != EVALUATED && this != TERMINATED;
    }

    public boolean isSigned() {
        return this == SIGNED || this == EVALUATED || this == TERMINATED;
    }
}
