package fr.actionlogement.territorial.buildingblocks.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Which consumer failures the inbox retries (the database's) and which it dead-letters at once (the event's). */
class InboxTransientFailureTest {

    @Test
    @DisplayName("connection failures are retried, wherever they sit in the cause chain")
    void connectionFailuresAreTransient() {
        // PostgreSQL driver: I/O error (08006), server shutting down (57P01), too many connections (53300)
        assertThat(Inbox.isTransient(new IllegalStateException("could not record processed event",
                new SQLException("An I/O error occurred while sending to the backend.", "08006")))).isTrue();
        assertThat(Inbox.isTransient(new RuntimeException(new IllegalStateException(
                new SQLException("terminating connection due to administrator command", "57P01"))))).isTrue();
        assertThat(Inbox.isTransient(new SQLException("sorry, too many clients already", "53300"))).isTrue();
        // Agroal: no connection within the acquisition timeout
        assertThat(Inbox.isTransient(new IllegalStateException(
                new SQLException("Acquisition timeout while waiting for new connection")))).isTrue();
        assertThat(Inbox.isTransient(new RuntimeException("Unable to acquire JDBC Connection",
                new SQLException("Sorry, acquisition timeout!")))).isTrue();
    }

    @Test
    @DisplayName("an event's own failures are not: a malformed event, a constraint, a bug")
    void eventFailuresAreNot() {
        assertThat(Inbox.isTransient(new MalformedEventException("not a CloudEvent"))).isFalse();
        assertThat(Inbox.isTransient(new IllegalStateException(
                new SQLException("null value in column violates not-null constraint", "23502")))).isFalse();
        assertThat(Inbox.isTransient(new SQLException("relation \"x\" does not exist", "42P01"))).isFalse();
        assertThat(Inbox.isTransient(new NullPointerException())).isFalse();
    }
}
