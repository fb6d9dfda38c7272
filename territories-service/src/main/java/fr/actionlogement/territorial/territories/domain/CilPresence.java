package fr.actionlogement.territorial.territories.domain;

import java.time.LocalDate;

/** a CIL's presence on a territory between two dates (open-ended while {@code until} is null). */
public final class CilPresence {

    private CilPresence() {
    }

    public static void requiresOrderedDates(LocalDate since, LocalDate until) {
        if (since == null) {
            throw DomainRefusal.of("R-34", "requiresStartDate", "a presence starts on a date (since)");
        }
        if (until != null && until.isBefore(since)) {
            throw DomainRefusal.of("R-34", "requiresOrderedDates",
                    "a presence cannot end (" + until + ") before it starts (" + since + ")");
        }
    }

    /** Present on {@code day} when the day falls within [since, until]. */
    public static boolean isPresentOn(LocalDate since, LocalDate until, LocalDate day) {
        return !day.isBefore(since) && (until == null || !day.isAfter(until));
    }
}
