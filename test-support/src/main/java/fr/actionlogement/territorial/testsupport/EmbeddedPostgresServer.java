package fr.actionlogement.territorial.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server from Maven Central's embedded binaries (io.zonky), on a loopback port.
 *
 * <p>
 * A JVM killed with SIGKILL cannot stop its postmaster, so each server records its owner's pid in its folder and a
 * new start stops and removes the servers whose owner is gone.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "territorial-embedded-pg");
    private static final String OWNER_FILE = "owner.pid";

    private final EmbeddedPostgres postgres;
    private final Path folder;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path folder) {
        this.postgres = postgres;
        this.folder = folder;
    }

    /** A throw-away server on a free port, for one test JVM. */
    public static EmbeddedPostgresServer startTemporary() {
        reapOrphans();
        try {
            Files.createDirectories(ROOT);
            Path folder = Files.createTempDirectory(ROOT, "pg-");
            Files.writeString(folder.resolve(OWNER_FILE), String.valueOf(ProcessHandle.current().pid()));
            return new EmbeddedPostgresServer(start(folder.resolve("data"), FreePorts.next(), true), folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server whose data is kept in {@code dataDir} between runs (the local stack). */
    public static EmbeddedPostgresServer startPersistent(Path dataDir, int port) {
        try {
            Files.createDirectories(dataDir);
            return new EmbeddedPostgresServer(start(dataDir, port, false), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static EmbeddedPostgres start(Path dataDir, int port, boolean clean) throws IOException {
        return EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(clean)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "300")
                .setServerConfig("fsync", clean ? "off" : "on")
                .setServerConfig("synchronous_commit", clean ? "off" : "on")
                .start();
    }

    public int port() {
        return postgres.getPort();
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
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
