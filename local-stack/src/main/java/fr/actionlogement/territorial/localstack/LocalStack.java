package fr.actionlogement.territorial.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.actionlogement.territorial.testsupport.EmbeddedKafka;
import fr.actionlogement.territorial.testsupport.EmbeddedPostgresServer;
import fr.actionlogement.territorial.testsupport.KeycloakServer;

/**
 * The whole system on one machine without Docker: PostgreSQL 17 (embedded binaries), Kafka in KRaft mode
 * (in-process), Keycloak (its Maven Central distribution, a child process) and the five packaged Quarkus apps as
 * child processes. Used by {@link LocalStackMain} on fixed ports and by the system tests on free ports.
 *
 * <p>
 * Each of PostgreSQL, Kafka and Keycloak can be replaced by an existing server ({@link Options.Builder#externalPostgres},
 * {@link Options.Builder#externalKafka}, {@link Options.Builder#externalKeycloak}).
 */
public final class LocalStack implements AutoCloseable {

    public static final String REALM = "action-logement";
    public static final List<String> DATABASES = List.of("territories", "conventions", "partnerships", "observatory");
    /** Every topic of docs/events/README.md, then the consumers' dead-letter topics. */
    public static final List<String> EVENT_TOPICS = List.of("territories.reference.v1", "territories.events.v1",
            "conventions.events.v1", "partnerships.events.v1", "observatory.events.v1");
    public static final String COMPACTED_TOPIC = "territories.reference.v1";

    /** A packaged app: {@code <module>/target/quarkus-app/quarkus-run.jar}. */
    public record App(String name, String context, int defaultPort) {
        public boolean isGateway() {
            return context == null;
        }
    }

    public static final List<App> APPS = List.of(
            new App("territories-service", "territories", 8081),
            new App("conventions-service", "conventions", 8082),
            new App("partnerships-service", "partnerships", 8083),
            new App("observatory-service", "observatory", 8084),
            new App("gateway", null, 8080));

    /** The consumers' dead-letter topics, {@code <consumer-service>.dlq.v1} (docs/events/README.md). */
    public static List<String> dlqTopics() {
        return APPS.stream().filter(a -> !a.isGateway()).map(a -> a.name() + ".dlq.v1").toList();
    }

    private final Options options;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Integer> appPorts = new LinkedHashMap<>();
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final List<String> skipped = new ArrayList<>();
    private EmbeddedPostgresServer postgres;
    private EmbeddedKafka kafka;
    private KeycloakServer keycloak;
    private String jdbcBase;
    private String dbUser;
    private String dbPassword;
    private String kafkaBootstrap;
    private String keycloakUrl;
    private Duration startupTime;
    private volatile boolean closed;

    private LocalStack(Options options) {
        this.options = options;
        this.out = options.out;
    }

    public static LocalStack start(Options options) {
        quietInfrastructureLogs();
        LocalStack stack = new LocalStack(options);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() {
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(options.dataDir.resolve("logs"));
            Files.createDirectories(options.dataDir.resolve("run"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        reapLeftovers();

        // Keycloak is the slow one (15 to 50 s): start it while PostgreSQL and Kafka come up.
        CompletableFuture<Void> keycloakReady = CompletableFuture.runAsync(this::startKeycloak);
        startPostgres();
        startKafka();
        join(keycloakReady);

        for (App app : APPS) {
            startApp(app);
        }
        awaitApps();
        checkToken();
        startupTime = Duration.ofNanos(System.nanoTime() - t0);
    }

    // --- infrastructure -------------------------------------------------------------------------------------

    private void startPostgres() {
        if (options.externalPostgresUrl != null) {
            jdbcBase = stripSlash(options.externalPostgresUrl);
            dbUser = options.externalPostgresUser;
            dbPassword = options.externalPostgresPassword;
            say("PostgreSQL: using %s", jdbcBase);
        } else {
            long t = System.nanoTime();
            if (options.ephemeral) {
                postgres = EmbeddedPostgresServer.startTemporary(options.postgresSettings);
            } else {
                Path data = options.dataDir.resolve("postgres");
                stopStalePostmaster(data);
                postgres = EmbeddedPostgresServer.startPersistent(data, options.postgresPort);
            }
            jdbcBase = "jdbc:postgresql://127.0.0.1:" + postgres.port();
            dbUser = postgres.user();
            dbPassword = postgres.password();
            say("PostgreSQL 17 on 127.0.0.1:%d (%d ms)", postgres.port(), ms(t));
        }
        for (String db : DATABASES) {
            createDatabase(db);
        }
    }

    private void createDatabase(String name) {
        try (Connection c = DriverManager.getConnection(jdbcBase + "/postgres", dbUser, dbPassword);
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + " at " + jdbcBase, e);
        }
    }

    private void startKafka() {
        if (options.externalKafka != null) {
            kafkaBootstrap = options.externalKafka;
            say("Kafka: using %s", kafkaBootstrap);
        } else {
            long t = System.nanoTime();
            Path data = options.dataDir.resolve("kafka");
            if (options.ephemeral) {
                // Fresh topics, dead letters and consumer offsets, like the fresh databases of a test run.
                deleteTree(data);
            }
            kafka = new EmbeddedKafka(data, options.kafkaPort, options.kafkaControllerPort).start();
            kafkaBootstrap = kafka.bootstrapServers();
            say("Kafka (KRaft) on %s (%d ms)", kafkaBootstrap, ms(t));
        }
        createTopics();
    }

    private void createTopics() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
        List<NewTopic> topics = new ArrayList<>();
        for (String name : EVENT_TOPICS) {
            NewTopic topic = new NewTopic(name, Optional.of(3), Optional.empty());
            if (name.equals(COMPACTED_TOPIC)) {
                topic.configs(Map.of("cleanup.policy", "compact"));
            }
            topics.add(topic);
        }
        for (String name : dlqTopics()) {
            topics.add(new NewTopic(name, Optional.of(1), Optional.empty()));
        }
        try (Admin admin = Admin.create(p)) {
            var result = admin.createTopics(topics);
            for (var entry : result.values().entrySet()) {
                try {
                    entry.getValue().get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create topic " + entry.getKey(), e.getCause());
                    }
                }
            }
        } catch (Exception e) {
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("could not create the topics on " + kafkaBootstrap, e);
        }
    }

    private void startKeycloak() {
        if (options.externalKeycloak != null) {
            keycloakUrl = stripSlash(options.externalKeycloak);
            say("Keycloak: using %s (realm %s must be imported there)", keycloakUrl, REALM);
            return;
        }
        long t = System.nanoTime();
        Path home = options.ephemeral ? options.keycloakDistribution : options.dataDir.resolve("keycloak");
        keycloak = KeycloakServer.builder()
                .distribution(options.keycloakDistribution)
                .home(home)
                .httpPort(options.keycloakPort)
                .managementPort(options.keycloakManagementPort)
                .realm(realmForThisRun())
                .freshData(options.ephemeral)
                .logFile(options.dataDir.resolve("logs/keycloak.log"))
                .build();
        say("Keycloak: starting on port %d (about 50 s the first time, 15 s after) ...",
                options.keycloakPort == 0 ? 0 : options.keycloakPort);
        keycloak.start(options.keycloakTimeout);
        writePid("keycloak", keycloak);
        keycloakUrl = keycloak.baseUrl();
        say("Keycloak %s ready (%d ms)", keycloakUrl, ms(t));
    }

    /**
     * The realm export, plus the gateway's actual port in Swagger UI's redirect URIs when it is not 8080 (tests on
     * free ports).
     */
    private Path realmForThisRun() {
        int gatewayPort = appPort(APPS.get(APPS.size() - 1));
        if (gatewayPort == 8080) {
            return options.realmFile;
        }
        try {
            ObjectMapper json = new ObjectMapper();
            ObjectNode realm = (ObjectNode) json.readTree(options.realmFile.toFile());
            for (var client : realm.withArray("clients")) {
                if ("swagger-ui".equals(client.path("clientId").asText())) {
                    ((ArrayNode) client.withArray("redirectUris")).add("http://localhost:" + gatewayPort + "/*");
                }
            }
            Path dir = Files.createDirectories(options.dataDir.resolve("realm"));
            Path file = dir.resolve(options.realmFile.getFileName());
            json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), realm);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- the apps -------------------------------------------------------------------------------------------

    private int appPort(App app) {
        return appPorts.computeIfAbsent(app.name(), n -> options.appPorts.getOrDefault(n, app.defaultPort()));
    }

    /** The JDK AOT cache next to an app's {@code quarkus-run.jar}, when the build made one. */
    public static final String AOT_CACHE = "app.aot";

    public Path jar(App app) {
        return options.repoRoot.resolve(app.name()).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** The app's JDK AOT cache ({@value #AOT_CACHE} beside its jar), when the build made one (JDK 25+). */
    public Optional<Path> aotCache(App app) {
        Path cache = jar(app).resolveSibling(AOT_CACHE);
        return Files.isRegularFile(cache) ? Optional.of(cache) : Optional.empty();
    }

    private void startApp(App app) {
        int port = appPort(app);
        Path jar = jar(app);
        if (!Files.isRegularFile(jar)) {
            String msg = app.name() + ": " + options.repoRoot.relativize(jar)
                    + " is missing (build it with ./mvnw -B -ntp install -DskipTests)";
            if (options.requireAllApps) {
                throw new IllegalStateException(msg);
            }
            say("SKIPPED %s", msg);
            skipped.add(app.name());
            return;
        }
        Path log = options.dataDir.resolve("logs").resolve(app.name() + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(options.appJvmOptions);
        // The JDK AOT cache the package wrote (JDK 25+, see the parent pom): it records the class path as the
        // build ran it, so the app runs from its own folder with the same relative jar, as the image does.
        if (aotCache(app).isPresent()) {
            cmd.add("-XX:AOTCache=" + AOT_CACHE);
        }
        cmd.add("-Dlocal-stack.app=" + app.name()); // which app a JVM is, in ps (the jar's name is the same for all)
        cmd.add("-jar");
        cmd.add(jar.getFileName().toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(jar.getParent().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(environment(app, port));
        try {
            Process p = pb.start();
            processes.put(app.name(), p);
            writePid(app.name(), p.toHandle());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + app.name(), e);
        }
    }

    /** The standard Quarkus variables each app reads (see docs/local-run.md). */
    public Map<String, String> environment(App app, int port) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_OIDC_AUTH_SERVER_URL", issuer());
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap);
        env.put("LOG_JSON", "false");
        if (app.isGateway()) {
            for (App service : APPS) {
                if (!service.isGateway()) {
                    env.put("GATEWAY_SERVICES_" + service.context().toUpperCase() + "_URL",
                            "http://localhost:" + appPort(service));
                }
            }
            env.put("GATEWAY_OPENAPI_KEYCLOAK_URL", keycloakUrl);
        } else {
            env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcBase + "/" + app.context());
            env.put("QUARKUS_DATASOURCE_USERNAME", dbUser);
            env.put("QUARKUS_DATASOURCE_PASSWORD", dbPassword);
        }
        env.putAll(options.extraEnvironment.getOrDefault(app.name(), Map.of()));
        return env;
    }

    private void awaitApps() {
        long deadline = System.nanoTime() + options.appTimeout.toNanos();
        for (var entry : processes.entrySet()) {
            String name = entry.getKey();
            Process p = entry.getValue();
            String url = url(name) + "/q/health/ready";
            long t = System.nanoTime();
            while (!ready(url)) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(name + " exited with code " + p.exitValue() + "; its log, "
                            + log(name) + ", ends with:\n" + tail(log(name), 40));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + " not ready after " + options.appTimeout + " at " + url
                            + "; its log, " + log(name) + ", ends with:\n" + tail(log(name), 40));
                }
                sleep(300);
            }
            say("%-21s ready at %s (waited %d ms)", name, url(name), ms(t));
        }
    }

    private boolean ready(String url) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build();
            HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
            return res.statusCode() == 200 && res.body().contains("\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void checkToken() {
        long t = System.nanoTime();
        String token = tokens().demoUser(DemoUsers.UESL);
        if (token.isBlank()) {
            throw new IllegalStateException("Keycloak gave no access token for " + DemoUsers.UESL);
        }
        say("Keycloak hands out tokens: %s got one (%d ms)", DemoUsers.UESL, ms(t));
    }

    /** Flyway migrations applied per database (the acceptance check of the local run). */
    public Map<String, Integer> appliedMigrations() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String db : DATABASES) {
            try (Connection c = DriverManager.getConnection(jdbcBase + "/" + db, dbUser, dbPassword);
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success")) {
                rs.next();
                counts.put(db, rs.getInt(1));
            } catch (SQLException e) {
                counts.put(db, 0);
            }
        }
        return counts;
    }

    /** The topics present on the broker. */
    public List<String> topics() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        try (Admin admin = Admin.create(p)) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS).stream().sorted().toList();
        } catch (Exception e) {
            throw new IllegalStateException("could not list the topics of " + kafkaBootstrap, e);
        }
    }

    // --- what a caller needs ----------------------------------------------------------------------------------

    public String url(String appName) {
        return "http://localhost:" + appPorts.get(appName);
    }

    public String gatewayUrl() {
        return url("gateway");
    }

    public String keycloakUrl() {
        return keycloakUrl;
    }

    public String issuer() {
        return keycloakUrl + "/realms/" + REALM;
    }

    public TokenClient tokens() {
        return new TokenClient(issuer());
    }

    public String kafkaBootstrapServers() {
        return kafkaBootstrap;
    }

    public String jdbcUrl(String database) {
        return jdbcBase + "/" + database;
    }

    public List<String> skippedApps() {
        return List.copyOf(skipped);
    }

    public boolean isRunning(String appName) {
        Process p = processes.get(appName);
        return p != null && p.isAlive();
    }

    /** The operating-system process of a running app (e.g. to read its resident memory). */
    public Optional<ProcessHandle> process(String appName) {
        Process p = processes.get(appName);
        return p != null && p.isAlive() ? Optional.of(p.toHandle()) : Optional.empty();
    }

    public Path log(String appName) {
        return options.dataDir.resolve("logs").resolve(appName + ".log");
    }

    public Duration startupTime() {
        return startupTime;
    }

    // --- faults: take a part down and bring it back (same ports, same data) -------------------------------------

    /** Stops the in-process Kafka broker; the apps keep running. */
    public void stopKafka() {
        embedded(kafka, "Kafka").stop();
        say("Kafka stopped");
    }

    /** Starts the Kafka broker again on the same ports with the same data (topics, offsets). */
    public void restartKafka() {
        long t = System.nanoTime();
        embedded(kafka, "Kafka").start();
        say("Kafka restarted on %s (%d ms)", kafkaBootstrap, ms(t));
    }

    /** Stops PostgreSQL (fast shutdown: the apps' sessions are ended); the apps keep running. */
    public void stopPostgres() {
        embedded(postgres, "PostgreSQL").stop();
        say("PostgreSQL stopped");
    }

    /** Starts PostgreSQL again on the same port with the same data. */
    public void restartPostgres() {
        long t = System.nanoTime();
        embedded(postgres, "PostgreSQL").start();
        say("PostgreSQL restarted on port %d (%d ms)", postgres.port(), ms(t));
    }

    /** Stops Keycloak; the apps keep running with the keys they cached. */
    public void stopKeycloak() {
        embedded(keycloak, "Keycloak").close();
        deletePid("keycloak");
        say("Keycloak stopped");
    }

    /** Starts Keycloak again on the same ports with the same data (realm, keys: issued tokens stay valid). */
    public void restartKeycloak() {
        long t = System.nanoTime();
        embedded(keycloak, "Keycloak").start(options.keycloakTimeout);
        writePid("keycloak", keycloak);
        say("Keycloak restarted (%d ms)", ms(t));
    }

    /** Kills one app with SIGKILL (no shutdown hook, no graceful stop) and waits until it is gone. */
    public void killApp(String appName) {
        Process p = processes.get(appName);
        if (p == null) {
            throw new IllegalArgumentException("no app " + appName);
        }
        p.destroyForcibly(); // SIGKILL on Unix
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(appName + " did not die within 30 s of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        deletePid(appName);
        say("%s killed (SIGKILL, exit code %d)", appName, p.exitValue());
    }

    /** Starts one app again (same port, same database) and waits until it is ready. */
    public void restartApp(String appName) {
        App app = APPS.stream().filter(a -> a.name().equals(appName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no app " + appName));
        if (isRunning(appName)) {
            throw new IllegalStateException(appName + " is running");
        }
        long t = System.nanoTime();
        startApp(app);
        awaitReady(appName, options.appTimeout);
        say("%s restarted (%d ms)", appName, ms(t));
    }

    /** How often a starting app's readiness is asked; also the resolution of the harness's start-to-ready figures. */
    public static final int READY_POLL_MILLIS = 50;

    /** Waits until the app's {@code /q/health/ready} answers UP. */
    public void awaitReady(String appName, Duration timeout) {
        Process p = processes.get(appName);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isReady(appName)) {
            if (p != null && !p.isAlive()) {
                throw new IllegalStateException(appName + " exited with code " + p.exitValue() + "; its log, "
                        + log(appName) + ", ends with:\n" + tail(log(appName), 40));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(appName + " not ready after " + timeout + "; its log, "
                        + log(appName) + ", ends with:\n" + tail(log(appName), 40));
            }
            sleep(READY_POLL_MILLIS);
        }
    }

    /** True when the app's {@code /q/health/ready} answers 200 UP. */
    public boolean isReady(String appName) {
        return ready(url(appName) + "/q/health/ready");
    }

    private static <T> T embedded(T server, String what) {
        if (server == null) {
            throw new IllegalStateException(what + " is an external server here: only the embedded one can be stopped");
        }
        return server;
    }

    // --- stopping ---------------------------------------------------------------------------------------------

    /** Stops the apps (TERM, then KILL after 20 s), Keycloak, Kafka and PostgreSQL, in that order. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        processes.values().forEach(Process::destroy);
        for (var entry : processes.entrySet()) {
            try {
                if (!entry.getValue().waitFor(20, TimeUnit.SECONDS)) {
                    entry.getValue().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                entry.getValue().destroyForcibly();
            }
            deletePid(entry.getKey());
        }
        quietly(() -> {
            if (keycloak != null) {
                keycloak.close();
                deletePid("keycloak");
            }
        });
        quietly(() -> {
            if (kafka != null) {
                kafka.stop();
            }
        });
        quietly(() -> {
            if (postgres != null) {
                postgres.close();
            }
        });
    }

    // --- leftovers of a launcher killed with SIGKILL ------------------------------------------------------------

    private void writePid(String name, KeycloakServer server) {
        // KeycloakServer keeps its process to itself; its descendants are found through this JVM's children.
        ProcessHandle.current().children()
                .filter(h -> h.info().commandLine().map(c -> c.contains("kc.sh")).orElse(false))
                .findFirst()
                .ifPresent(h -> writePid(name, h));
    }

    private void writePid(String name, ProcessHandle handle) {
        try {
            Files.writeString(options.dataDir.resolve("run").resolve(name + ".pid"), String.valueOf(handle.pid()));
        } catch (IOException e) {
            // best effort
        }
    }

    private void deletePid(String name) {
        try {
            Files.deleteIfExists(options.dataDir.resolve("run").resolve(name + ".pid"));
        } catch (IOException e) {
            // best effort
        }
    }

    /** Stops the children a previous launcher left running (it was killed before its shutdown hook ran). */
    private void reapLeftovers() {
        Path run = options.dataDir.resolve("run");
        try (Stream<Path> files = Files.list(run)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".pid")).toList()) {
                readPid(f).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                        .filter(h -> h.info().commandLine()
                                .map(c -> c.contains("quarkus-run.jar") || c.contains("kc.sh")).orElse(false))
                        .ifPresent(h -> {
                            say("stopping a leftover process %d (%s)", h.pid(), f.getFileName());
                            h.descendants().forEach(ProcessHandle::destroy);
                            h.destroy();
                            h.onExit().orTimeout(20, TimeUnit.SECONDS).exceptionally(x -> null).join();
                        });
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // best effort
        }
    }

    private void stopStalePostmaster(Path data) {
        readPid(data.resolve("postmaster.pid")).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                .filter(h -> h.info().command().map(c -> c.contains("postgres")).orElse(false))
                .ifPresent(h -> {
                    say("stopping a leftover PostgreSQL server (pid %d)", h.pid());
                    h.destroy(); // SIGTERM: smart shutdown
                    h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(x -> null).join();
                });
    }

    private static void deleteTree(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + folder, e);
        }
    }

    private static Optional<Long> readPid(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The in-process Kafka broker and its clients log every config at INFO: keep the launcher's output readable. */
    private static void quietInfrastructureLogs() {
        try {
            for (String category : List.of("org.apache.kafka", "kafka", "io.zonky")) {
                org.jboss.logmanager.LogContext.getLogContext().getLogger(category)
                        .setLevel(java.util.logging.Level.WARNING);
            }
        } catch (LinkageError e) {
            // another logging backend: leave it as configured
        }
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    private void say(String format, Object... args) {
        out.println("[local-stack] " + String.format(format, args));
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static void join(CompletableFuture<Void> f) {
        try {
            f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    private static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            System.err.println("[local-stack] while stopping: " + e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log)";
        }
    }

    /** What to start and where. {@link #fixedPorts} for bin/start, {@link #freePorts} for tests. */
    public static final class Options {
        final Path repoRoot;
        final Path dataDir;
        final boolean ephemeral;
        final int postgresPort;
        final int kafkaPort;
        final int kafkaControllerPort;
        final int keycloakPort;
        final int keycloakManagementPort;
        final Map<String, Integer> appPorts;
        final Path keycloakDistribution;
        final Path realmFile;
        final String externalPostgresUrl;
        final String externalPostgresUser;
        final String externalPostgresPassword;
        final String externalKafka;
        final String externalKeycloak;
        final boolean requireAllApps;
        final Duration keycloakTimeout;
        final Duration appTimeout;
        final List<String> appJvmOptions;
        final Map<String, Map<String, String>> extraEnvironment;
        final Map<String, String> postgresSettings;
        final PrintStream out;

        private Options(Builder b) {
            this.repoRoot = b.repoRoot.toAbsolutePath().normalize();
            this.dataDir = b.dataDir.toAbsolutePath().normalize();
            this.ephemeral = b.ephemeral;
            this.postgresPort = b.postgresPort;
            this.kafkaPort = b.kafkaPort;
            this.kafkaControllerPort = b.kafkaControllerPort;
            this.keycloakPort = b.keycloakPort;
            this.keycloakManagementPort = b.keycloakManagementPort;
            this.appPorts = Map.copyOf(b.appPorts);
            this.keycloakDistribution = b.keycloakDistribution;
            this.realmFile = b.realmFile != null ? b.realmFile
                    : repoRoot.resolve("deploy/keycloak/action-logement-realm.json");
            this.externalPostgresUrl = b.externalPostgresUrl;
            this.externalPostgresUser = b.externalPostgresUser;
            this.externalPostgresPassword = b.externalPostgresPassword;
            this.externalKafka = b.externalKafka;
            this.externalKeycloak = b.externalKeycloak;
            this.requireAllApps = b.requireAllApps;
            this.keycloakTimeout = b.keycloakTimeout;
            this.appTimeout = b.appTimeout;
            this.appJvmOptions = List.copyOf(b.appJvmOptions);
            this.extraEnvironment = Map.copyOf(b.extraEnvironment);
            this.postgresSettings = Map.copyOf(b.postgresSettings);
            this.out = b.out;
        }

        /** The documented local ports (docs/local-run.md), data kept in {@code dataDir} between runs. */
        public static Builder fixedPorts(Path repoRoot, Path dataDir) {
            Builder b = new Builder(repoRoot, dataDir);
            b.postgresPort = 15432;
            b.kafkaPort = 19092;
            b.kafkaControllerPort = 19093;
            b.keycloakPort = 8180;
            b.keycloakManagementPort = 9100;
            for (App app : APPS) {
                b.appPorts.put(app.name(), app.defaultPort());
            }
            return b;
        }

        /** Free loopback ports, a throw-away PostgreSQL and fresh Keycloak data: for tests. */
        public static Builder freePorts(Path repoRoot, Path dataDir) {
            Builder b = new Builder(repoRoot, dataDir);
            b.ephemeral = true;
            b.kafkaPort = fr.actionlogement.territorial.testsupport.FreePorts.next();
            b.kafkaControllerPort = fr.actionlogement.territorial.testsupport.FreePorts.next();
            b.keycloakPort = fr.actionlogement.territorial.testsupport.FreePorts.next();
            b.keycloakManagementPort = fr.actionlogement.territorial.testsupport.FreePorts.next();
            for (App app : APPS) {
                b.appPorts.put(app.name(), fr.actionlogement.territorial.testsupport.FreePorts.next());
            }
            return b;
        }

        public static final class Builder {
            private final Path repoRoot;
            private final Path dataDir;
            private boolean ephemeral;
            private int postgresPort;
            private int kafkaPort;
            private int kafkaControllerPort;
            private int keycloakPort;
            private int keycloakManagementPort;
            private final Map<String, Integer> appPorts = new LinkedHashMap<>();
            private Path keycloakDistribution;
            private Path realmFile;
            private String externalPostgresUrl;
            private String externalPostgresUser = "postgres";
            private String externalPostgresPassword = "postgres";
            private String externalKafka;
            private String externalKeycloak;
            private boolean requireAllApps;
            private Duration keycloakTimeout = Duration.ofMinutes(4);
            private Duration appTimeout = Duration.ofMinutes(4);
            private final List<String> appJvmOptions = new ArrayList<>(
                    List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
            private final Map<String, Map<String, String>> extraEnvironment = new LinkedHashMap<>();
            private final Map<String, String> postgresSettings = new LinkedHashMap<>();
            private PrintStream out = System.out;

            private Builder(Path repoRoot, Path dataDir) {
                this.repoRoot = repoRoot;
                this.dataDir = dataDir;
            }

            public Builder keycloakDistribution(Path dir) {
                this.keycloakDistribution = dir;
                return this;
            }

            public Builder realmFile(Path file) {
                this.realmFile = file;
                return this;
            }

            /** An existing server, e.g. {@code jdbc:postgresql://db.example:5432}; the databases are created if missing. */
            public Builder externalPostgres(String jdbcBaseUrl, String user, String password) {
                this.externalPostgresUrl = jdbcBaseUrl;
                this.externalPostgresUser = user;
                this.externalPostgresPassword = password;
                return this;
            }

            public Builder externalKafka(String bootstrapServers) {
                this.externalKafka = bootstrapServers;
                return this;
            }

            /** An existing Keycloak base URL with the realm imported, e.g. {@code http://localhost:8180}. */
            public Builder externalKeycloak(String baseUrl) {
                this.externalKeycloak = baseUrl;
                return this;
            }

            /** Fails instead of skipping an app whose jar is missing. */
            public Builder requireAllApps(boolean require) {
                this.requireAllApps = require;
                return this;
            }

            public Builder appTimeout(Duration timeout) {
                this.appTimeout = timeout;
                return this;
            }

            public Builder keycloakTimeout(Duration timeout) {
                this.keycloakTimeout = timeout;
                return this;
            }

            public Builder appJvmOptions(List<String> jvmOptions) {
                this.appJvmOptions.clear();
                this.appJvmOptions.addAll(jvmOptions);
                return this;
            }

            /** Extra environment variables for one app, e.g. a lower rate limit for a test. */
            public Builder environment(String appName, Map<String, String> env) {
                this.extraEnvironment.put(appName, Map.copyOf(env));
                return this;
            }

            /** Extra settings of the throw-away PostgreSQL server (free-port stacks only). */
            public Builder postgresSetting(String name, String value) {
                this.postgresSettings.put(name, value);
                return this;
            }

            public Builder out(PrintStream out) {
                this.out = out;
                return this;
            }

            public Options build() {
                if (keycloakDistribution == null && externalKeycloak == null) {
                    throw new IllegalStateException("a Keycloak distribution folder or an external Keycloak is needed");
                }
                return new Options(this);
            }
        }
    }
}
