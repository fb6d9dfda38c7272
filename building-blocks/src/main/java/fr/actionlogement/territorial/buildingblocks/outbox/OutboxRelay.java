package fr.actionlogement.territorial.buildingblocks.outbox;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

import fr.actionlogement.territorial.buildingblocks.events.CloudEvent;
import fr.actionlogement.territorial.buildingblocks.events.KafkaClients;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Publishes committed outbox rows to Kafka, in order, and marks them sent.
 *
 * <p>
 * Woken by PostgreSQL LISTEN/NOTIFY right after a commit, with a slow poll as a fallback; it listens and publishes
 * on a connection of its own, outside the pool, so that it never queues behind request threads. Safe with several
 * replicas: a batch runs under a transaction-scoped advisory lock (one publisher at a time keeps the per-aggregate
 * order) and takes its rows {@code FOR UPDATE SKIP LOCKED}. A row is marked sent only after Kafka acknowledged it
 * ({@code acks=all}, idempotent producer); if Kafka is down the batch rolls back and is retried with back-off, so
 * delivery is at least once and consumers deduplicate by event id.
 *
 * <p>
 * A record whose row has a stored trace context (the request that wrote the event, when tracing is on) is sent in a
 * producer span, child of that context, and carries the span's {@code traceparent} header: the consumers' spans
 * continue the same trace.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    // Arbitrary constant shared by every replica of one service (each service has its own database).
    private static final long ADVISORY_LOCK_KEY = 0x0_0B0C_5E1AL;

    private final DataSource dataSource;
    private final OutboxConfig config;
    private final KafkaClients kafka;
    private final String jdbcUrl;
    private final Optional<String> dbUser;
    private final Optional<String> dbPassword;
    private final MeterRegistry meters;
    private final Tracer tracer;
    private final AtomicLong pending = new AtomicLong();

    private volatile boolean running;
    private volatile Thread worker;
    private volatile Producer<String, String> producer;

    OutboxRelay(DataSource dataSource, OutboxConfig config, MeterRegistry meters, Tracer tracer,
            KafkaClients kafka,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> dbUser,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> dbPassword) {
        this.dataSource = dataSource;
        this.config = config;
        this.meters = meters;
        this.tracer = tracer;
        this.kafka = kafka;
        this.jdbcUrl = jdbcUrl;
        this.dbUser = dbUser;
        this.dbPassword = dbPassword;
    }

    void start(@Observes StartupEvent startup) {
        Gauge.builder("outbox.pending", pending, AtomicLong::get)
                .description("Outbox events not yet acknowledged by Kafka").register(meters);
        Gauge.builder("outbox.oldest.pending.age", this, OutboxRelay::oldestPendingAgeSeconds).baseUnit("seconds")
                .description("Age of the oldest outbox event not yet published (0 when none is pending)")
                .register(meters);
        if (!config.relayEnabled()) {
            LOG.info("Outbox relay disabled in this replica");
            return;
        }
        producer = new KafkaProducer<>(producerProperties());
        running = true;
        worker = Thread.ofPlatform().daemon().name("outbox-relay").start(this::run);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        running = false;
        Thread t = worker;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    Properties producerProperties() {
        Properties p = kafka.properties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        // No linger: a batch is already formed (every pending row is sent in one loop, then the relay waits for all
        // the acks before the next batch), so waiting for more records only delayed each event by up to linger.ms.
        // Records sent while the first request is in flight still share the next request (the sender batches
        // whatever has accumulated), so throughput under a backlog is unchanged.
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        long timeout = config.sendTimeout().toMillis();
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(timeout));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(timeout));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(timeout + 5));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay");
        p.putAll(config.producer());
        return p;
    }

    private void run() {
        long backoffMillis = 0;
        Connection listener = null;
        while (running) {
            try {
                if (listener == null || listener.isClosed()) {
                    listener = listen();
                }
                drain(listener);
                backoffMillis = 0;
                // Wait for a commit notification, or the fallback poll.
                listener.unwrap(PGConnection.class).getNotifications((int) config.pollInterval().toMillis());
            } catch (Exception e) {
                if (!running) {
                    break;
                }
                backoffMillis = backoffMillis == 0 ? 250 : Math.min(backoffMillis * 2, config.maxBackoff().toMillis());
                LOG.warnf("Outbox relay could not publish (%s); retrying in %d ms", rootMessage(e), backoffMillis);
                closeQuietly(listener);
                listener = null;
                sleep(backoffMillis);
            }
        }
        closeQuietly(listener);
    }

    /**
     * The relay's own connection, outside the pool, open for the life of the relay: it listens for the commits'
     * notifications and publishes the batches. Not a pooled connection, so that the events of a burst of writes never
     * wait for a connection behind the very requests that wrote them (a pool exhausted by request threads would
     * otherwise queue the relay in Agroal).
     */
    private Connection listen() throws SQLException {
        Connection c = DriverManager.getConnection(jdbcUrl, dbUser.orElse(null), dbPassword.orElse(null));
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + Outbox.CHANNEL);
        }
        // The same connection publishes, one transaction per batch (notifications that arrive meanwhile are kept by
        // the driver and returned by the next getNotifications).
        c.setAutoCommit(false);
        return c;
    }

    /** Publishes until no pending row is left. */
    void drain(Connection c) throws Exception {
        while (running && publishBatch(c) == config.batchSize()) {
            // a full batch: there may be more
        }
    }

    /**
     * Publishes one batch in one transaction of the relay's connection; returns how many rows it published (0 when
     * another replica holds the lock). Rolled back on any failure: the rows stay pending.
     */
    int publishBatch(Connection c) throws Exception {
        try {
            int published = publishBatchInTransaction(c);
            c.commit();
            return published;
        } catch (Exception e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is discarded by the caller anyway
            }
            throw e;
        }
    }

    private int publishBatchInTransaction(Connection c) throws Exception {
        if (!tryLock(c)) {
            return 0;
        }
        List<Row> rows = pendingRows(c);
        if (rows.isEmpty()) {
            pending.set(0);
            return 0;
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
        List<Span> spans = new ArrayList<>(rows.size());
        try {
            for (Row row : rows) {
                ProducerRecord<String, String> record = new ProducerRecord<>(row.topic, row.key, row.envelope);
                record.headers().add("content-type",
                        CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
                if (row.traceparent != null) {
                    Span span = publishSpan(row);
                    spans.add(span);
                    String traceparent = Outbox.traceparent(Context.root().with(span));
                    if (traceparent != null) {
                        record.headers().add(Outbox.TRACEPARENT,
                                traceparent.getBytes(StandardCharsets.UTF_8));
                    }
                }
                acks.add(producer.send(record));
            }
            long deadline = System.nanoTime() + config.sendTimeout().toNanos();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (Exception e) {
            spans.forEach(span -> span.setStatus(StatusCode.ERROR, rootMessage(e)));
            throw e;
        } finally {
            spans.forEach(Span::end);
        }
        markPublished(c, rows);
        pending.set(countPending(c));
        return rows.size();
    }

    /**
     * A producer span in the trace of the write that stored the row. A row written outside any trace (tracing off,
     * a bulk load at start-up) is sent without one: the relay continues traces, it does not start them.
     */
    private Span publishSpan(Row row) {
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), row.traceparent,
                TRACEPARENT_GETTER);
        return tracer.spanBuilder(row.topic + " publish").setParent(parent).setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "publish")
                .setAttribute("messaging.destination.name", row.topic)
                .setAttribute("messaging.kafka.message.key", row.key)
                .startSpan();
    }

    private static final TextMapGetter<String> TRACEPARENT_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String traceparent) {
            return List.of(Outbox.TRACEPARENT);
        }

        @Override
        public String get(String traceparent, String key) {
            return Outbox.TRACEPARENT.equals(key) ? traceparent : null;
        }
    };

    private boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            ps.setLong(1, ADVISORY_LOCK_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private List<Row> pendingRows(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT seq, topic, record_key, envelope, traceparent FROM outbox_event
                WHERE published_at IS NULL ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED""")) {
            ps.setInt(1, config.batchSize());
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5)));
                }
            }
            return rows;
        }
    }

    private void markPublished(Connection c, List<Row> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE outbox_event SET published_at = now(), attempts = attempts + 1 WHERE seq = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("bigint", rows.stream().map(Row::seq).toArray()));
            ps.executeUpdate();
        }
    }

    private long countPending(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM outbox_event WHERE published_at IS NULL")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Read from the table at each scrape, not kept by the relay: it keeps growing while the relay is stuck, whatever
     * the reason (Kafka refusing, the relay's thread hung, the relay disabled in every replica).
     */
    double oldestPendingAgeSeconds() {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0) "
                        + "FROM outbox_event WHERE published_at IS NULL")) {
            rs.next();
            return rs.getDouble(1);
        } catch (SQLException e) {
            return Double.NaN; // the database is down: its own alerts say so
        }
    }

    /** Published rows are only kept for the audit window. */
    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purgePublished() {
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps = c.prepareStatement(
                            "DELETE FROM outbox_event WHERE published_at < now() - make_interval(secs => ?)")) {
                ps.setLong(1, config.retention().toSeconds());
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the connection is being discarded anyway
            }
        }
    }

    private record Row(long seq, String topic, String key, String envelope, String traceparent) {
    }
}
