package fr.actionlogement.territorial.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real Keycloak from its Maven Central distribution ({@code org.keycloak:keycloak-quarkus-dist}, unpacked by the
 * build), run as a child process in {@code start-dev} mode on loopback, with realm files imported at start.
 *
 * <p>
 * {@code home} is the Keycloak installation the process runs from: when it holds no {@code bin/kc.sh}, the
 * unpacked distribution is copied into it first, so its H2 data (users, sessions) stays in that folder between
 * runs. The hostname is pinned to {@code http://localhost:<port>} so the token issuer is what the services
 * expect, and the management interface is moved off 9000.
 */
public final class KeycloakServer implements AutoCloseable {

    public static final String DEFAULT_REALM = "action-logement";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path distribution;
    private final Path home;
    private final int httpPort;
    private final int managementPort;
    private final List<Path> realmFiles;
    private final boolean freshData;
    private final Path logFile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;
    private boolean startedOnce;

    private KeycloakServer(Builder b) {
        this.distribution = b.distribution;
        this.home = b.home == null ? b.distribution : b.home;
        this.httpPort = b.httpPort == 0 ? FreePorts.next() : b.httpPort;
        this.managementPort = b.managementPort == 0 ? FreePorts.next() : b.managementPort;
        this.realmFiles = List.copyOf(b.realmFiles);
        this.freshData = b.freshData;
        this.logFile = b.logFile == null ? this.home.resolve("keycloak.log") : b.logFile;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts Keycloak and waits until every imported realm answers its discovery document. After a {@link #close()},
     * starts it again on the same ports with the same data (fresh data is dropped on the first start only), so its
     * signing keys, and the tokens it issued, stay valid.
     */
    public synchronized KeycloakServer start(Duration timeout) {
        if (process != null) {
            return this;
        }
        prepareHome();
        List<String> command = List.of("bash", home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + httpPort, "--hostname=" + baseUrl(),
                "--http-management-port=" + managementPort, "--import-realm");
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        Map<String, String> env = pb.environment();
        // The JVM running this launcher is a JDK >= 21 (bin/lib/jdk.sh or Maven's), which Keycloak 26 needs too.
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.putIfAbsent("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
        // Keycloak's threads reset thread locals through reflection on JDK 24+.
        env.putIfAbsent("JAVA_OPTS_APPEND", "--add-opens=java.base/java.lang=ALL-UNNAMED");
        env.put("KC_LOG_CONSOLE_COLOR", "false");
        // Local only: the master realm's admin, created on the first start (admin console login).
        env.putIfAbsent("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        env.putIfAbsent("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
        try {
            Files.createDirectories(logFile.getParent());
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Keycloak from " + home, e);
        }
        startedOnce = true;
        awaitRealms(timeout);
        return this;
    }

    private void prepareHome() {
        try {
            if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
                if (!Files.isRegularFile(distribution.resolve("bin/kc.sh"))) {
                    throw new IllegalStateException("no Keycloak distribution at " + distribution
                            + " (it is unpacked from org.keycloak:keycloak-quarkus-dist by the build)");
                }
                copyTree(distribution, home);
            }
            Path data = home.resolve("data");
            if (freshData && !startedOnce) {
                deleteTree(data.resolve("h2"));
            }
            Path imports = data.resolve("import");
            Files.createDirectories(imports);
            for (Path realm : realmFiles) {
                Files.copy(realm, imports.resolve(realm.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitRealms(Duration timeout) {
        List<String> realms = new ArrayList<>();
        for (Path file : realmFiles) {
            try {
                realms.add(JSON.readTree(file.toFile()).path("realm").asText());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (realms.isEmpty()) {
            realms.add("master");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String realm : realms) {
            while (!answers(issuer(realm) + "/.well-known/openid-configuration")) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Keycloak exited with code " + process.exitValue() + "; see "
                            + logFile + "\n" + tail(logFile, 30));
                }
                if (System.nanoTime() > deadline) {
                    close();
                    throw new IllegalStateException("Keycloak not ready after " + timeout + "; see " + logFile
                            + "\n" + tail(logFile, 30));
                }
                sleep(500);
            }
        }
    }

    private boolean answers(String url) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build();
            return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code http://localhost:<port>}: the pinned hostname, part of every token's issuer. */
    public String baseUrl() {
        return "http://localhost:" + httpPort;
    }

    public String issuer(String realm) {
        return baseUrl() + "/realms/" + realm;
    }

    public String issuer() {
        return issuer(DEFAULT_REALM);
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public int httpPort() {
        return httpPort;
    }

    public Path logFile() {
        return logFile;
    }

    /** An access token for a realm user, by the resource-owner password grant (local-only client). */
    public String passwordToken(String realm, String clientId, String username, String password) {
        return token(realm, Map.of("grant_type", "password", "client_id", clientId, "username", username,
                "password", password, "scope", "openid"));
    }

    /** An access token for a confidential client's service account (client credentials grant). */
    public String clientCredentialsToken(String realm, String clientId, String secret) {
        return token(realm, Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret",
                secret));
    }

    private String token(String realm, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest req = HttpRequest.newBuilder(URI.create(issuer(realm) + "/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != 200) {
                throw new IllegalStateException("Keycloak refused a token (" + res.statusCode() + "): " + res.body());
            }
            JsonNode json = JSON.readTree(res.body());
            return json.path("access_token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops Keycloak: TERM to kc.sh (which forwards it to its JVM), then to every descendant, then KILL. */
    @Override
    public synchronized void close() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            for (ProcessHandle d : descendants) {
                d.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            descendants.forEach(ProcessHandle::destroyForcibly);
        }
        process = null;
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "";
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

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    public static final class Builder {
        private Path distribution;
        private Path home;
        private int httpPort;
        private int managementPort;
        private final List<Path> realmFiles = new ArrayList<>();
        private boolean freshData;
        private Path logFile;

        /** The unpacked {@code keycloak-<version>} folder. */
        public Builder distribution(Path distribution) {
            this.distribution = distribution;
            return this;
        }

        /** Where Keycloak runs and keeps its data; defaults to the distribution folder itself. */
        public Builder home(Path home) {
            this.home = home;
            return this;
        }

        /** 0 (the default) picks a free loopback port. */
        public Builder httpPort(int port) {
            this.httpPort = port;
            return this;
        }

        /** 0 (the default) picks a free loopback port; never 9000, which the apps' defaults may use. */
        public Builder managementPort(int port) {
            this.managementPort = port;
            return this;
        }

        public Builder realm(Path realmFile) {
            this.realmFiles.add(realmFile);
            return this;
        }

        /** Drops the stored data first, so the realm files are imported afresh (tests). */
        public Builder freshData(boolean fresh) {
            this.freshData = fresh;
            return this;
        }

        public Builder logFile(Path logFile) {
            this.logFile = logFile;
            return this;
        }

        public KeycloakServer build() {
            if (distribution == null) {
                throw new IllegalStateException("distribution folder required");
            }
            return new KeycloakServer(this);
        }
    }
}
