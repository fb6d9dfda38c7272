package fr.actionlogement.territorial.buildingblocks.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.buildingblocks.inbox.MalformedEventException;

/** Which failures are the database's (the inbox retries them, a request gets 503) and which are the work's own. */
class DatabaseUnavailableTest {

    @Test
    @DisplayName("connection failures are retried, wherever they sit in the cause chain")
    void connectionFailuresAreTransient() {
        // PostgreSQL driver: I/O error (08006), server shutting down (57P01), too many connections (53300)
        assertThat(DatabaseUnavailable.causedBy(new IllegalStateException("could not record processed event",
                new SQLException("An I/O error occurred while sending to the backend.", "08006")))).isTrue();
        assertThat(DatabaseUnavailable.causedBy(new RuntimeException(new IllegalStateException(
                new SQLException("terminating connection due to administrator command", "57P01"))))).isTrue();
        assertThat(DatabaseUnavailable.causedBy(new SQLException("sorry, too many clients already", "53300"))).isTrue();
        // Agroal: no connection within the acquisition timeout
        assertThat(DatabaseUnavailable.causedBy(new IllegalStateException(
                new SQLException("Acquisition timeout while waiting for new connection")))).isTrue();
        assertThat(DatabaseUnavailable.causedBy(new RuntimeException("Unable to acquire JDBC Connection",
                new SQLException("Sorry, acquisition timeout!")))).isTrue();
    }

    @Test
    @DisplayName("an event's own failures are not: a malformed event, a constraint, a bug")
    void eventFailuresAreNot() {
        assertThat(DatabaseUnavailable.causedBy(new MalformedEventException("not a CloudEvent"))).isFalse();
        assertThat(DatabaseUnavailable.causedBy(new IllegalStateException(
                new SQLException("null value in column violates not-null constraint", "23502")))).isFalse();
        assertThat(DatabaseUnavailable.causedBy(new SQLException("relation \"x\" does not exist", "42P01"))).isFalse();
        assertThat(DatabaseUnavailable.causedBy(new NullPointerException())).isFalse();
    }
}
