package fr.actionlogement.territorial.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.actionlogement.territorial.localstack.LocalStack;
import fr.actionlogement.territorial.systemtests.support.AsyncApiContract;
import fr.actionlogement.territorial.systemtests.support.GatewayApi;
import fr.actionlogement.territorial.systemtests.support.Identity;
import fr.actionlogement.territorial.systemtests.support.OpenApiContract;
import fr.actionlogement.territorial.systemtests.support.Reply;

/**
 * Faults survived by the running system (issue 10, part 5): the packaged apps through the gateway, tokens from the
 * real Keycloak, the embedded Kafka and PostgreSQL taken down and brought back, an app killed with SIGKILL. Each test
 * prints its figures ({@code [faults]} lines) and leaves the stack healthy; the class runs after every other system
 * test class ({@code @Order} with the {@code ClassOrderer} of junit-platform.properties).
 *
 * <p>
 * The writes are CIL registrations at territories-service (cheap, each publishes one CilRegistered on
 * territories.events.v1), which three consumers apply: conventions-service, partnerships-service and
 * observatory-service. What a consumer applied is counted through its API ({@code GET /api/<context>/admin/inbox},
 * one row per applied event id, written in the transaction of the effect), what was delivered is read on the topic.
 */
@ExtendWith(SystemStack.class)
@Order(Integer.MAX_VALUE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("System: faults (Kafka, SIGKILL, poison records and replay, PostgreSQL restart, Keycloak stopped)")
class FaultsTest {

    private static final ObjectMapper JSON = GatewayApi.JSON;
    private static final String EVENTS_TOPIC = "territories.events.v1";
    private static final String CIL_REGISTERED = "fr.actionlogement.territories.CilRegistered.v1";
    /** The services that consume territories.events.v1 (their context paths). */
    private static final List<String> CONSUMERS = List.of("conventions", "partnerships", "observatory");
    /** A run-specific first three digits: the CIL SIRENs of this run never collide with another class's. */
    private static final String PREFIX = "9" + (10 + new java.util.Random().nextInt(90));
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static LocalStack stack;
    private static GatewayApi api;

    @BeforeAll
    static void stack(LocalStack started) {
        stack = started;
        api = new GatewayApi(started);
    }

    @AfterAll
    static void contractFigures() {
        OpenApiContract.print("after the fault tests");
    }

    // --- 1. Kafka down for 60 s -----------------------------------------------------------------------------------

    @Test
    @Order(1)
    @DisplayName("Kafka stopped for 60 s during 1,000 writes: every write accepted, every event delivered and applied once by every consumer")
    void kafkaOutage() throws Exception {
        int writes = 1000;
        Map<String, Long> before = appliedCilRegistered();
        Map<TopicPartition, Long> offsets = endOffsets(EVENTS_TOPIC);
        List<String> ids = nextSirens(writes);

        long down = System.nanoTime();
        stack.stopKafka();
        Map<Integer, Integer> statuses;
        try {
            // Two identities, so the gateway's per-client rate limit (600 a minute) is not what is tested here.
            statuses = registerAll(ids, 4, Duration.ofSeconds(50), Identity.UESL, Identity.ADMIN);
            long writing = ms(down);
            System.out.printf("[faults] kafka-outage: %d writes made in %d ms while the broker was down: %s%n", writes,
                    writing, statuses);
            sleepUntil(down, Duration.ofSeconds(60));
        } finally {
            stack.restartKafka();
        }
        long up = System.nanoTime();
        System.out.printf("[faults] kafka-outage: broker down for %d s%n", (up - down) / 1_000_000_000);
        assertThat(statuses).as("every write accepted while Kafka was down").containsOnlyKeys(201)
                .containsEntry(201, writes);

        Map<String, Long> expected = plus(before, writes);
        awaitApplied(expected, Duration.ofMinutes(4), "kafka-outage");
        long recovered = ms(up);
        Delivery delivery = delivered(offsets, new HashSet<>(ids));
        System.out.printf(
                "[faults] kafka-outage: all %d events delivered and applied %d ms after the broker returned; on the topic %d records, "
                        + "%d distinct event ids, %d duplicate records; applied per consumer: %s (duplicates applied: 0)%n",
                writes, recovered, delivery.records, delivery.distinctEventIds, delivery.records - delivery.distinctEventIds,
                delta(before, appliedCilRegistered()));
        assertDelivered(delivery, ids);
        assertAppliedExactly(before, writes);
    }

    // --- 2. SIGKILL while relaying --------------------------------------------------------------------------------

    @Test
    @Order(2)
    @DisplayName("territories-service killed with SIGKILL in the middle of relaying a burst: after restart nothing lost, nothing applied twice")
    void sigkillDuringRelay() throws Exception {
        int burst = 400;
        Map<String, Long> before = appliedCilRegistered();
        Map<TopicPartition, Long> offsets = endOffsets(EVENTS_TOPIC);
        List<String> ids = nextSirens(burst);
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        Set<String> unanswered = ConcurrentHashMap.newKeySet();
        AtomicInteger killedAt = new AtomicInteger(-1);

        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<?>> tasks = new ArrayList<>();
        AtomicInteger next = new AtomicInteger();
        Identity token = Identity.UESL;
        api.token(token);
        for (int t = 0; t < 6; t++) {
            tasks.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < ids.size()) {
                    String id = ids.get(i);
                    try {
                        int status = registerCil(token, id);
                        if (status == 201) {
                            accepted.add(id);
                        } else {
                            unanswered.add(id); // the gateway's 502/503 once the service is gone
                        }
                    } catch (UncheckedIOException e) {
                        unanswered.add(id);
                    }
                    if (killedAt.get() >= 0 && accepted.size() + unanswered.size() > killedAt.get() + 12) {
                        return null; // a few requests after the kill, then stop writing
                    }
                }
                return null;
            }));
        }
        // Kill once a third of the burst is committed: the relay is publishing while the writes keep coming.
        awaitTrue(() -> accepted.size() >= burst / 3, Duration.ofMinutes(2), "a third of the burst accepted");
        stack.killApp("territories-service");
        killedAt.set(accepted.size() + unanswered.size());
        int acceptedAtKill = accepted.size();
        for (Future<?> f : tasks) {
            f.get();
        }
        pool.shutdown();
        int onTopicAtKill = delivered(offsets, new HashSet<>(ids)).distinctEventIds;

        long t0 = System.nanoTime();
        stack.restartApp("territories-service");
        long restart = ms(t0);
        // The requests cut by the kill may or may not have committed: territories-service says which CILs exist.
        Set<String> committed = new HashSet<>(accepted);
        Identity uesl = Identity.UESL;
        for (String id : unanswered) {
            if (send(uesl, "GET", "/api/territories/cils/" + id, null).status() == 200) {
                committed.add(id);
            }
        }
        System.out.printf(
                "[faults] sigkill: killed after %d of %d writes accepted, %d of their events on the topic at the kill;"
                        + " %d requests cut, %d of them committed; territories-service back in %d ms%n",
                acceptedAtKill, burst,
                onTopicAtKill, unanswered.size(), committed.size() - accepted.size(), restart);
        assertThat(onTopicAtKill).as("killed while relaying: part of the burst still in the outbox")
                .isLessThanOrEqualTo(committed.size());

        awaitApplied(plus(before, committed.size()), Duration.ofMinutes(3), "sigkill");
        long recovered = ms(t0);
        Delivery delivery = delivered(offsets, new HashSet<>(ids));
        System.out.printf("[faults] sigkill: %d committed writes, %d events delivered (%d records, %d duplicate records on the"
                + " topic), applied per consumer: %s, %d ms after the restart began%n", committed.size(),
                delivery.distinctEventIds, delivery.records, delivery.records - delivery.distinctEventIds,
                delta(before, appliedCilRegistered()), recovered);
        assertDelivered(delivery, List.copyOf(committed));
        assertAppliedExactly(before, committed.size());
    }

    // --- 3. Poison records, dead letters, replay ------------------------------------------------------------------

    @Test
    @Order(3)
    @DisplayName("a poison record goes to each consumer's dead-letter topic and later records are applied; a dead letter whose cause is fixed is replayed once")
    void poisonAndReplay() throws Exception {
        Identity admin = Identity.ADMIN;
        String poisonKey = "poison-" + UUID.randomUUID();
        String poison = "{not a CloudEvent " + UUID.randomUUID();
        Map<String, Long> before = appliedCilRegistered();
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(EVENTS_TOPIC, poisonKey, poison)).get();
        }
        // A later record on the same topic is still applied by every consumer.
        String later = nextSirens(1).get(0);
        assertThat(registerCil(Identity.UESL, later)).isEqualTo(201);
        awaitApplied(plus(before, 1), Duration.ofMinutes(1), "poison");
        for (String context : CONSUMERS) {
            JsonNode pending = awaitDeadLetter(admin, context, d -> poisonKey.equals(d.path("key").asText()));
            JsonNode letter = find(pending, d -> poisonKey.equals(d.path("key").asText()));
            assertThat(letter.path("originalTopic").asText()).isEqualTo(EVENTS_TOPIC);
            assertThat(letter.path("eventId").isNull()).as("a poison is no event").isTrue();
            System.out.printf("[faults] poison: %s-service dead-lettered it (%s: %s) and applied the next record%n", context,
                    letter.path("reason").asText(), truncate(letter.path("cause").asText(), 80));
        }

        // A fixable failure: observatory-service's database refuses connections while territories-service publishes.
        String fixable = nextSirens(1).get(0);
        Map<String, Long> beforeFixable = appliedCilRegistered();
        sql("postgres", "ALTER DATABASE observatory WITH ALLOW_CONNECTIONS false",
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'observatory'");
        JsonNode deadLetter;
        try {
            assertThat(registerCil(Identity.UESL, fixable)).isEqualTo(201);
            deadLetter = find(awaitDeadLetter(admin, "observatory", d -> CIL_REGISTERED.equals(d.path("eventType").asText())
                    && d.path("key").asText().equals(fixable)), d -> d.path("key").asText().equals(fixable));
            System.out.printf("[faults] replay: observatory-service dead-lettered CilRegistered %s while its database was"
                    + " unavailable (%s)%n", deadLetter.path("eventId").asText(),
                    truncate(deadLetter.path("cause").asText(), 100));
        } finally {
            sql("postgres", "ALTER DATABASE observatory WITH ALLOW_CONNECTIONS true");
        }
        stack.awaitReady("observatory-service", Duration.ofMinutes(1));
        Map<String, Long> afterFailure = appliedCilRegistered();
        assertThat(afterFailure.get("observatory")).as("not applied while it was failing")
                .isEqualTo(beforeFixable.get("observatory"));

        // The documented command: POST /api/observatory/admin/dead-letters/replay (docs/operations.md).
        Reply replay = send(admin, "POST", "/api/observatory/admin/dead-letters/replay", null);
        assertThat(replay.status()).as(replay.text()).isEqualTo(200);
        JsonNode result = JSON.readTree(replay.text());
        System.out.printf("[faults] replay: %s%n", replay.text());
        assertThat(result.path("replayedByTopic").path(EVENTS_TOPIC).asInt()).isGreaterThanOrEqualTo(1);
        assertThat(result.path("discarded").findValuesAsText("key")).contains(poisonKey);
        awaitApplied(plus(beforeFixable, 1), Duration.ofMinutes(1), "replay");
        // Replayed once: nothing left for a second replay; the other consumers skipped the copy (inbox).
        Reply again = send(admin, "POST", "/api/observatory/admin/dead-letters/replay", null);
        assertThat(JSON.readTree(again.text()).path("replayed").asInt()).isZero();
        for (String context : List.of("conventions", "partnerships")) {
            // their poison is discarded by their own replay, which empties their pending dead letters
            Reply r = send(admin, "POST", "/api/" + context + "/admin/dead-letters/replay", null);
            assertThat(r.status()).as(r.text()).isEqualTo(200);
        }
        Thread.sleep(2000);
        assertAppliedExactly(beforeFixable, 1);
        for (String context : CONSUMERS) {
            Reply pending = send(admin, "GET", "/api/" + context + "/admin/dead-letters", null);
            assertThat(JSON.readTree(pending.text()).path("pending").asLong()).as(context).isZero();
        }
        // Only admins may replay, and the refusal is a problem.
        Reply refused = send(Identity.UESL, "POST", "/api/observatory/admin/dead-letters/replay", null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("Content-Type").orElse("")).startsWith("application/problem+json");
        System.out.printf("[faults] replay: the fixed dead letter applied once by observatory-service; applied per consumer"
                + " since the failure: %s%n", delta(beforeFixable, appliedCilRegistered()));
        // The dead letters as the AsyncAPI document describes them (DeadLetter: the original key and value, the
        // dead-letter headers): the poison in each consumer's topic, the fixable record in observatory-service's.
        List<String> mismatches = AsyncApiContract.checkTopics(stack.kafkaBootstrapServers(),
                CONSUMERS.stream().map(context -> context + "-service.dlq.v1").toList());
        System.out.println("[asyncapi] " + AsyncApiContract.figures());
        assertThat(mismatches).as("dead letters that do not match docs/events/asyncapi.yaml").isEmpty();
    }

    // --- 4. PostgreSQL restarted ----------------------------------------------------------------------------------

    @Test
    @Order(4)
    @DisplayName("PostgreSQL restarted: readiness goes DOWN then UP, requests, the outbox relay and the consumers recover without restarting any app")
    void postgresRestart() throws Exception {
        Map<String, Long> before = appliedCilRegistered();
        Identity uesl = Identity.UESL;
        List<String> services = LocalStack.APPS.stream().filter(a -> !a.isGateway()).map(LocalStack.App::name).toList();
        Map<String, Long> deadLettersBefore = pendingDeadLetters();

        long t0 = System.nanoTime();
        stack.stopPostgres();
        try {
            awaitTrue(() -> services.stream().noneMatch(stack::isReady), Duration.ofSeconds(60),
                    "every service's readiness DOWN");
            System.out.printf("[faults] postgres: every service not ready %d ms after the stop%n", ms(t0));
            int status = send(uesl, "GET", "/api/territories/cils?size=1", null).status();
            assertThat(status).as("a read while the database is down is refused, not hung").isGreaterThanOrEqualTo(500);
        } finally {
            stack.restartPostgres();
        }
        long up = System.nanoTime();
        awaitTrue(() -> services.stream().allMatch(stack::isReady), Duration.ofMinutes(2), "every service ready again");
        long ready = ms(up);
        String id = nextSirens(1).get(0);
        int attempts = 0;
        int status = 0;
        while (status != 201 && System.nanoTime() - up < Duration.ofMinutes(1).toNanos()) {
            attempts++;
            status = registerCil(uesl, id);
            if (status != 201) {
                Thread.sleep(200);
            }
        }
        long firstWrite = ms(up);
        assertThat(status).as("a write through the gateway after the restart").isEqualTo(201);
        awaitApplied(plus(before, 1), Duration.ofMinutes(2), "postgres");
        long applied = ms(up);
        for (String service : services) {
            assertThat(stack.isRunning(service)).as(service + " was not restarted").isTrue();
        }
        System.out.printf("[faults] postgres: ready again %d ms after PostgreSQL restarted; first write accepted after %d ms"
                + " (%d attempts); its event relayed and applied by %s after %d ms%n", ready, firstWrite, attempts,
                CONSUMERS, applied);
        assertAppliedExactly(before, 1);
        // A consumer that met the restart retried instead of dead-lettering valid events.
        assertThat(pendingDeadLetters()).as("no event dead-lettered because of the restart").isEqualTo(deadLettersBefore);
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    /** Registers every CIL, spread evenly over {@code spread}, from {@code threads} threads; returns status counts. */
    private static Map<Integer, Integer> registerAll(List<String> ids, int threads, Duration spread, Identity... users)
            throws Exception {
        List<Identity> tokens = List.of(users);
        tokens.forEach(api::token); // one login at a time, before the threads

        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        long gap = spread.toNanos() / ids.size();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            tasks.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < ids.size()) {
                    long due = start + i * gap;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000);
                    }
                    int status;
                    try {
                        status = registerCil(tokens.get(i % tokens.size()), ids.get(i));
                    } catch (UncheckedIOException e) {
                        status = -1;
                    }
                    statuses.merge(status, 1, Integer::sum);
                }
                return null;
            }));
        }
        for (Future<?> f : tasks) {
            f.get();
        }
        pool.shutdown();
        return new java.util.TreeMap<>(statuses);
    }

    private static int registerCil(Identity who, String siren) {
        return send(who, "POST", "/api/territories/cils",
                "{\"id\":\"" + siren + "\",\"name\":\"CIL fault test " + siren + "\"}").status();
    }

    private static List<String> nextSirens(int n) {
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(PREFIX + String.format("%06d", SEQUENCE.incrementAndGet()));
        }
        return ids;
    }

    /** CilRegistered events applied per consuming service, counted through each one's admin API. */
    private static Map<String, Long> appliedCilRegistered() throws Exception {
        Map<String, Long> counts = new LinkedHashMap<>();
        Identity admin = Identity.ADMIN;
        for (String context : CONSUMERS) {
            Reply res = send(admin, "GET", "/api/" + context + "/admin/inbox", null);
            if (res.status() != 200) {
                throw new IllegalStateException(context + " inbox: " + res.status() + " " + res.text());
            }
            long n = 0;
            for (JsonNode row : JSON.readTree(res.text())) {
                if (CIL_REGISTERED.equals(row.path("eventType").asText())) {
                    n += row.path("events").asLong();
                }
            }
            counts.put(context, n);
        }
        return counts;
    }

    /** Dead letters pending per service (territories-service consumes conventions.events.v1). */
    private static Map<String, Long> pendingDeadLetters() throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        Identity admin = Identity.ADMIN;
        for (String context : List.of("territories", "conventions", "partnerships", "observatory")) {
            Reply res = send(admin, "GET", "/api/" + context + "/admin/dead-letters?limit=0", null);
            assertThat(res.status()).as(res.text()).isEqualTo(200);
            out.put(context, JSON.readTree(res.text()).path("pending").asLong());
        }
        return out;
    }

    // --- 5. Keycloak stopped ----------------------------------------------------------------------------------------

    @Test
    @Order(5)
    @DisplayName("Keycloak stopped: a gateway that cannot fetch the signing keys answers 503 problem+json with Retry-After, not 401, and recovers by itself")
    void keycloakOutage() throws Exception {
        api.token(Identity.UESL); // a valid token, fetched while Keycloak is up
        long t0 = System.nanoTime();
        stack.stopKeycloak();
        try {
            // A gateway (re)started during the outage has no keys cached: it must say "try again", not "bad token".
            stack.killApp("gateway");
            stack.restartApp("gateway");
            Reply outage = api.as(Identity.UESL).get("/api/territories/cils?size=1");
            assertThat(outage.status()).as("a valid token while the keys cannot be fetched: %s", outage.text())
                    .isEqualTo(503);
            assertThat(outage.header("Content-Type")).hasValueSatisfying(ct -> assertThat(ct)
                    .startsWith("application/problem+json"));
            assertThat(outage.header("Retry-After")).as("Retry-After").isPresent();
            api.anonymous().get("/api/territories/cils?size=1").expectProblem(401, null);
            System.out.printf("[faults] keycloak: gateway restarted without Keycloak answers %d with Retry-After %s%n",
                    outage.status(), outage.header("Retry-After").orElse("?"));
        } finally {
            stack.restartKeycloak();
        }
        long up = System.nanoTime();
        awaitTrue(() -> api.as(Identity.UESL).get("/api/territories/cils?size=1").status() == 200,
                Duration.ofMinutes(2), "the gateway accepts tokens again once Keycloak is back");
        assertThat(stack.isRunning("gateway")).as("the gateway recovered without another restart").isTrue();
        System.out.printf("[faults] keycloak: down for %d s; requests accepted again %d ms after Keycloak returned%n",
                (up - t0) / 1_000_000_000, ms(up));
    }

    private static void awaitApplied(Map<String, Long> expected, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Long> now = Map.of();
        while (System.nanoTime() < deadline) {
            try {
                now = appliedCilRegistered();
                boolean done = true;
                for (String c : CONSUMERS) {
                    done &= now.get(c) >= expected.get(c);
                }
                if (done) {
                    return;
                }
            } catch (UncheckedIOException | IllegalStateException e) {
                // a service still recovering: ask again
            }
            Thread.sleep(500);
        }
        throw new AssertionError(what + ": not every event applied within " + timeout + ": expected " + expected
                + ", applied " + now);
    }

    /** Exactly {@code n} more applied per consumer, read again after a quiet moment (a duplicate would show). */
    private static void assertAppliedExactly(Map<String, Long> before, int n) throws Exception {
        Thread.sleep(1500);
        assertThat(appliedCilRegistered()).as("applied once by every consumer").isEqualTo(plus(before, n));
    }

    private static Map<String, Long> plus(Map<String, Long> counts, long n) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.forEach((k, v) -> out.put(k, v + n));
        return out;
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new LinkedHashMap<>();
        after.forEach((k, v) -> out.put(k, v - before.getOrDefault(k, 0L)));
        return out;
    }

    private record Delivery(int records, int distinctEventIds, Map<String, Set<String>> eventIdsByCil) {
    }

    /** The CilRegistered records of these CILs on territories.events.v1 after the given offsets, up to its end now. */
    private static Delivery delivered(Map<TopicPartition, Long> from, Set<String> cils) throws Exception {
        Map<String, Set<String>> byCil = new HashMap<>();
        Set<String> eventIds = new HashSet<>();
        int records = 0;
        try (KafkaConsumer<String, String> consumer = consumer()) {
            Map<TopicPartition, Long> end = consumer.endOffsets(from.keySet());
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + EVENTS_TOPIC + " to its end");
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition())) || !cils.contains(r.key())) {
                        continue;
                    }
                    AsyncApiContract.check(r);
                    JsonNode event = JSON.readTree(r.value());
                    if (!CIL_REGISTERED.equals(event.path("type").asText())) {
                        continue;
                    }
                    records++;
                    eventIds.add(event.path("id").asText());
                    byCil.computeIfAbsent(event.path("data").path("cilId").asText(), k -> new HashSet<>())
                            .add(event.path("id").asText());
                }
            }
        }
        return new Delivery(records, eventIds.size(), byCil);
    }

    private static void assertDelivered(Delivery delivery, List<String> cils) {
        assertThat(delivery.eventIdsByCil.keySet()).as("one CilRegistered per committed write, none lost")
                .containsExactlyInAnyOrderElementsOf(cils);
        assertThat(delivery.eventIdsByCil.values()).as("one event id per write").allMatch(s -> s.size() == 1);
        assertThat(delivery.distinctEventIds).isEqualTo(cils.size());
    }

    private static Map<TopicPartition, Long> endOffsets(String topic) {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
        }
    }

    private static KafkaConsumer<String, String> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        return new KafkaConsumer<>(p);
    }

    private static KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p);
    }

    /** Waits until the service lists a pending dead letter that matches; returns the listing. */
    private static JsonNode awaitDeadLetter(Identity admin, String context, java.util.function.Predicate<JsonNode> matching)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            Reply res = send(admin, "GET", "/api/" + context + "/admin/dead-letters?limit=1000", null);
            last = res.status() + " " + res.text();
            if (res.status() == 200) {
                JsonNode listing = JSON.readTree(res.text());
                if (find(listing, matching) != null) {
                    return listing;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError(context + ": the dead letter did not show within 60 s; last answer " + truncate(last, 400));
    }

    private static JsonNode find(JsonNode listing, java.util.function.Predicate<JsonNode> matching) {
        for (JsonNode d : listing.path("items")) {
            if (matching.test(d)) {
                return d;
            }
        }
        return null;
    }

    private static void sql(String database, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(database), "postgres", "postgres");
                Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    /**
     * Through the gateway with a real token of {@code who} (GatewayApi caches it; the first one of each identity is
     * fetched on the test's thread before any parallel writes, since parallel logins lock users).
     */
    private static Reply send(Identity who, String method, String path, String body) {
        return api.as(who).send(method, path, body == null ? null : "application/json",
                body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    private static void awaitTrue(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(100);
        }
    }

    private static void sleepUntil(long start, Duration after) throws InterruptedException {
        long wait = start + after.toNanos() - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000);
        }
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
