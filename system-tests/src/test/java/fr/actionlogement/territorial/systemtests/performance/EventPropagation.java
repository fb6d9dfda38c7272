package fr.actionlogement.territorial.systemtests.performance;

import static fr.actionlogement.territorial.systemtests.support.ConventionContent.action;
import static fr.actionlogement.territorial.systemtests.support.ConventionContent.canvas;
import static fr.actionlogement.territorial.systemtests.support.ConventionContent.signatory;
import static fr.actionlogement.territorial.systemtests.support.GatewayApi.json;
import static fr.actionlogement.territorial.systemtests.support.GatewayApi.newKey;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;

import fr.actionlogement.territorial.localstack.LocalStack;
import fr.actionlogement.territorial.systemtests.support.GatewayApi;
import fr.actionlogement.territorial.systemtests.support.Identity;
import fr.actionlogement.territorial.systemtests.support.LyonWorld;
import fr.actionlogement.territorial.systemtests.support.Reply;

/**
 * The harness's {@code events} section (issue 13): ConventionSigned from the signing request's commit to its effect
 * in the two consuming services, next to a bare Kafka produce→consume round trip on the same broker.
 *
 * <p>
 * Conventions are first brought to READY_FOR_SIGNATURE through the public API (on the Métropole de Lyon, one
 * campaign each: R-02 admits one open convention per territory and campaign), then signed by the UESL's one-call
 * signature at a fixed rate (open loop), straight to conventions-service.
 *
 * <p>
 * Each step is timed by PostgreSQL itself, from the commit timestamps of the rows it wrote
 * ({@code track_commit_timestamp}, one server and one clock for every database): the signing transaction (its
 * {@code SIGNED} audit row, written with the outbox row), the relay's transaction that marked the outbox row
 * published once Kafka acknowledged it, and each consumer's transaction that recorded the event in its inbox together
 * with its effect (coverage in territories-service, the comparison's read model in observatory-service): the
 * instant that effect became visible. Nothing polls the services being measured while they are measured (the watchers
 * that did, every 3 ms, took a share of the two cores that the consumers needed). Afterwards, every signed
 * convention is read once through each consumer's API, to show that the effect is the one a caller sees.
 */
final class EventPropagation {

    /** How long after the last signature a missing effect is still awaited before it is counted as missing. */
    static final Duration GIVE_UP = Duration.ofSeconds(60);
    /** What the stack's PostgreSQL must run with: each transaction's commit time, read back from the rows. */
    static final Map<String, String> SERVER_SETTINGS = Map.of("track_commit_timestamp", "on");

    static final String TERRITORIES_CONSUMER = "territories-convention-coverage";
    static final String OBSERVATORY_CONSUMER = "observatory-convention-events";

    /**
     * The figures of one run: the signing requests, and from each signing commit to the relay's commit (published)
     * and to each consumer's commit (applied); how many effects never came, and how many the APIs showed afterwards.
     */
    record Result(long signed, long signFailures, Histogram sign, Histogram relay, Histogram territories,
            long territoriesMissing, long territoriesVisible, Histogram observatory, long observatoryMissing,
            long observatoryVisible, int warmUpSignatures, double warmUpSeconds, double warmUpJitShare,
            BurstCpu cpu) {
    }

    /**
     * Where the CPU went from the first recorded signature until every effect was applied: CPU milliseconds per
     * recorded signature by process (an app's JIT compilers under the key with
     * {@link CpuMeter#JIT}, already counted in the app's), and how busy the machine's cores were.
     */
    record BurstCpu(Map<String, Double> perSignature, double seconds, double busyShare) {
    }

    private record Ready(String conventionId, String etag) {
    }

    private final LocalStack stack;
    private final GatewayApi api;
    /** Waits until every consumer group has no lag. */
    private final Runnable settle;
    private final CpuMeter cpu;
    private volatile String token;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    EventPropagation(LocalStack stack, GatewayApi api, Runnable settle, CpuMeter cpu) {
        this.stack = stack;
        this.api = api;
        this.settle = settle;
        this.cpu = cpu;
    }

    // ---- preparation -----------------------------------------------------------------------------------------

    /** {@code count} conventions on Lyon, each in a campaign of its own, READY_FOR_SIGNATURE (5 requests each). */
    private List<Ready> prepare(int count) {
        LyonWorld.Cils cils = LyonWorld.ensure(api);
        String template = "charte-evenements-" + LyonWorld.siren();
        api.as(Identity.UESL).idempotencyKey(newKey()).post("/api/conventions/templates", json(Map.of(
                "templateId", template, "name", "Charte territoriale (mesure des événements)", "kind",
                "TERRITORIALE", "sections", canvas()))).expect(201);
        long t = System.nanoTime();
        List<Ready> ready = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failed = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                all.add(pool.submit(() -> {
                    try {
                        ready.add(readyForSignature(cils, template));
                    } catch (RuntimeException | AssertionError e) {
                        if (failed.incrementAndGet() <= 3) {
                            System.out.println("[events] a convention could not be prepared: " + e.getMessage());
                        }
                    }
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
        System.out.printf("[events] %d conventions ready for signature in %d s (%d failed)%n", ready.size(),
                (System.nanoTime() - t) / 1_000_000_000L, failed.get());
        if (ready.isEmpty()) {
            throw new IllegalStateException("no convention could be brought to READY_FOR_SIGNATURE");
        }
        return new ArrayList<>(ready);
    }

    private Ready readyForSignature(LyonWorld.Cils cils, String template) {
        String campaign = "evenements-" + LyonWorld.siren() + "-" + newKey().substring(0, 8);
        api.as(Identity.UESL).idempotencyKey(newKey()).post("/api/conventions/campaigns", json(Map.of(
                "campaignId", campaign, "name", "Mesure des événements " + campaign, "year", 2011, "cap", 1)))
                .expect(201);
        // the délégué territorial of the région proposes; the UESL leads everything after.
        Reply proposed = api.as(Identity.DELEGUE_ARA).idempotencyKey(newKey()).post("/api/conventions", json(Map.of(
                "campaignId", campaign, "territoryId", LyonWorld.LYON, "kind", "TERRITORIALE", "templateId",
                template, "templateVersion", 1, "title", "Charte de mesure " + campaign))).expect(201);
        String id = proposed.at("/conventionId");
        String path = "/api/conventions/" + id;
        Reply r = api.as(Identity.UESL).ifMatch(etagOf(proposed, path)).post(path + "/negotiation",
                json(Map.of("reason", "Concertation en conférence régionale"))).expect(200);
        r = api.as(Identity.UESL).ifMatch(etagOf(r, path)).put(path + "/content", json(content(cils))).expect(200);
        r = api.as(Identity.UESL).ifMatch(etagOf(r, path)).post(path + "/submission",
                json(Map.of("reason", "Contenu complet"))).expect(200);
        return new Ready(id, etagOf(r, path));
    }

    private String etagOf(Reply r, String path) {
        return r.header("ETag").orElseGet(() -> api.as(Identity.UESL).get(path).expect(200).etag());
    }

    private static Map<String, Object> content(LyonWorld.Cils cils) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("title", "Charte territoriale de mesure");
        c.put("periodStartYear", 2011);
        c.put("periodEndYear", 2013);
        c.put("sections", canvas());
        c.put("devices", List.of("CONSTRUCTION_PLUS_PLAI_PLS"));
        c.put("objectives", List.of(Map.of("indicator", "CONSTRUCTION_NEUVE", "publicPrioritaire",
                "JEUNES_SALARIES", "year", 2012, "target", 100)));
        c.put("signatories", List.of(signatory("CIL", cils.present()), signatory("COLLECTIVITE",
                LyonWorld.LYON_SIREN)));
        c.put("communicationPlan", Map.of("needsStudies", "Restitution annuelle des études de besoins",
                "financingPublicity", "Panneaux de chantier mentionnant Action Logement"));
        c.put("actions", List.of(action("CIL:" + cils.present(), "CONSTRUCTION_PLUS_PLAI_PLS"),
                action("COLLECTIVITE:" + LyonWorld.LYON_SIREN, "MISE_A_DISPOSITION_FONCIER")));
        c.put("ueslSignatureRequested", false);
        return c;
    }

    // ---- measurement -----------------------------------------------------------------------------------------

    /**
     * Signs {@code perSecond} conventions a second, first as a warm-up that is not recorded, then for the measured
     * duration, and waits for every effect. The warm-up lasts at least {@code warmup} and goes on, in
     * {@link Load#SLICE}s, until the apps' JIT compilers take under {@link Load#JIT_SETTLED} of their CPU over a slice
     * (at most {@link Load#MOST_WARM_UP} times {@code warmup}), as the requests' warm-up does: a cold signing path
     * measured its compilation (half of conventions-service's CPU per signature in a run without it).
     */
    Result measure(double perSecond, Duration warmup, Duration measured) {
        int leastWarm = (int) Math.ceil(perSecond * warmup.toMillis() / 1000.0);
        int mostWarm = leastWarm * Load.MOST_WARM_UP;
        int measuredCount = (int) Math.ceil(perSecond * measured.toMillis() / 1000.0);
        int slice = Math.max(1, (int) Math.round(perSecond * Load.SLICE.toSeconds()));
        List<Ready> ready = prepare(mostWarm + measuredCount);
        // The preparation published about six events per convention: the consumers apply them before the first
        // signature, or the figures would measure that backlog instead of one event's way through the system.
        settle.run();
        token = api.token(Identity.UESL); // fresh: the preparation may have outlived the harness's own token

        Histogram sign = new Histogram(60_000_000L, 3);
        List<String> recorded = Collections.synchronizedList(new ArrayList<>());
        AtomicLong failures = new AtomicLong();
        long interval = (long) (1e9 / perSecond);
        int recordedFrom = -1;
        double jitShare = Double.NaN;
        Map<String, Double> sliceStart = cpu.sample();
        Map<String, Double> cpuBefore = null;
        long measuredFrom = 0;
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < ready.size() && (recordedFrom < 0 || i < recordedFrom + measuredCount); i++) {
                long wait = t0 + i * interval - System.nanoTime();
                if (wait > 0) {
                    Load.sleep(Duration.ofNanos(wait));
                }
                if (recordedFrom < 0) {
                    boolean settled = false;
                    if (i > 0 && i % slice == 0) {
                        Map<String, Double> now = cpu.sample();
                        jitShare = CpuMeter.jitShare(CpuMeter.spent(sliceStart, now));
                        sliceStart = now;
                        settled = i >= leastWarm && jitShare < Load.JIT_SETTLED;
                    }
                    if (settled || i >= mostWarm || i >= ready.size() - measuredCount) {
                        recordedFrom = i;
                        cpuBefore = cpu.sample();
                        measuredFrom = System.nanoTime();
                        System.out.printf("[events] warmed up with %d signatures (%.0f s), the JIT at %.0f %% of the"
                                + " apps' CPU in the last %d s%n", i, (measuredFrom - t0) / 1e9, 100 * jitShare,
                                Load.SLICE.toSeconds());
                    }
                }
                Ready r = ready.get(i);
                boolean counted = recordedFrom >= 0;
                pool.submit(() -> {
                    long start = System.nanoTime();
                    int status;
                    try {
                        status = http.send(request(stack.url("conventions-service") + "/api/conventions/"
                                + r.conventionId() + "/signature").header("If-Match", r.etag())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json(Map.of("signedOn", "2011-06-30",
                                        "reason", "Signature (mesure de la propagation)"))))
                                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                    } catch (Exception e) {
                        status = -1;
                    }
                    long answered = System.nanoTime();
                    if (status != 200) {
                        if (failures.incrementAndGet() <= 3) {
                            System.out.printf("[events] signing %s answered %d%n", r.conventionId(), status);
                        }
                        return;
                    }
                    if (counted) {
                        synchronized (sign) {
                            sign.recordValue(Math.min((answered - start) / 1000, 60_000_000L));
                        }
                        recorded.add(r.conventionId());
                    }
                });
            }
        }
        Timeline timeline = timeline(List.copyOf(recorded));
        BurstCpu burst = burstCpu(cpuBefore, measuredFrom, Math.min(measuredCount, ready.size() - recordedFrom));
        return new Result(recorded.size(), failures.get(), sign, timeline.relay, timeline.territories,
                timeline.territoriesMissing, territoriesVisible(recorded), timeline.observatory,
                timeline.observatoryMissing, observatoryVisible(recorded), recordedFrom,
                (measuredFrom - t0) / 1e9, jitShare, burst);
    }

    /** CPU spent since {@code before}, sampled at {@code since}, per signature of the {@code signatures} sent. */
    private BurstCpu burstCpu(Map<String, Double> before, long since, int signatures) {
        Map<String, Double> spent = CpuMeter.spent(before, cpu.sample());
        double seconds = (System.nanoTime() - since) / 1e9;
        Map<String, Double> perSignature = new LinkedHashMap<>();
        spent.forEach((process, ms) -> perSignature.put(process, ms / signatures));
        double total = spent.entrySet().stream().filter(e -> !e.getKey().endsWith(CpuMeter.JIT))
                .mapToDouble(Map.Entry::getValue).sum();
        return new BurstCpu(perSignature, seconds,
                total / (seconds * 1000 * Runtime.getRuntime().availableProcessors()));
    }

    private record Timeline(Histogram relay, Histogram territories, long territoriesMissing, Histogram observatory,
            long observatoryMissing) {
    }

    /**
     * Waits (up to {@link #GIVE_UP}) until both consumers have applied every signature, reading their inboxes every
     * 100 ms, then reads each step's commit time: the signature's, the relay's, each consumer's.
     */
    private Timeline timeline(List<String> conventionIds) {
        // conventionId -> [signing commit, relay commit] in µs since the epoch; eventId -> conventionId
        Map<String, long[]> signed = new LinkedHashMap<>();
        Map<String, String> conventionOf = new LinkedHashMap<>();
        readUntilComplete("conventions", """
                SELECT o.record_key, o.event_id::text,
                       (extract(epoch FROM pg_xact_commit_timestamp(a.xmin)) * 1e6)::bigint,
                       (extract(epoch FROM pg_xact_commit_timestamp(o.xmin)) * 1e6)::bigint
                FROM outbox_event o
                JOIN audit_entry a ON a.aggregate_id = o.record_key AND a.action = 'SIGNED'
                WHERE o.event_type LIKE '%.ConventionSigned.%' AND o.published_at IS NOT NULL
                  AND o.record_key = ANY (?)""", conventionIds, rs -> {
            signed.put(rs.getString(1), new long[] { commitTime(rs, 3), commitTime(rs, 4) });
            conventionOf.put(rs.getString(2), rs.getString(1));
        }, () -> {
            signed.clear();
            conventionOf.clear();
        }, signed::size);
        Histogram relay = new Histogram(600_000_000L, 3);
        signed.values().forEach(t -> relay.recordValue(Math.max(0, t[1] - t[0])));
        Map<String, Long> territories = applied("territories", TERRITORIES_CONSUMER, conventionOf.keySet());
        Map<String, Long> observatory = applied("observatory", OBSERVATORY_CONSUMER, conventionOf.keySet());
        return new Timeline(relay, since(signed, conventionOf, territories),
                conventionIds.size() - territories.size(), since(signed, conventionOf, observatory),
                conventionIds.size() - observatory.size());
    }

    /** eventId -> commit time (µs) of the consumer's transaction that applied it, once all are there or at GIVE_UP. */
    private Map<String, Long> applied(String database, String consumer, Set<String> eventIds) {
        Map<String, Long> applied = new LinkedHashMap<>();
        readUntilComplete(database, "SELECT event_id, (extract(epoch FROM pg_xact_commit_timestamp(xmin)) * 1e6)::bigint"
                + " FROM inbox_processed_event WHERE consumer = '" + consumer + "' AND event_id = ANY (?)",
                List.copyOf(eventIds), rs -> applied.put(rs.getString(1), commitTime(rs, 2)), applied::clear,
                applied::size);
        return applied;
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    /**
     * Runs {@code sql} (its one parameter: {@code keys} as a text array) every 100 ms, each time from {@code reset}
     * and through {@code row}, until {@code found} reaches the number of keys or {@link #GIVE_UP} has passed.
     */
    private void readUntilComplete(String database, String sql, List<String> keys, RowReader row, Runnable reset,
            IntSupplier found) {
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(database), "postgres", "postgres");
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", keys.toArray()));
            long end = System.nanoTime() + GIVE_UP.toNanos();
            do {
                reset.run();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        row.read(rs);
                    }
                }
            } while (found.getAsInt() < keys.size() && pause(end));
        } catch (SQLException e) {
            throw new IllegalStateException("could not read " + database + ": " + sql, e);
        }
    }

    private static Histogram since(Map<String, long[]> signed, Map<String, String> conventionOf,
            Map<String, Long> applied) {
        Histogram h = new Histogram(600_000_000L, 3);
        applied.forEach((eventId, at) -> h.recordValue(Math.max(0, at - signed.get(conventionOf.get(eventId))[0])));
        return h;
    }

    private static long commitTime(ResultSet rs, int column) throws SQLException {
        long t = rs.getLong(column);
        if (rs.wasNull()) {
            throw new IllegalStateException("a row has no commit timestamp: the stack's PostgreSQL must run with "
                    + SERVER_SETTINGS);
        }
        return t;
    }

    private static boolean pause(long deadlineNanos) {
        if (System.nanoTime() > deadlineNanos) {
            return false;
        }
        Load.sleep(Duration.ofMillis(100));
        return true;
    }

    /** How many of the conventions territories-service's API lists as covering Lyon (one read). */
    private long territoriesVisible(List<String> conventionIds) {
        try {
            Set<String> covered = new HashSet<>();
            getJson(stack.url("territories-service") + "/api/territories/territories/" + LyonWorld.LYON)
                    .path("coveredByConventions").forEach(c -> covered.add(c.asText()));
            return conventionIds.stream().filter(covered::contains).count();
        } catch (Exception e) {
            throw new IllegalStateException("could not read Lyon's coverage", e);
        }
    }

    /** How many of the conventions have their comparison in observatory-service's API (one read each). */
    private long observatoryVisible(List<String> conventionIds) {
        return conventionIds.stream().filter(id -> {
            try {
                return http.send(get(stack.url("observatory-service") + "/api/observatory/conventions/" + id
                        + "/comparison"), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        }).count();
    }

    private HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
    }

    private HttpRequest get(String url) {
        return request(url).GET().build();
    }

    private JsonNode getJson(String url) throws Exception {
        HttpResponse<byte[]> r = http.send(get(url), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + " answered " + r.statusCode());
        }
        return GatewayApi.JSON.readTree(r.body());
    }

    // ---- the floor: Kafka alone ------------------------------------------------------------------------------

    /**
     * A plain KafkaProducer ({@code acks=all}, idempotent, as the outbox relay) and KafkaConsumer (its defaults, as
     * the services' channels) on the stack's broker, on a topic of their own: {@code perSecond} records a second,
     * each timed from {@code send()} to its arrival in the consumer's {@code poll()}.
     */
    static Histogram kafkaRoundTrip(String bootstrap, double perSecond, Duration warmup, Duration measured) {
        String topic = "harness.round-trip.v1";
        Properties common = new Properties();
        common.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(common)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(e);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Properties p = new Properties();
        p.putAll(common);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        Properties c = new Properties();
        c.putAll(common);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "harness-round-trip-" + System.nanoTime());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        Histogram latency = new Histogram(60_000_000L, 3);
        int warm = (int) Math.ceil(perSecond * warmup.toMillis() / 1000.0);
        int count = warm + (int) Math.ceil(perSecond * measured.toMillis() / 1000.0);
        Map<Integer, Long> sentAt = new ConcurrentHashMap<>();
        AtomicInteger received = new AtomicInteger();
        AtomicBoolean assigned = new AtomicBoolean();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p);
                KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
            Thread reader = Thread.ofPlatform().daemon().name("round-trip-consumer").start(() -> {
                consumer.subscribe(List.of(topic));
                long end = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (received.get() < count && System.nanoTime() < end) {
                    ConsumerRecords<String, String> records;
                    try {
                        records = consumer.poll(Duration.ofMillis(100));
                    } catch (WakeupException e) {
                        return;
                    }
                    for (ConsumerRecord<String, String> r : records) {
                        long now = System.nanoTime();
                        int i = Integer.parseInt(r.value());
                        Long sent = sentAt.remove(i);
                        if (sent != null && i >= warm) {
                            synchronized (latency) {
                                latency.recordValue(Math.min((now - sent) / 1000, 60_000_000L));
                            }
                        }
                        received.incrementAndGet();
                    }
                    if (!consumer.assignment().isEmpty()) {
                        assigned.set(true);
                    }
                }
            });
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!assigned.get() && System.nanoTime() < until) {
                Load.sleep(Duration.ofMillis(50));
            }
            Load.sleep(Duration.ofSeconds(1)); // the consumer's position is set after its assignment
            long interval = (long) (1e9 / perSecond);
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long wait = t0 + i * interval - System.nanoTime();
                if (wait > 0) {
                    Load.sleep(Duration.ofNanos(wait));
                }
                sentAt.put(i, System.nanoTime());
                producer.send(new ProducerRecord<>(topic, "k" + (i % 16), Integer.toString(i)));
            }
            producer.flush();
            reader.join(Duration.ofSeconds(30).toMillis());
            consumer.wakeup();
            reader.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        System.out.printf("[events] Kafka round trip: %d of %d records consumed%n", received.get(), count);
        return latency;
    }
}
