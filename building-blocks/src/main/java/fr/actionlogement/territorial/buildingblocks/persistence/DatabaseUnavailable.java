package fr.actionlogement.territorial.buildingblocks.persistence;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;

/**
 * A failure of the database connection rather than of the work: PostgreSQL restarted or failing over, a pooled
 * connection it closed, too many clients, or no pooled connection to be had in time (a saturated service). The event
 * consumers retry it ({@code Inbox}); a request gets 503 with Retry-After, never 500 ({@code ProblemMappers}).
 */
public final class DatabaseUnavailable {

    private DatabaseUnavailable() {
    }

    /**
     * SQLState class 08 (connection exception), 57P01-57P03 (server shutting down or starting), 53300 (too many
     * connections), or the pool finding no connection in time, anywhere in the cause chain.
     */
    public static boolean causedBy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300"))) {
                    return true;
                }
                // Agroal's "Sorry, acquisition timeout!" (the pool is exhausted) and "Acquisition timeout while waiting
                // for new connection" have no SQLState
                if (state == null && sql.getMessage() != null
                        && sql.getMessage().toLowerCase(Locale.ROOT).contains("acquisition timeout")) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
