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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;

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
 * signature at a fixed rate (open loop), straight to conventions-service. The response of the signing request is the
 * commit (the outbox row is written in the same transaction). From that instant, two watchers poll the consumers'
 * own API: territories-service's {@code GET /territories/EPCI:…} (its {@code coveredByConventions}, one request
 * serving every pending convention) and observatory-service's {@code GET /conventions/{id}/comparison} (404 until
 * the observatory has applied ConventionSigned). A convention's latency is the arrival of the first response that
 * shows it, so a figure is an upper bound by at most one poll (a GET plus the pause between polls; for the
 * observatory, at most 8 conventions are read per poll, the oldest first).
 */
final class EventPropagation {

    /** Pause between two polls of one watcher: the resolution of the figures, against the load it adds. */
    static final Duration POLL_PAUSE = Duration.ofMillis(3);
    /** How long after the last signature a missing effect is still awaited before it is counted as missing. */
    static final Duration GIVE_UP = Duration.ofSeconds(30);

    record Result(long signed, long signFailures, Histogram sign, Histogram territories, long territoriesMissing,
            Histogram observatory, long observatoryMissing, long territoriesPolls, long observatoryPolls) {
    }

    private record Ready(String conventionId, String etag) {
    }

    private final LocalStack stack;
    private final GatewayApi api;
    /** Waits until every consumer group has no lag. */
    private final Runnable settle;
    private volatile String token;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    EventPropagation(LocalStack stack, GatewayApi api, Runnable settle) {
        this.stack = stack;
        this.api = api;
        this.settle = settle;
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
     * Signs {@code perSecond} conventions a second for the warm-up (not recorded: the JIT, the consumers' first
     * records) then for the measured duration, and waits for every effect.
     */
    Result measure(double perSecond, Duration warmup, Duration measured) {
        int warm = (int) Math.ceil(perSecond * warmup.toMillis() / 1000.0);
        int count = warm + (int) Math.ceil(perSecond * measured.toMillis() / 1000.0);
        List<Ready> ready = prepare(count);
        // The preparation published about six events per convention: the consumers apply them before the first
        // signature, or the figures would measure that backlog instead of one event's way through the system.
        settle.run();
        token = api.token(Identity.UESL); // fresh: the preparation may have outlived the harness's own token
        warm = Math.min(warm, ready.size() / 3);

        Histogram sign = new Histogram(60_000_000L, 3);
        Watcher territories = new Watcher("territories", Integer.MAX_VALUE, conventionIds -> {
            // One read serves every pending convention: they all cover Lyon.
            JsonNode t = getJson(stack.url("territories-service") + "/api/territories/territories/" + LyonWorld.LYON);
            Set<String> covered = ConcurrentHashMap.newKeySet();
            t.path("coveredByConventions").forEach(c -> covered.add(c.asText()));
            return covered::contains;
        });
        // One read per pending convention, in parallel, the oldest first and at most 8 at a time (more would load
        // the observatory that is being measured; the others are read at the next poll): 404 until applied.
        Watcher observatory = new Watcher("observatory", 8, conventionIds -> {
            Map<String, CompletableFuture<HttpResponse<Void>>> replies = new LinkedHashMap<>();
            for (String id : conventionIds) {
                replies.put(id, http.sendAsync(get(stack.url("observatory-service")
                        + "/api/observatory/conventions/" + id + "/comparison"), HttpResponse.BodyHandlers.discarding()));
            }
            Set<String> visible = ConcurrentHashMap.newKeySet();
            replies.forEach((id, reply) -> {
                if (reply.join().statusCode() == 200) {
                    visible.add(id);
                }
            });
            return visible::contains;
        });
        territories.start();
        observatory.start();

        AtomicLong failures = new AtomicLong();
        long interval = (long) (1e9 / perSecond);
        long t0 = System.nanoTime();
        final int recordedFrom = warm;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < ready.size(); i++) {
                long wait = t0 + i * interval - System.nanoTime();
                if (wait > 0) {
                    Load.sleep(Duration.ofNanos(wait));
                }
                Ready r = ready.get(i);
                boolean recorded = i >= recordedFrom;
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
                    long committed = System.nanoTime();
                    if (status != 200) {
                        if (failures.incrementAndGet() <= 3) {
                            System.out.printf("[events] signing %s answered %d%n", r.conventionId(), status);
                        }
                        return;
                    }
                    if (recorded) {
                        synchronized (sign) {
                            sign.recordValue(Math.min((committed - start) / 1000, 60_000_000L));
                        }
                    }
                    territories.await(r.conventionId(), committed, recorded);
                    observatory.await(r.conventionId(), committed, recorded);
                });
            }
        }
        territories.finish();
        observatory.finish();
        return new Result(ready.size() - recordedFrom, failures.get(), sign, territories.latency,
                territories.missing(), observatory.latency, observatory.missing(), territories.polls.get(),
                observatory.polls.get());
    }

    /** Polls one consumer's API until every convention it was given shows there. */
    private final class Watcher {
        /** Given the pending convention ids, reads the API once and says which of them it shows. */
        interface Poll {
            Predicate<String> visible(Set<String> pending) throws Exception;
        }

        private record Pending(long committedNanos, boolean recorded) {
        }

        private final String name;
        private final int maxPerPoll;
        private final Poll poll;
        private final Map<String, Pending> pending = new ConcurrentHashMap<>();
        private final Histogram latency = new Histogram(60_000_000L, 3);
        private final AtomicLong polls = new AtomicLong();
        private final AtomicBoolean stop = new AtomicBoolean();
        private Thread thread;

        Watcher(String name, int maxPerPoll, Poll poll) {
            this.name = name;
            this.maxPerPoll = maxPerPoll;
            this.poll = poll;
        }

        void start() {
            thread = Thread.ofPlatform().daemon().name("events-watcher-" + name).start(this::run);
        }

        void await(String conventionId, long committedNanos, boolean recorded) {
            pending.put(conventionId, new Pending(committedNanos, recorded));
        }

        private void run() {
            int errors = 0;
            while (!stop.get()) {
                if (pending.isEmpty()) {
                    Load.sleep(Duration.ofMillis(1));
                    continue;
                }
                Set<String> ids = pending.entrySet().stream()
                        .sorted(Map.Entry.comparingByValue(Comparator.comparingLong(Pending::committedNanos)))
                        .limit(maxPerPoll).map(Map.Entry::getKey).collect(Collectors.toSet());
                try {
                    Predicate<String> visible = poll.visible(ids);
                    long seen = System.nanoTime();
                    polls.incrementAndGet();
                    for (String id : ids) {
                        if (visible.test(id)) {
                            Pending p = pending.remove(id);
                            if (p != null && p.recorded()) {
                                synchronized (latency) {
                                    latency.recordValue(Math.min((seen - p.committedNanos()) / 1000, 60_000_000L));
                                }
                            }
                        }
                    }
                } catch (Exception e) {
                    if (++errors <= 3) {
                        System.out.printf("[events] %s poll failed: %s%n", name, e);
                    }
                }
                Load.sleep(POLL_PAUSE);
            }
        }

        /** Waits until nothing is pending or {@link #GIVE_UP} has passed, then stops polling. */
        void finish() {
            long end = System.nanoTime() + GIVE_UP.toNanos();
            while (!pending.isEmpty() && System.nanoTime() < end) {
                Load.sleep(Duration.ofMillis(50));
            }
            stop.set(true);
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        long missing() {
            return pending.size();
        }
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
