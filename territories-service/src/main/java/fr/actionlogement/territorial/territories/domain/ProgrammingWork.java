package fr.actionlogement.territorial.territories.domain;

import java.time.LocalDate;

/** housing programming work a conférence territoriale is associated with. */
public final class ProgrammingWork {

    /** SCOT, PLH, PDU (plan de déplacements urbains), its successor the plan de mobilité, social housing programming. */
    public enum DocumentType {
        SCOT,
        PLH,
        PDU,
        PLAN_DE_MOBILITE,
        PROGRAMMATION_LOGEMENT_SOCIAL
    }

    public enum Status {
        PLANNED,
        IN_PROGRESS,
        ADOPTED,
        ABANDONED
    }

    private ProgrammingWork() {
    }

    public static void requiresOrderedPeriod(LocalDate start, LocalDate end) {
        if (start != null && end != null && end.isBefore(start)) {
            throw DomainRefusal.of("R-33", "requiresOrderedPeriod",
                    "the period ends (" + end + ") before it starts (" + start + ")");
        }
    }

    public static boolean isClosed(Status status) {
        return status == Status.ADOPTED || status == Status.ABANDONED;
    }

    /**
     * Adopted or abandoned work is closed and frozen: its document type, title, authority, period and association
     * date no longer change either. {@code changedFields} are the fields the update would change; an update that
     * changes nothing is accepted (a repeated PUT).
     */
    public static void requiresOpenForChange(Status current, java.util.List<String> changedFields) {
        if (isClosed(current) && !changedFields.isEmpty()) {
            throw DomainRefusal.conflict("R-33", "workFrozenOnceClosed",
                    "programming work " + current + " is closed: " + String.join(", ", changedFields)
                            + " can no longer change");
        }
    }

    /** Adopted or abandoned work is closed: its status no longer moves. */
    public static void requiresOpenStatus(Status current, Status next) {
        if (current != next && (current == Status.ADOPTED || current == Status.ABANDONED)) {
            throw DomainRefusal.conflict("R-33", "workClosed",
                    "programming work " + current + " cannot move to " + next);
        }
    }
}
