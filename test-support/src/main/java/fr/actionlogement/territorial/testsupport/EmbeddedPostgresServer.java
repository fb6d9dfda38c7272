package fr.actionlogement.territorial.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server from Maven Central's embedded binaries (io.zonky), on a loopback port.
 *
 * <p>
 * A JVM killed with SIGKILL cannot stop its postmaster, so each server records its owner's pid in its folder and a
 * new start stops and removes the servers whose owner is gone.
 *
 * <p>
 * {@link #stop()} and {@link #start()} take the server down and bring it back on the same port with the same data,
 * so a test can restart the database under running applications.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "territorial-embedded-pg");
    private static final String OWNER_FILE = "owner.pid";

    private final Path dataDir;
    private final int port;
    private final boolean durable;
    private final Path folder;
    private final Map<String, String> settings;
    private EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(Path dataDir, int port, boolean durable, Path folder, Map<String, String> settings) {
        this.dataDir = dataDir;
        this.port = port;
        this.durable = durable;
        this.folder = folder;
        this.settings = Map.copyOf(settings);
    }

    /** A throw-away server on a free port, for one test JVM. */
    public static EmbeddedPostgresServer startTemporary() {
        return startTemporary(Map.of());
    }

    /**
     * A throw-away server with extra server settings (e.g. the performance harness turns on the CSV log to capture
     * the statements the services run).
     */
    public static EmbeddedPostgresServer startTemporary(Map<String, String> settings) {
        reapOrphans();
        try {
            Files.createDirectories(ROOT);
            Path folder = Files.createTempDirectory(ROOT, "pg-");
            Files.writeString(folder.resolve(OWNER_FILE), String.valueOf(ProcessHandle.current().pid()));
            return new EmbeddedPostgresServer(folder.resolve("data"), FreePorts.next(), false, folder, settings).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server whose data is kept in {@code dataDir} between runs (the local stack). */
    public static EmbeddedPostgresServer startPersistent(Path dataDir, int port) {
        try {
            Files.createDirectories(dataDir);
            return new EmbeddedPostgresServer(dataDir, port, true, null, Map.of()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts the server (initialising its data folder the first time); a no-op when it runs. The data folder is
     * never cleaned here: a temporary server's folder is new, and {@link #close()} deletes it.
     */
    public synchronized EmbeddedPostgresServer start() {
        if (postgres != null) {
            return this;
        }
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            settings.forEach(builder::setServerConfig);
            postgres = builder
                    .setPort(port)
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", durable ? "on" : "off")
                    .setServerConfig("synchronous_commit", durable ? "on" : "off")
                    .start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start PostgreSQL on port " + port + " from " + dataDir, e);
        }
    }

    /** Stops the server (pg_ctl stop, fast mode: open sessions are ended), keeping its port and data. */
    public synchronized void stop() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            postgres = null;
        }
    }

    public synchronized boolean isRunning() {
        return postgres != null;
    }

    public int port() {
        return port;
    }

    public String user() {
        return "postgres";
    }

    public String password() {
        return "postgres";
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    @Override
    public void close() {
        try {
            stop();
        } finally {
            if (folder != null) {
                deleteTree(folder);
            }
        }
    }

    private static void reapOrphans() {
        if (!Files.isDirectory(ROOT)) {
            return;
        }
        try (Stream<Path> folders = Files.list(ROOT)) {
            for (Path folder : folders.toList()) {
                Optional<Long> owner = readPid(folder.resolve(OWNER_FILE));
                if (owner.isPresent() && ProcessHandle.of(owner.get()).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                readPid(folder.resolve("data").resolve("postmaster.pid"))
                        .flatMap(ProcessHandle::of)
                        .ifPresent(ProcessHandle::destroy);
                deleteTree(folder);
            }
        } catch (IOException e) {
            // best effort: a leftover folder only wastes disk
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

    private static void deleteTree(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
