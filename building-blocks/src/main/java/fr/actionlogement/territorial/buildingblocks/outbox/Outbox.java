package fr.actionlogement.territorial.buildingblocks.outbox;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.actionlogement.territorial.buildingblocks.events.CloudEvent;
import fr.actionlogement.territorial.buildingblocks.events.DomainEvent;
import fr.actionlogement.territorial.buildingblocks.events.EventCatalog;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;

/**
 * Writes events into the outbox table in the caller's transaction, so the state change and its event commit or
 * roll back together (no dual write). The relay publishes them after commit; Kafka being down never fails a write.
 * The W3C trace context of the write is stored with each row, so the relay's span and the consumers' continue the
 * trace of the request that made the change.
 */
@ApplicationScoped
public class Outbox {

    static final String CHANNEL = "outbox_event";
    static final String TRACEPARENT = "traceparent";

    private final DataSource dataSource;
    private final TransactionManager transactions;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final URI source;

    Outbox(DataSource dataSource, TransactionManager transactions, ObjectMapper mapper, Clock clock,
            @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this.dataSource = dataSource;
        this.transactions = transactions;
        this.mapper = mapper;
        this.clock = clock;
        this.source = URI.create("/territorial/" + applicationName);
    }

    /** Appends the event; must be called inside the transaction that makes the change. */
    public CloudEvent publish(DomainEvent event) {
        return append(List.of(event));
    }

    /**
     * Appends many events at once, with the guarantees of {@link #publish} (same transaction, same rows), in JDBC
     * batches and with one notification: for bulk changes such as loading a reference dataset. Keeps nothing of an
     * event once its row is in the batch (a data year is 36,000 events: keeping their envelopes held 50–60 MB more of
     * heap until the end of the load).
     *
     * @return the number of events appended
     */
    public int publishAll(Collection<DomainEvent> events) {
        append(events);
        return events.size();
    }

    /** Writes the events' rows; returns the last one's envelope (null when there is none), keeping no other. */
    private CloudEvent append(Collection<DomainEvent> events) {
        requireTransaction();
        CloudEvent last = null;
        if (events.isEmpty()) {
            return last;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO outbox_event (event_id, topic, record_key, event_type, envelope, traceparent) VALUES (?, ?, ?, ?, ?, ?)");
                PreparedStatement notify = connection.prepareStatement("SELECT pg_notify('" + CHANNEL + "', '')")) {
            OffsetDateTime now = OffsetDateTime.now(clock);
            String traceparent = traceparent(Context.current());
            int pending = 0;
            for (DomainEvent event : events) {
                CloudEvent envelope = CloudEvent.of(source, event.type(), event.aggregateId(),
                        EventCatalog.schemaOf(event.type()), now, mapper.valueToTree(event.data()));
                insert.setObject(1, UUID.fromString(envelope.id()));
                insert.setString(2, event.topic());
                insert.setString(3, event.aggregateId());
                insert.setString(4, event.type());
                insert.setString(5, mapper.writeValueAsString(envelope));
                insert.setString(6, traceparent);
                insert.addBatch();
                last = envelope;
                if (++pending == 1000) {
                    insert.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                insert.executeBatch();
            }
            notify.execute();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event is not serializable", e);
        } catch (SQLException e) {
            throw new IllegalStateException("could not write to the outbox", e);
        }
        return last;
    }

    /** The {@code traceparent} of the context, or null outside a trace (tracing off, or no span). */
    static String traceparent(Context context) {
        Map<String, String> carrier = new HashMap<>(2);
        W3CTraceContextPropagator.getInstance().inject(context, carrier, Map::put);
        return carrier.get(TRACEPARENT);
    }

    private void requireTransaction() {
        try {
            if (transactions.getStatus() != Status.STATUS_ACTIVE) {
                throw new IllegalStateException("Outbox.publish must run inside the transaction of the change");
            }
        } catch (SystemException e) {
            throw new IllegalStateException(e);
        }
    }
}
