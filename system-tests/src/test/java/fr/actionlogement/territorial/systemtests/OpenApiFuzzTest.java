package fr.actionlogement.territorial.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import fr.actionlogement.territorial.localstack.LocalStack;
import fr.actionlogement.territorial.systemtests.support.Awaits;
import fr.actionlogement.territorial.systemtests.support.EventBacklog;
import fr.actionlogement.territorial.systemtests.support.GatewayApi;
import fr.actionlogement.territorial.systemtests.support.Identity;
import fr.actionlogement.territorial.systemtests.support.LyonWorld;
import fr.actionlogement.territorial.systemtests.support.OpenApiContract;
import fr.actionlogement.territorial.systemtests.support.OpenApiFuzzer;
import fr.actionlogement.territorial.systemtests.support.Reply;

/**
 * Bad input never breaks the system (issue 11, part 1): for each service, requests generated from its OpenAPI
 * document as the gateway serves it ({@code /openapi/<context>}), sent through the gateway with valid tokens of
 * several roles. Pass: no 5xx, every 4xx is {@code application/problem+json}, and refused requests publish nothing
 * (the event topics' end offsets before and after; events are written only by a successful write).
 *
 * <p>
 * Seeded and bounded: a fixed seed by default, {@code -Dfuzz.seed=<n>} replays a run (the seed is printed) and
 * {@code -Dfuzz.seed=random} explores, {@code -Dfuzz.requests=<n>} sets
 * the requests per service (1,000 by default). A failure lists each offending request with its index, so it can be
 * sent again by hand. The gateway's rate limit (600 per minute per client, a burst of 600) is shared out by
 * rotating the identities, and each service's batch waits until every identity has its share left: no 429.
 *
 * <p>
 * Independent of the other classes: the resources it addresses by id are made in {@link #tokensAndOwnData}
 * (the shared {@link LyonWorld}, observations of its own); any other well-formed id is one no test can have made.
 * Run alone with {@code -Dtest=OpenApiFuzzTest}.
 */
@ExtendWith(SystemStack.class)
@Order(JourneyOrder.FUZZING)
@DisplayName("System: generated bad input on every operation of every service (no 5xx, problem+json, nothing changed)")
class OpenApiFuzzTest {

    /**
     * A fixed seed by default, so the build is reproducible; explore with {@code -Dfuzz.seed=random} (or any number)
     * and turn what a new seed finds into a fix and a test before it reaches the default.
     */
    private static final long SEED = "random".equals(System.getProperty("fuzz.seed")) ? System.nanoTime()
            : Long.getLong("fuzz.seed", 20261130L);
    private static final int REQUESTS = Integer.getInteger("fuzz.requests", 1000);
    private static final int PARALLEL = 4;
    /** Tells this run's requests apart in the audit log (X-Request-Id), whatever the seed. */
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    /** Roles across the matrix: each sees different rows, and each has its own rate-limit bucket at the gateway. */
    private static final List<Identity> WHO = List.of(Identity.UESL, Identity.ADMIN, Identity.CIL,
            Identity.DELEGUE_ARA, Identity.OBSERVATEUR, Identity.COLLECTIVITE_LYON, Identity.PARTNER_CIL,
            Identity.PARTNER_LYON);

    /** Ids of the resources this class made itself, by the path up to the parameter (see OpenApiFuzzer). */
    private static Map<String, List<String>> ownIds;

    @BeforeAll
    static void tokensAndOwnData(GatewayApi api) {
        System.out.printf("[fuzz] seed %d (replay with -Dfuzz.seed=%d), %d requests per service%n", SEED, SEED,
                REQUESTS);
        // One at a time: Keycloak locks a user out under parallel logins; GatewayApi caches them.
        WHO.forEach(api::token);
        // The data the fuzzer addresses by id is made here, whatever ran before: the shared prerequisites (made
        // once per stack, so the same whether or not a journey made them first) and observations of this run.
        LyonWorld.Cils cils = LyonWorld.ensure(api);
        List<String> observations = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String observation = """
                    {"territoryId":"%s","indicator":"DEMANDES_LOGEMENT_SALARIES","publicPrioritaire":"JEUNES_SALARIES",
                     "period":"2024-0%d","value":%d,"source":"fuzz %s","visibility":"SHARED"}"""
                    .formatted(LyonWorld.LYON, i + 1, 10 + i, RUN);
            // On a fresh stack the observatory may not know the territory yet: it learns it from territories' events.
            observations.add(Awaits.until("the observatory records an observation on " + LyonWorld.LYON,
                    Awaits.FIRST_READ_MODEL, () -> api.as(Identity.UESL).post("/api/observatory/observations",
                            observation),
                    r -> r.status() == 201).at("/id"));
        }
        ownIds = Map.of(
                "/api/territories/cils/{id}", List.of(cils.present(), cils.alsoPresent(), LyonWorld.DEMO_CIL),
                "/api/territories/territories/{id}", List.of(LyonWorld.LYON),
                "/api/territories/delegues/{region}", List.of(LyonWorld.REGION),
                "/api/territories/regional-conferences/{region}", List.of(LyonWorld.REGION),
                "/api/observatory/observations/{id}", observations);
        System.out.printf("[fuzz] own data: %s%n", ownIds);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "territories", "conventions", "partnerships", "observatory" })
    @DisplayName("fuzzed requests: no 5xx, every 4xx a problem, nothing written or published by a refused request")
    void fuzz(String service, GatewayApi api, LocalStack stack) throws Exception {
        String document = api.anonymous().get("/openapi/" + service).expect(200).text();
        OpenApiFuzzer fuzzer = new OpenApiFuzzer(service, document).withKnownIds(ownIds);
        Random random = new Random(SEED ^ service.hashCode());
        List<OpenApiFuzzer.Request> requests = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            requests.add(fuzzer.next(i, random));
        }

        try (EventBacklog kafka = new EventBacklog(stack.kafkaBootstrapServers())) {
            // Start from quiet topics: what earlier steps wrote (a fresh stack's reference load) is relayed first.
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (pendingOutbox(stack) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            // Every identity starts with the requests it will send left in its gateway bucket, whatever earlier
            // classes spent: a 429 would hide what the request does at the service.
            awaitRateLimitBuckets(api, requests.size() / WHO.size() + 10);
            Map<String, Long> before = kafka.endOffsets(LocalStack.EVENT_TOPICS);
            long auditBefore = scalar(stack, service, "SELECT coalesce(max(id), 0) FROM audit_entry");
            long outboxBefore = scalar(stack, service, "SELECT coalesce(max(seq), 0) FROM outbox_event");
            long started = System.nanoTime();
            List<Reply> replies = send(api, requests);
            long millis = (System.nanoTime() - started) / 1_000_000;

            Map<Integer, Integer> histogram = new TreeMap<>();
            List<String> failures = new ArrayList<>();
            Set<String> accepted = new HashSet<>();
            int acceptedWrites = 0;
            for (int i = 0; i < requests.size(); i++) {
                OpenApiFuzzer.Request req = requests.get(i);
                Reply reply = replies.get(i);
                histogram.merge(reply.status(), 1, Integer::sum);
                String type = reply.header("Content-Type").orElse("");
                if (reply.status() >= 500) {
                    failures.add(reply.status() + " " + req.describe() + "\n    -> " + abbreviate(reply.text()));
                } else if (reply.status() >= 400 && !type.startsWith("application/problem+json")) {
                    failures.add(reply.status() + " not problem+json (" + type + ") " + req.describe() + "\n    -> "
                            + abbreviate(reply.text()));
                } else if (reply.status() < 300 && req.isWrite()) {
                    acceptedWrites++;
                    accepted.add(requestId(req));
                    System.out.printf("[fuzz] %-12s accepted %d %s %s%n", service, reply.status(), req.method(),
                            req.path());
                }
            }
            // The outbox relay publishes within milliseconds of a commit (LISTEN/NOTIFY): give it a moment.
            Thread.sleep(2_000);
            Map<String, Long> after = kafka.endOffsets(LocalStack.EVENT_TOPICS);
            Map<String, Long> published = new TreeMap<>();
            after.forEach((topic, end) -> published.put(topic, end - before.getOrDefault(topic, 0L)));
            long events = published.values().stream().mapToLong(Long::longValue).sum();
            long tooMany = histogram.getOrDefault(429, 0);
            String ours = "fuzz-" + RUN + "-" + service + "-";
            List<String> changedByRefused = new ArrayList<>();
            for (String id : strings(stack, service, "SELECT DISTINCT request_id FROM audit_entry WHERE id > "
                    + auditBefore + " AND request_id LIKE '" + ours + "%'")) {
                if (!accepted.contains(id)) {
                    changedByRefused.add("audit " + id + ": " + requests
                            .get(Integer.parseInt(id.substring(ours.length()))).describe());
                }
            }
            // Every change is audited in its own transaction, with the outbox rows it writes: no audit row from an
            // accepted request means no outbox row and no event may have been written meanwhile.
            long changesByAccepted = strings(stack, service, "SELECT DISTINCT request_id FROM audit_entry WHERE id > "
                    + auditBefore + " AND request_id LIKE '" + ours + "%'").stream().filter(accepted::contains).count();
            long outbox = scalar(stack, service, "SELECT count(*) FROM outbox_event WHERE seq > " + outboxBefore);

            System.out.printf("[fuzz] %-12s %d requests in %d ms, statuses %s, accepted writes %d, events %s%n",
                    service, requests.size(), millis, histogram, acceptedWrites, published);
            REQUESTS_SENT.put(service, requests.size());
            System.out.printf("[fuzz] %-12s changes audited for accepted requests %d, outbox rows %d%n", service,
                    changesByAccepted, outbox);
            System.out.printf("[fuzz] %-12s %d operations: %s%n", service, fuzzer.operations().size(),
                    fuzzer.operations().stream().map(o -> o.method() + " " + o.template())
                            .collect(Collectors.joining(", ")));
            failures.stream().limit(30).forEach(f -> System.out.println("[fuzz] FAILED seed " + SEED + " " + service
                    + " " + f));

            assertThat(failures).as("5xx or non-problem 4xx (seed %d, first 30 printed)", SEED).isEmpty();
            assertThat(tooMany).as("429s: every identity started with a full enough bucket").isZero();
            assertThat(changedByRefused).as("state changed by refused requests").isEmpty();
            if (changesByAccepted == 0) {
                assertThat(outbox).as("outbox rows written though no accepted request changed anything").isZero();
                assertThat(events).as("events published though no accepted request changed anything: %s", published)
                        .isZero();
            }
        }
    }

    private static final Map<String, Integer> REQUESTS_SENT = new TreeMap<>();

    @org.junit.jupiter.api.AfterAll
    static void requestCounts() {
        System.out.printf("[fuzz] requests per service: %s%n", REQUESTS_SENT);
        OpenApiContract.print("after the fuzzing");
    }

    /**
     * Waits until each identity has {@code needed} requests left at the gateway (X-RateLimit-Remaining; the bucket
     * refills at limit/period, 10 a second by default), 90 s at most.
     */
    private static void awaitRateLimitBuckets(GatewayApi api, int needed) throws InterruptedException {
        long deadline = System.nanoTime() + 90_000_000_000L;
        for (Identity who : WHO) {
            while (true) {
                Reply r = api.as(who).get("/api/territories/territories/" + LyonWorld.LYON);
                int remaining = r.header("X-RateLimit-Remaining").map(Integer::parseInt).orElse(Integer.MAX_VALUE);
                int limit = r.header("X-RateLimit-Limit").map(Integer::parseInt).orElse(Integer.MAX_VALUE);
                if (remaining >= Math.min(needed, limit - 1) || System.nanoTime() > deadline) {
                    break;
                }
                System.out.printf("[fuzz] %s has %d requests left at the gateway, waiting for %d%n", who, remaining,
                        needed);
                Thread.sleep(Math.min(10_000, (needed - remaining) * 100L + 100));
            }
        }
    }

    private static List<Reply> send(GatewayApi api, List<OpenApiFuzzer.Request> requests) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try {
            List<Future<Reply>> futures = new ArrayList<>();
            for (OpenApiFuzzer.Request req : requests) {
                Identity who = WHO.get(req.index() % WHO.size());
                futures.add(pool.submit(() -> {
                    GatewayApi.Call call = api.as(who).header("X-Request-Id", requestId(req));
                    req.headers().forEach(call::header);
                    try {
                        return call.send(req.method(), req.path(), req.contentType(), req.body());
                    } catch (UncheckedIOException e) {
                        throw new AssertionError("seed " + SEED + " " + req.service() + " " + req.describe(), e);
                    }
                }));
            }
            List<Reply> replies = new ArrayList<>();
            for (Future<Reply> f : futures) {
                replies.add(f.get(2, TimeUnit.MINUTES));
            }
            return replies;
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static String requestId(OpenApiFuzzer.Request req) {
        return "fuzz-" + RUN + "-" + req.service() + "-" + req.index();
    }

    private static long pendingOutbox(LocalStack stack) throws SQLException {
        long pending = 0;
        for (String database : List.of("territories", "conventions", "partnerships", "observatory")) {
            pending += scalar(stack, database, "SELECT count(*) FROM outbox_event WHERE published_at IS NULL");
        }
        return pending;
    }

    private static long scalar(LocalStack stack, String database, String sql) throws SQLException {
        return Long.parseLong(strings(stack, database, sql).get(0));
    }

    private static List<String> strings(LocalStack stack, String database, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(database), "postgres",
                "postgres"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
