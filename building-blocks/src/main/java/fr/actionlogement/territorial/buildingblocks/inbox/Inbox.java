package fr.actionlogement.territorial.buildingblocks.inbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.actionlogement.territorial.buildingblocks.events.CloudEvent;
import fr.actionlogement.territorial.buildingblocks.persistence.DatabaseUnavailable;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Idempotent consumption: the event id is recorded in the same transaction as the handler's effect, so a
 * redelivered event is skipped and a failed handler leaves no trace.
 *
 * <p>
 * Use from a SmallRye Reactive Messaging method that receives the raw record value and whose channel has
 * {@code failure-strategy=dead-letter-queue}: a {@link MalformedEventException} (or a handler failure) nacks the
 * record, which goes to the dead-letter topic while the partition moves on.
 *
 * <p>
 * A failure of the database connection (PostgreSQL restarted or failing over, a pooled connection it closed, no
 * connection to be had) is not the event's fault: the attempt is retried with a back-off for up to
 * {@code inbox.transient-retry} (30 s, below SmallRye's 60 s limit for an unacknowledged record), holding the
 * partition, before the record is dead-lettered (and can be replayed, docs/operations.md).
 */
@ApplicationScoped
public class Inbox {

    private static final Logger LOG = Logger.getLogger(Inbox.class);

    private final DataSource dataSource;
    private final ObjectMapper mapper;
    private final Duration transientRetry;

    Inbox(DataSource dataSource, ObjectMapper mapper,
            @ConfigProperty(name = "inbox.transient-retry", defaultValue = "30s") Duration transientRetry) {
        this.dataSource = dataSource;
        this.mapper = mapper;
        this.transientRetry = transientRetry;
    }

    /**
     * Parses {@code rawEnvelope}, and unless {@code consumer} already applied that event id, runs the handler in a
     * new transaction together with the record of the id.
     *
     * @return true if the handler ran, false for a duplicate
     */
    public boolean handleOnce(String consumer, String rawEnvelope, Consumer<CloudEvent> handler) {
        CloudEvent event = parse(rawEnvelope);
        long deadline = System.nanoTime() + transientRetry.toNanos();
        long backoff = 250;
        for (int attempt = 1;; attempt++) {
            try {
                return QuarkusTransaction.requiringNew().call(() -> {
                    if (!markProcessed(consumer, event)) {
                        return false;
                    }
                    handler.accept(event);
                    return true;
                });
            } catch (RuntimeException e) {
                if (!DatabaseUnavailable.causedBy(e) || System.nanoTime() + backoff * 1_000_000 > deadline) {
                    throw e;
                }
                LOG.warnf("%s: event %s not applied, the database is unavailable (%s); attempt %d, retrying in %d ms",
                        consumer, event.id(), rootMessage(e), attempt, backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /** Reads a structured-mode CloudEvent, refusing what lacks the required attributes. */
    public CloudEvent parse(String rawEnvelope) {
        if (rawEnvelope == null || rawEnvelope.isBlank()) {
            throw new MalformedEventException("empty record");
        }
        CloudEvent event;
        try {
            event = mapper.readValue(rawEnvelope, CloudEvent.class);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new MalformedEventException("not a CloudEvents JSON envelope: " + e.getMessage(), e);
        }
        if (!CloudEvent.SPEC_VERSION.equals(event.specversion())) {
            throw new MalformedEventException("unsupported specversion " + event.specversion());
        }
        return event;
    }

    /** Maps the event's data to the consumer's own view of it; a mismatch is a malformed event. */
    public <T> T dataAs(CloudEvent event, Class<T> type) {
        if (event.data() == null || event.data().isNull()) {
            throw new MalformedEventException("event " + event.id() + " has no data");
        }
        try {
            return mapper.treeToValue(event.data(), type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new MalformedEventException("data of event " + event.id() + " does not match " + type.getSimpleName()
                    + ": " + e.getMessage(), e);
        }
    }

    /** How many events each consumer of this service applied, by event type (what operators and tests count). */
    public record Applied(String consumer, String eventType, long events) {
    }

    public List<Applied> applied() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        SELECT consumer, event_type, count(*) FROM inbox_processed_event
                        GROUP BY consumer, event_type ORDER BY consumer, event_type""");
                ResultSet rs = ps.executeQuery()) {
            List<Applied> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new Applied(rs.getString(1), rs.getString(2), rs.getLong(3)));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("could not count the applied events", e);
        }
    }

    private boolean markProcessed(String consumer, CloudEvent event) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO inbox_processed_event (consumer, event_id, event_type) VALUES (?, ?, ?)
                        ON CONFLICT DO NOTHING""")) {
            ps.setString(1, consumer);
            ps.setString(2, event.id());
            ps.setString(3, event.type());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("could not record processed event " + event.id(), e);
        }
    }
}
