package fr.actionlogement.territorial.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An app's JDK AOT cache (JEP 483/514) for its image. The JVM maps a cache only when the runtime and every jar on the
 * class path are the very files it was trained with (size and modification time), so the one the Maven package writes
 * (with the build's JDK) is refused by the image's jlinked runtime: this trains another with that runtime, on a copy of
 * the app stamped with the layers' fixed time, run from its folder as the entry point runs it. The training is
 * Quarkus' own: the app boots until its static init and exits ({@code quarkus.appcds.generate}), no database needed.
 */
final class AotCache {

    /** The file name the image's entry point and bin/start look for in the app's folder. */
    static final String FILE = "app.aot";
    /** Caches the Maven package may have written for the build's JDK: never copied into an image. */
    static final List<String> BUILD_JDK_CACHES = List.of(FILE, "app-cds.jsa");

    private AotCache() {
    }

    /**
     * Trains the cache of the fast-jar {@code quarkusApp} with {@code runtime} in {@code work}; empty when that runtime
     * predates JDK 25 (no AOT cache output there, the image then starts without one).
     */
    static Optional<Path> train(Path runtime, Path quarkusApp, Path work) throws IOException, InterruptedException {
        if (Runtime.version().feature() < 25) {
            System.out.println("No AOT cache: the image's Java runtime is " + Runtime.version() + " (25+ needed)");
            return Optional.empty();
        }
        long start = System.nanoTime();
        Path app = work.resolve("deployments");
        BaseImage.deleteRecursively(work);
        copyAsLayered(quarkusApp, app);
        Path log = work.resolve("training.log");
        Process training = new ProcessBuilder(runtime.resolve("bin/java").toString(), "-XX:AOTCacheOutput=" + FILE,
                // the pods' collector (deploy/README.md); the cache keeps what it archived for it
                "-XX:+UseSerialGC", "-Dquarkus.appcds.generate=true", "-jar", "quarkus-run.jar")
                .directory(app.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!training.waitFor(10, TimeUnit.MINUTES)) {
            training.destroyForcibly();
            throw new IllegalStateException("AOT cache training of " + quarkusApp + " still running after 10 min; see "
                    + log);
        }
        Path cache = app.resolve(FILE);
        if (training.exitValue() != 0 || !Files.isRegularFile(cache)) {
            throw new IllegalStateException("AOT cache training of " + quarkusApp + " failed (exit "
                    + training.exitValue() + "):\n" + Files.readString(log));
        }
        System.out.printf("AOT cache trained in %d s: %s (%d MB)%n", (System.nanoTime() - start) / 1_000_000_000,
                cache, Files.size(cache) >> 20);
        return Optional.of(cache);
    }

    /**
     * A copy of the app as the image's layers hold it: without the build JDK's caches, every time {@link LayerTar#MODIFIED}.
     */
    private static void copyAsLayered(Path from, Path to) throws IOException {
        FileTime layered = FileTime.from(LayerTar.MODIFIED);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.sorted().toList()) {
                Path relative = from.relativize(p);
                if (relative.getNameCount() == 1 && BUILD_JDK_CACHES.contains(relative.toString())) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                    Files.setLastModifiedTime(target, layered);
                }
            }
        }
    }
}
