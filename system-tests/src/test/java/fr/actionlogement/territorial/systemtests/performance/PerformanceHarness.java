package fr.actionlogement.territorial.systemtests.performance;

import static fr.actionlogement.territorial.systemtests.support.GatewayApi.json;
import static fr.actionlogement.territorial.systemtests.support.GatewayApi.newKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import fr.actionlogement.territorial.localstack.LocalStack;
import fr.actionlogement.territorial.systemtests.support.Awaits;
import fr.actionlogement.territorial.systemtests.support.EventBacklog;
import fr.actionlogement.territorial.systemtests.support.GatewayApi;
import fr.actionlogement.territorial.systemtests.support.Identity;
import fr.actionlogement.territorial.systemtests.support.LyonWorld;
import fr.actionlogement.territorial.systemtests.support.Reply;

/**
 * The performance and soak harness (a program, not a test: it prints figures next to their floors and asserts
 * nothing). It starts its own stack from the packaged apps on free ports, with the JVM memory settings of the
 * Kubernetes manifests, makes its data through the public API, then:
 * <ul>
 * <li>{@code perf} (default): a bare endpoint (the token check only), GET by id of a territory, a convention and an
 * agreement, a filtered list page and a write with If-Match, each direct to the service and through the gateway at
 * concurrency 16 and 64, next to pgbench replaying the very statements the service ran for one such request; then
 * event propagation ({@code events}: ConventionSigned's commit to its effect in territories-service and
 * observatory-service at 50 signatures a second, next to a bare Kafka round trip); then each app's start-to-ready
 * time and RSS;</li>
 * <li>{@code soak}: mixed reads and writes through the gateway at a steady rate for a long time (10 minutes by
 * default), printing the 5xx count and each app's RSS and pool use at the start and the end.</li>
 * </ul>
 * Run: {@code ./mvnw -B -ntp -pl system-tests -Pharness verify [-Dharness.mode=soak]
 * | -Dharness.only=startup]} (see docs/performance.md); a run restricted by {@code harness.only} prints only.
 */
public final class PerformanceHarness {

    static final String SERVICES_OF = "territories-service,conventions-service,partnerships-service,"
            + "observatory-service,gateway";
    /** The images' default JAVA_OPTS (images module, BaseImage.JAVA_OPTS), which JAVA_OPTS_APPEND follows. */
    static final String IMAGE_JAVA_OPTS = "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
            + " -Djava.util.logging.manager=org.jboss.logmanager.LogManager";
    private static final Pattern APPEND = Pattern.compile("JAVA_OPTS_APPEND=(.*)");
    private static final Pattern LIMIT = Pattern.compile("limits:\\s*\\n\\s*memory:\\s*(\\d+)Mi");

    /**
     * The JVM options of a pod as deploy/k8s runs it, read from the manifests so they cannot drift: the pods'
     * memory limit as the JVM sees it in its cgroup ({@code -XX:MaxRAM}), then the image's {@code JAVA_OPTS}, then
     * the {@code JAVA_OPTS_APPEND} of each app's ConfigMap (the entrypoint's order). The apps must agree (one JVM
     * option list for the whole stack).
     */
    static List<String> manifestJvmOptions(Path root) {
        List<String> options = null;
        for (String app : SERVICES_OF.split(",")) {
            Path dir = root.resolve("deploy/k8s/base").resolve(app);
            try {
                Matcher append = APPEND.matcher(Files.readString(dir.resolve("kustomization.yaml")));
                Matcher limit = LIMIT.matcher(Files.readString(dir.resolve("deployment.yaml")));
                if (!limit.find()) {
                    throw new IllegalStateException(dir + "/deployment.yaml has no memory limit");
                }
                List<String> own = new ArrayList<>(List.of("-XX:MaxRAM=" + limit.group(1) + "m"));
                own.addAll(List.of(IMAGE_JAVA_OPTS.split(" ")));
                if (append.find()) {
                    own.addAll(List.of(append.group(1).trim().split("\\s+")));
                }
                if (options != null && !options.equals(own)) {
                    throw new IllegalStateException(app + " runs with " + own + ", the others with " + options
                            + ": the harness starts every app with one option list");
                }
                options = own;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return List.copyOf(options);
    }

    private final List<String> jvmOptions;

    private final LocalStack stack;
    private final GatewayApi api;
    private final SqlBaseline sql;
    private final String token;
    private final StringBuilder report = new StringBuilder();
    private final CpuMeter cpu;
    /** Every measured cell, in order, for the CPU table. */
    private final List<Load.Result> cells = new ArrayList<>();
    private final List<Load.WarmUp> warmUps = new ArrayList<>();

    private PerformanceHarness(LocalStack stack, SqlBaseline sql, List<String> jvmOptions) {
        this.stack = stack;
        this.jvmOptions = jvmOptions;
        this.api = new GatewayApi(stack);
        this.sql = sql;
        this.cpu = CpuMeter.of(stack);
        this.token = api.token(Identity.UESL);
    }

    public static void main(String[] args) throws Exception {
        String mode = System.getProperty("harness.mode", "perf");
        Path root = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
        Path data = root.resolve("system-tests/target/harness");
        Path pgLog = Files.createDirectories(data.resolve("pglog"));
        List<String> jvmOptions = manifestJvmOptions(root);
        LocalStack.Options.Builder options = LocalStack.Options.freePorts(root, data.resolve("stack"))
                .keycloakDistribution(Path.of(System.getProperty("keycloak.distribution")))
                .requireAllApps(true)
                .keycloakTimeout(Duration.ofMinutes(10))
                .appTimeout(Duration.ofMinutes(5))
                .appJvmOptions(jvmOptions);
        // -Dharness.token-cache=false: every app verifies every token, to see what the verified-token cache gives.
        boolean tokenCache = Boolean.parseBoolean(System.getProperty("harness.token-cache", "true"));
        for (String app : SERVICES_OF.split(",")) {
            Map<String, String> env = new java.util.HashMap<>();
            if (app.equals("gateway")) {
                env.put("GATEWAY_RATE_LIMIT_ENABLED", "false");
            }
            if (!tokenCache) {
                env.put("TERRITORIAL_TOKEN_CACHE_ENABLED", "false");
            }
            options.environment(app, env);
        }
        SqlBaseline.serverSettings(pgLog).forEach(options::postgresSetting);
        EventPropagation.SERVER_SETTINGS.forEach(options::postgresSetting);
        try (LocalStack stack = LocalStack.start(options.build())) {
            PerformanceHarness harness = new PerformanceHarness(stack, new SqlBaseline(stack, pgLog, data), jvmOptions);
            if ("soak".equals(mode)) {
                harness.soak(Duration.ofSeconds(Long.getLong("harness.soak-seconds", 600)),
                        Integer.getInteger("harness.soak-rate", 50));
            } else {
                harness.perf(Duration.ofSeconds(Long.getLong("harness.seconds", 10)),
                        Duration.ofSeconds(Long.getLong("harness.warmup-seconds", 30)),
                        List.of(System.getProperty("harness.only", "").split(",")).stream().filter(n -> !n.isBlank())
                                .toList());
            }
        }
        System.exit(0);
    }

    // ---- perf ----------------------------------------------------------------------------------------------

    private record Target(String name, String service, String database, String path) {
    }

    private void perf(Duration cell, Duration warmup, List<String> only) {
        World world = World.make(api);
        settle();
        boolean pgbench = SqlBaseline.pgbenchAvailable();
        line("# Performance figures%n");
        line("Written by the harness (`system-tests`, class `PerformanceHarness`); run it again to refresh this page:%n");
        line("```bash%n./mvnw -B -ntp -q install -DskipTests                 # the packaged apps%n"
                + "./mvnw -B -ntp -pl system-tests -Pharness verify      # this page (about 20 minutes)%n"
                + "./mvnw -B -ntp -pl system-tests -Pharness verify -Dharness.only=startup   # start-up and RSS only%n"
                + "./mvnw -B -ntp -pl system-tests -Pharness verify -Dharness.only=events   # event propagation only%n"
                + "./mvnw -B -ntp -pl system-tests -Pharness verify -Dharness.mode=soak   # the 10-minute soak%n```%n");
        line("How to read it: *direct* calls a service on its own port, *gateway* goes through the gateway (token"
                + " check, routing), both with a UESL token from the stack's Keycloak. *pgbench* replays, prepared and"
                + " at the same concurrency, the very statements the service sent PostgreSQL for one such request"
                + " (captured from the server's log, parameters inlined), so *direct ÷ pgbench* is the share of"
                + " PostgreSQL's own rate the service reaches. Targets (issue 13): direct ≥ 0.5 × pgbench,"
                + " gateway ≥ 0.7 × direct, each app ready < 3 s, RSS < 250 MB, ConventionSigned → effect in the"
                + " other services p99 < 100 ms at 50/s (the event propagation table says how it is measured).%n");
        line("Measured %s by `./mvnw -B -ntp -pl system-tests -Pharness verify` on %d cores (%s), load generator,"
                + " apps and PostgreSQL on the same machine; apps with `%s`; %d s per cell, each request first"
                + " warmed up for %d s (the JIT), each cell after a %d s warm-up.%n",
                LocalDate.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                statedJvmOptions(), cell.toSeconds(), warmup.toSeconds(), cell.toSeconds() / 2);
        if (!pgbench) {
            line("pgbench is not installed (Debian: `apt-get install postgresql-client`): no SQL baseline.%n");
        }
        List<Target> reads = List.of(
                // The floor of any request: the same token check and nothing else (no database).
                new Target("GET /me (bare)", "territories-service", null, "/api/territories/me"),
                new Target("GET territory", "territories-service", "territories",
                        "/api/territories/territories/" + World.SAINT_ETIENNE),
                new Target("GET convention", "conventions-service", "conventions",
                        "/api/conventions/" + world.conventionId()),
                new Target("GET agreement", "partnerships-service", "partnerships",
                        "/api/partnerships/agreements/" + world.agreementId()),
                new Target("list conventions", "conventions-service", "conventions",
                        "/api/conventions?territoryId=" + LyonWorld.LYON + "&sort=proposedAt,desc&size=20"));
        boolean startupOnly = only.equals(List.of("startup"));
        if (!startupOnly) {
            line("| request | c | direct rps | direct p50/p99 ms | gateway rps | gateway p50/p99 ms | pgbench tps |"
                    + " pgbench p50/p99 ms | direct ÷ pgbench | gateway ÷ direct |");
            line("|---|---|---|---|---|---|---|---|---|---|");
        }
        if (startupOnly) {
            // Start-up alone: a short load on every read through the gateway, so "RSS after the load" is one.
            for (Target t : reads) {
                Load.closedLoop(t.name() + " load", 16, cell, Duration.ZERO,
                        i -> http -> send(http, stack.gatewayUrl() + t.path()));
            }
        }
        for (Target t : reads) {
            if (!only.isEmpty() && !only.contains(t.name())) {
                continue;
            }
            // The JIT compiles the request's path first, direct and through the gateway (half the workers each):
            // start-up figures are measured separately, below.
            warmUps.add(Load.warmUp(t.name(), 16, warmup, cpu,
                    i -> http -> send(http, directOrGateway(i, t.service()) + t.path())));
            List<String> statements = pgbench && t.database() != null
                    ? sql.capture(t.database(), () -> get(stack.url(t.service()) + t.path()))
                    : List.of();
            System.out.printf("[harness] %s runs %d statements: %s%n", t.name(), statements.size(), statements);
            for (int c : List.of(16, 64)) {
                Load.Result direct = Load.closedLoop(t.name() + " direct", c, cell.dividedBy(2), cell, cpu,
                        i -> http -> send(http, stack.url(t.service()) + t.path()));
                Load.Result gateway = Load.closedLoop(t.name() + " gateway", c, cell.dividedBy(2), cell, cpu,
                        i -> http -> send(http, stack.gatewayUrl() + t.path()));
                Load.Result db = pgbench && !statements.isEmpty()
                        ? sql.pgbench(t.name(), t.database(), statements, c, cell)
                        : null;
                row(t.name(), c, direct, gateway, db);
            }
        }
        if (only.isEmpty() || only.contains("PUT CIL")) {
            write(world, cell, warmup, pgbench);
        }
        if (!startupOnly) {
            cpuTable();
        }
        if (only.isEmpty() || only.contains("events")) {
            events(cell);
        }
        if (only.isEmpty() || only.contains("startup")) {
            startUpAndMemory();
        }
        // Only a full run rewrites the page (a restricted one would lose the other figures): a restricted run's
        // report goes to system-tests/target/harness/report.md.
        Path doc = only.isEmpty() ? Path.of(System.getProperty("harness.report", "../docs/performance.md"))
                : Path.of(System.getProperty("repo.root", "..")).resolve("system-tests/target/harness/report.md");
        try {
            Files.writeString(doc, report);
            System.out.println("[harness] written to " + doc.toAbsolutePath().normalize());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A rename of a CIL with If-Match: each worker renames its own CIL, carrying its last ETag. */
    private void write(World world, Duration cell, Duration warmup, boolean pgbench) {
        String path = "/api/territories/cils/";
        List<String> cils = world.cils();
        List<String> statements = List.of();
        if (pgbench) {
            String cil = cils.get(0);
            String etag = api.as(Identity.UESL).get(path + cil).expect(200).etag();
            statements = sql.capture("territories", () -> api.as(Identity.UESL).ifMatch(etag)
                    .put(path + cil, json(Map.of("name", "CIL renommé " + cil))).expect(200));
            System.out.printf("[harness] rename CIL runs %d statements: %s%n", statements.size(), statements);
        }
        // The JIT compiles the write's path first, as for the reads: measured cold, the first cell reads a third.
        warmUps.add(Load.warmUp("rename", 16, warmup, cpu,
                i -> renamer(directOrGateway(i, "territories-service") + path + cils.get(i))));
        for (int c : List.of(16, 64)) {
            Load.Result direct = Load.closedLoop("rename direct", c, cell.dividedBy(2), cell, cpu,
                    i -> renamer(stack.url("territories-service") + path + cils.get(i)));
            Load.Result gateway = Load.closedLoop("rename gateway", c, cell.dividedBy(2), cell, cpu,
                    i -> renamer(stack.gatewayUrl() + path + cils.get(i)));
            // Each pgbench client renames its own CIL too, as each worker does (one row for all would measure lock
            // waits): the captured CIL id becomes the client's, picked by pgbench's client_id.
            Load.Result db = pgbench && !statements.isEmpty()
                    ? sql.pgbench("rename CIL", "territories", perClient(statements, cils.get(0), cils), c, cell)
                    : null;
            row("PUT CIL (If-Match)", c, direct, gateway, db);
        }
    }

    /** A warm-up's worker {@code i} calls the service directly when even, through the gateway when odd. */
    private String directOrGateway(int i, String service) {
        return i % 2 == 0 ? stack.url(service) : stack.gatewayUrl();
    }

    /** The statements with {@code id} replaced by the pgbench variable of the client's own id among {@code ids}. */
    private static List<String> perClient(List<String> statements, String id, List<String> ids) {
        List<String> out = new ArrayList<>();
        out.add("SELECT (ARRAY['" + String.join("','", ids) + "'])[:client_id % " + ids.size() + " + 1] AS id \\gset");
        statements.forEach(s -> out.add(s.replace("'" + id + "'", ":id")));
        return out;
    }

    private Load.Step renamer(String url) {
        String[] etag = { null };
        AtomicInteger n = new AtomicInteger();
        return http -> {
            if (etag[0] == null) {
                HttpResponse<Void> r = http.send(request(url).GET().build(), HttpResponse.BodyHandlers.discarding());
                etag[0] = r.headers().firstValue("ETag").orElseThrow();
            }
            HttpResponse<Void> r = http.send(request(url).header("If-Match", etag[0])
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"name\":\"CIL " + n.incrementAndGet() + "\"}"))
                    .build(), HttpResponse.BodyHandlers.discarding());
            etag[0] = r.headers().firstValue("ETag").orElse(null);
            return r.statusCode();
        };
    }

    /**
     * ConventionSigned from the signing request's commit to its effect in territories-service and
     * observatory-service, at {@code harness.events-rate} signatures a second (50 by default, issue 13's figure), next
     * to a bare Kafka round trip at the same rate (see {@link EventPropagation}).
     */
    private void events(Duration cell) {
        double rate = Double.parseDouble(System.getProperty("harness.events-rate", "50"));
        Duration warmup = Duration.ofSeconds(Math.max(2, cell.toSeconds() / 2));
        EventPropagation.Result r = new EventPropagation(stack, api, this::settle, cpu).measure(rate, warmup, cell);
        org.HdrHistogram.Histogram kafka = EventPropagation.kafkaRoundTrip(stack.kafkaBootstrapServers(), rate,
                warmup, cell);
        line("%n| event propagation at %.0f/s | n | p50 ms | p99 ms | max ms |", rate);
        line("|---|---|---|---|---|");
        row("signing request (POST /signature, direct; the response)", r.sign());
        row("signing commit → relay's commit (published to Kafka, acknowledged)", r.relay());
        row("signing commit → territories-service's commit (coverage recorded)", r.territories());
        row("signing commit → observatory-service's commit (comparison's read model)", r.observatory());
        row("Kafka alone: send → poll (plain producer/consumer, acks=all)", kafka);
        line("%nEvent propagation: %d conventions made READY_FOR_SIGNATURE through the API, then signed at %.0f/s"
                + " (open loop) straight to conventions-service, after a warm-up that was not recorded: %d signatures"
                + " (%.0f s, at least %d s), until the apps' JIT compilers took under %.0f %% of their CPU over %d s"
                + " (%.0f %% in the last %d s), as for the requests above. Each step is timed by"
                + " PostgreSQL's commit timestamps (`track_commit_timestamp`): the signing transaction's (its audit"
                + " row), the relay's that marked the outbox row published, each consumer's that recorded the event"
                + " with its effect; nothing polls the consumers meanwhile. Not signed: %d; not applied within %d s:"
                + " territories %d, observatory %d. Read afterwards through the APIs: Lyon's `coveredByConventions`"
                + " lists %d of %d, observatory-service's `GET /conventions/{id}/comparison` answers 200 for %d of %d."
                + " Target (issue 13): p99 < 100 ms.", r.signed(), rate, r.warmUpSignatures(), r.warmUpSeconds(),
                warmup.toSeconds(), 100 * Load.JIT_SETTLED, Load.SLICE.toSeconds(), 100 * r.warmUpJitShare(),
                Load.SLICE.toSeconds(), r.signFailures(),
                EventPropagation.GIVE_UP.toSeconds(), r.territoriesMissing(), r.observatoryMissing(),
                r.territoriesVisible(), r.signed(), r.observatoryVisible(), r.signed());
        Map<String, Double> per = r.cpu().perSignature();
        List<String> processes = per.keySet().stream().filter(p -> !p.endsWith(CpuMeter.JIT)).toList();
        line("%n| CPU ms per recorded signature, from the first to the last effect | total | %s |",
                String.join(" | ", processes));
        line("|---|---|%s", "---|".repeat(processes.size()));
        line("| %.0f s, the cores %.0f %% busy | %.1f | %s |", r.cpu().seconds(), 100 * r.cpu().busyShare(),
                processes.stream().mapToDouble(per::get).sum(), String.join(" | ", processes.stream()
                        .map(p -> per.containsKey(p + CpuMeter.JIT)
                                ? String.format(Locale.ROOT, "%.1f (%.1f)", per.get(p), per.get(p + CpuMeter.JIT))
                                : String.format(Locale.ROOT, "%.1f", per.get(p)))
                        .toList()));
        int cores = Runtime.getRuntime().availableProcessors();
        line("%nThe signing requests, the relay, the services consuming ConventionSigned, PostgreSQL and the harness"
                + " (the signing load and Kafka) share the machine's %d cores (in brackets: what an app's JIT"
                + " compilers spent of its share): %,d CPU ms a second, so at %.0f signatures a second at most %.0f ms"
                + " per signature; as the total nears that, the figures above"
                + " measure a backlog rather than one event's way through the system.", cores, cores * 1000, rate,
                cores * 1000 / rate);
    }

    private void row(String what, org.HdrHistogram.Histogram h) {
        line("| %s | %d | %.1f | %.1f | %.1f |", what, h.getTotalCount(), ms(h, 50), ms(h, 99),
                h.getMaxValue() / 1000.0);
    }

    private static double ms(org.HdrHistogram.Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    /** The apps' JVM options as the page states them: the pod's, and the AOT cache the stack adds (as the image does). */
    private String statedJvmOptions() {
        return String.join(" ", jvmOptions) + (stack.aotCache(LocalStack.APPS.get(0)).isPresent()
                ? " -XX:AOTCache=" + LocalStack.AOT_CACHE
                : "");
    }

    private void startUpAndMemory() {
        line("%n| app | start to ready (s) | of which Quarkus \"started in\" (s) | RSS after the load (MB) |"
                + " heap and GC (from jcmd VM.flags) | CPUs busy before the restart |");
        line("|---|---|---|---|---|---|");
        for (String app : SERVICES_OF.split(",")) {
            long rss = Footprint.of(stack, app).rssMb();
            String heap = Footprint.heapSettings(stack, app);
            // A restart on a quiet machine: what the previous phase left running (the consumers, PostgreSQL's
            // autovacuum) is not the app's start-up.
            double busy = CpuMeter.awaitQuiet(0.15, Duration.ofSeconds(90));
            stack.killApp(app);
            long t = System.nanoTime();
            stack.restartApp(app);
            double ready = (System.nanoTime() - t) / 1e9;
            line("| %s | %.1f | %.1f | %d | %s | %s |", app, ready, Footprint.quarkusStartedIn(stack, app), rss,
                    heap, busy < 0 ? "?" : String.format(Locale.ROOT, "%.0f %%", busy * 100));
        }
        line("%nStart to ready: from `java -jar` to `/q/health/ready` UP (polled every " + LocalStack.READY_POLL_MILLIS
                + " ms), one app at a time,"
                + " the rest running, database and topics already in place (a restart, as a rolling update does),"
                + " once the machine's CPUs were less than 15 %% busy over a second (at most 90 s of waiting; the"
                + " last column);"
                + " \"started in\" is Quarkus' own figure from the app's log (after the JVM and before readiness"
                + " checks); JVM options `%s`. Targets: ready < 3 s, RSS < 250 MB.",
                statedJvmOptions());
    }

    /**
     * Where each measured cell's CPU went, in CPU milliseconds per request by process: the app answering, the services
     * consuming the events a write publishes, PostgreSQL, and the harness's JVM (the load generator and Kafka). Two
     * cores give 2,000 ms of CPU a second, so the total bounds the rate: rps ≤ 2,000 ÷ total.
     */
    private void cpuTable() {
        if (cells.isEmpty() || cells.get(0).cpuMillis().isEmpty()) {
            return;
        }
        List<String> processes = cells.get(0).cpuMillis().keySet().stream().filter(p -> !p.endsWith(CpuMeter.JIT))
                .toList();
        line("%n## Where the CPU goes%n");
        line("CPU milliseconds per request by process over each cell above (from /proc; *harness* is the load"
                + " generator's JVM, which also runs Kafka), with in brackets what an app's JIT compilers spent of it."
                + " Two cores give 2,000 CPU ms a second: rps ≤ 2,000 ÷ total.%n");
        line("| cell | c | rps | total | %s |", String.join(" | ", processes));
        line("|---|---|---|---|%s", "---|".repeat(processes.size()));
        for (Load.Result r : cells) {
            Map<String, Double> per = r.cpuPerRequest();
            line("| %s | %d | %.0f | %.2f | %s |", r.name(), r.concurrency(), r.rps(),
                    processes.stream().mapToDouble(p -> per.getOrDefault(p, 0.0)).sum(),
                    String.join(" | ", processes.stream().map(p -> per.containsKey(p + CpuMeter.JIT)
                            ? String.format(Locale.ROOT, "%.2f (%.2f)", per.get(p), per.get(p + CpuMeter.JIT))
                            : String.format(Locale.ROOT, "%.2f", per.getOrDefault(p, 0.0))).toList()));
        }
        line("%nBefore each request is measured, its path is warmed up until the compilers take under %.0f %% of the"
                + " apps' CPU over %d s (at most %d times `harness.warmup-seconds`):%n", 100 * Load.JIT_SETTLED,
                Load.SLICE.toSeconds(), Load.MOST_WARM_UP);
        warmUps.forEach(w -> line("- %s: %.0f s, the JIT at %.0f %% of the apps' CPU at the end%s", w.name(),
                w.seconds(), 100 * w.jitShare(), w.jitShare() >= Load.JIT_SETTLED ? " (not settled)" : ""));
    }

    private void row(String name, int c, Load.Result direct, Load.Result gateway, Load.Result db) {
        cells.add(direct);
        cells.add(gateway);
        line("| %s | %d | %.0f | %.1f / %.1f | %.0f | %.1f / %.1f | %s | %s | %s | %.2f |", name, c, direct.rps(),
                direct.p50Millis(), direct.p99Millis(), gateway.rps(), gateway.p50Millis(), gateway.p99Millis(),
                db == null ? "–" : String.format(Locale.ROOT, "%.0f", db.rps()),
                db == null ? "–" : String.format(Locale.ROOT, "%.1f / %.1f", db.p50Millis(), db.p99Millis()),
                db == null ? "–" : String.format(Locale.ROOT, "%.2f", direct.rps() / db.rps()),
                gateway.rps() / direct.rps());
        for (Load.Result r : List.of(direct, gateway)) {
            if (r.countNot2xx() > 0) {
                line("|  ↳ %s: statuses %s, %d failed |||||||||", r.name(), r.statuses(), r.failures());
            }
        }
    }

    // ---- soak ----------------------------------------------------------------------------------------------

    private void soak(Duration duration, int perSecond) {
        World world = World.make(api);
        settle();
        List<Footprint> before = footprints();
        before.forEach(f -> System.out.println("[soak] start  " + f.describe()));
        String gw = stack.gatewayUrl();
        List<String> reads = List.of(
                gw + "/api/territories/territories/" + World.SAINT_ETIENNE,
                gw + "/api/conventions/" + world.conventionId(),
                gw + "/api/partnerships/agreements/" + world.agreementId(),
                gw + "/api/conventions?territoryId=" + LyonWorld.LYON + "&size=20",
                gw + "/api/territories/territories?q=saint&size=10",
                gw + "/api/observatory/observations?size=10");
        AtomicInteger writes = new AtomicInteger();
        IntFunction<Load.Step> mix = i -> switch (i % 10) {
            // One in ten requests writes: a new CIL, with its idempotency key, through the gateway.
            case 0 -> http -> {
                String siren = LyonWorld.siren();
                writes.incrementAndGet();
                return http.send(request(gw + "/api/territories/cils").header("Idempotency-Key", newKey())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json(Map.of("id", siren, "name", "CIL soak "
                                + siren))))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            };
            default -> http -> send(http, reads.get(i % reads.size()));
        };
        System.out.printf("[soak] %d requests/s for %d s through the gateway%n", perSecond, duration.toSeconds());
        Load.Result result = Load.openLoop("soak", perSecond, duration, mix);
        List<Footprint> after = footprints();
        System.out.printf("[soak] %d requests (%d writes) in %.0f s, statuses %s, %d failed, %d × 5xx, p50 %.1f ms,"
                + " p99 %.1f ms%n", result.requests(), writes.get(), result.seconds(), result.statuses(),
                result.failures(), result.count5xx(), result.p50Millis(), result.p99Millis());
        for (int i = 0; i < before.size(); i++) {
            System.out.println("[soak] start  " + before.get(i).describe());
            System.out.println("[soak] end    " + after.get(i).describe());
        }
    }

    private List<Footprint> footprints() {
        List<Footprint> all = new ArrayList<>();
        for (String app : SERVICES_OF.split(",")) {
            all.add(Footprint.of(stack, app));
        }
        return all;
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /**
     * Waits until every consumer group has read everything (after a fresh start the services are still consuming
     * the territory reference's tens of thousands of events, which would be measured instead of the requests), and
     * says when each group caught up on each topic (the last time it was seen behind), so a slow consumer is named
     * rather than hidden in one total.
     */
    private void settle() {
        long t = System.nanoTime();
        Map<String, Long> lastBehind = new TreeMap<>();
        try (EventBacklog kafka = new EventBacklog(stack.kafkaBootstrapServers())) {
            Awaits.until("every consumer group has no lag", Duration.ofMinutes(15), () -> {
                Map<String, Long> lags = kafka.lags();
                long seconds = (System.nanoTime() - t) / 1_000_000_000L;
                // keys are "group topic-partition": one figure per group and topic
                lags.keySet().forEach(k -> lastBehind.put(k.substring(0, k.lastIndexOf('-')), seconds));
                return lags;
            }, Map::isEmpty);
        }
        Load.sleep(Duration.ofSeconds(5));
        System.out.printf("[harness] events settled after %d s%s%n", (System.nanoTime() - t) / 1_000_000_000L,
                lastBehind.isEmpty() ? ""
                        : lastBehind.entrySet().stream().sorted(Map.Entry.<String, Long> comparingByValue().reversed())
                                .map(e -> e.getKey() + " " + e.getValue() + " s")
                                .collect(Collectors.joining(", ", " (last behind: ", ")")));
    }

    private HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
    }

    private int send(java.net.http.HttpClient http, String url) throws Exception {
        return http.send(request(url).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private void get(String url) {
        try {
            int status = send(Load.HTTP, url);
            if (status != 200) {
                throw new IllegalStateException("GET " + url + " answered " + status);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void line(String format, Object... args) {
        String text = String.format(Locale.ROOT, format, args);
        System.out.println(text);
        report.append(text).append('\n');
    }

    /** The data the harness measures on, made through the public API like a user would. */
    record World(String conventionId, String agreementId, List<String> cils) {

        /** Saint-Étienne, a commune of the official reference. */
        static final String SAINT_ETIENNE = "COMMUNE:42218";

        static World make(GatewayApi api) {
            LyonWorld.ensure(api);
            String campaign = "harness-" + LyonWorld.siren();
            api.as(Identity.UESL).idempotencyKey(newKey()).post("/api/conventions/campaigns", json(Map.of(
                    "campaignId", campaign, "name", "Campagne de mesure", "year", 2011, "cap", 10,
                    "evaluationYear", 2012))).expect(201);
            String template = "charte-" + LyonWorld.siren();
            api.as(Identity.UESL).idempotencyKey(newKey()).post("/api/conventions/templates", json(Map.of(
                    "templateId", template, "name", "Charte territoriale type", "kind", "TERRITORIALE",
                    "sections", List.of(Map.of("code", "CIL_INTERVENTIONS_OFFRE", "title", "Offre", "text",
                            "À adapter")),
                    "suggestedDevices", List.of("CONSTRUCTION_PLUS_PLAI_PLS")))).expect(201);
            String key = newKey();
            String body = json(Map.of("campaignId", campaign, "territoryId", LyonWorld.LYON, "kind",
                    "TERRITORIALE", "templateId", template, "templateVersion", 1, "title", "Charte de mesure"));
            Reply convention = Awaits.until("conventions-service knows Lyon", Awaits.FIRST_READ_MODEL,
                    () -> api.as(Identity.DELEGUE_ARA).idempotencyKey(key).post("/api/conventions", body),
                    r -> r.status() == 201);
            String agreementKey = newKey();
            String agreement = json(Map.of("collectiviteId", LyonWorld.LYON_SIREN, "object",
                    "Logement des jeunes salariés", "startDate", "2026-01-01", "durationMonths", 36,
                    "exclusivity", false, "investments", List.of(Map.of("kind", "SUBVENTION", "amount", 1000,
                            "description", "Subvention"))));
            Reply created = Awaits.until("partnerships-service knows the demo CIL and Lyon",
                    Awaits.FIRST_READ_MODEL, () -> api.as(Identity.CIL).idempotencyKey(agreementKey)
                            .post("/api/partnerships/agreements", agreement),
                    r -> r.status() == 201);
            List<String> cils = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String siren = LyonWorld.siren();
                Map<String, Object> cil = new LinkedHashMap<>();
                cil.put("id", siren);
                cil.put("name", "CIL de mesure " + siren);
                api.as(Identity.UESL).idempotencyKey(newKey()).post("/api/territories/cils", json(cil)).expect(201);
                cils.add(siren);
            }
            return new World(convention.at("/conventionId"), created.at("/id"), cils);
        }
    }
}
