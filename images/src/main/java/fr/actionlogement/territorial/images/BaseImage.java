package fr.actionlogement.territorial.images;

import static fr.actionlogement.territorial.images.DebianPackages.utf8;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The base image every app image starts from, made by the build (no registry can be reached from the build machines):
 * layer 1, Debian 12's C library, libgcc and dash (the shell that expands {@code JAVA_OPTS_APPEND}) with the users and
 * folders; layer 2, a Java runtime linked by {@code jlink} from the build JDK into {@code /opt/java}. Written as a
 * {@code docker save} tarball, which is what Jib takes as a local base image ({@code Jib.from(TarImage)}).
 */
final class BaseImage {

    static final String JAVA_HOME = "/opt/java";
    static final int APP_UID = 185;

    /** The modules of the runtime: all of Java SE and what Quarkus, Kafka's SASL and the operators' tools use. */
    static final List<String> MODULES = List.of("java.se", "jdk.unsupported", "jdk.management", "jdk.jfr",
            "jdk.naming.dns", "jdk.crypto.cryptoki", "jdk.security.auth", "jdk.security.jgss", "jdk.zipfs",
            "jdk.charsets", "jdk.localedata", "jdk.net", "jdk.jcmd");

    /**
     * The default JVM flags ({@code JAVA_OPTS}; a Deployment replaces them by setting {@code JAVA_OPTS}, or adds to
     * them with {@code JAVA_OPTS_APPEND}, the convention of the Red Hat OpenJDK images the manifests were written
     * for).
     */
    static final String JAVA_OPTS = "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
            + " -Djava.util.logging.manager=org.jboss.logmanager.LogManager";

    static final Map<String, String> ENV = env();

    private static Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", JAVA_HOME + "/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("JAVA_HOME", JAVA_HOME);
        env.put("LANG", "C.UTF-8");
        env.put("JAVA_OPTS", JAVA_OPTS);
        return env;
    }

    private BaseImage() {
    }

    /**
     * The base image tarball in {@code work}, made when missing or when its inputs (the package pins, the JDK, the
     * module list) changed.
     */
    static Path build(Path work) throws IOException, InterruptedException {
        Files.createDirectories(work);
        List<DebianPackages.Pin> pins = DebianPackages.pins();
        String javaHome = System.getProperty("java.home");
        String key = DebianPackages.sha256(utf8(pins + "|" + javaHome + "|" + Runtime.version() + "|" + MODULES
                + "|" + JAVA_OPTS + "|v4"));
        Path tar = work.resolve("base-image.tar");
        Path keyFile = work.resolve("base-image.key");
        if (Files.exists(tar) && Files.exists(keyFile) && Files.readString(keyFile).equals(key)
                && Files.isExecutable(runtime(work).resolve("bin/java"))) {
            System.out.println("Base image up to date: " + tar);
            return tar;
        }
        long start = System.nanoTime();

        LayerTar system = new LayerTar();
        List<String> installed = new ArrayList<>();
        for (DebianPackages.Pin pin : pins) {
            Path deb = DebianPackages.fetch(pin, work.resolve("debs"));
            DebianPackages.unpack(deb, pin.name(), system);
            installed.add(pin.name() + " " + pin.version());
        }
        system.symlink("bin/sh", "dash");
        system.file("etc/passwd", 0644, utf8("root:x:0:0:root:/root:/usr/sbin/nologin\n"
                + "app:x:" + APP_UID + ":" + APP_UID + ":territorial app:/home/app:/usr/sbin/nologin\n"));
        system.file("etc/group", 0644, utf8("root:x:0:\napp:x:" + APP_UID + ":\n"));
        system.file("etc/nsswitch.conf", 0644, utf8("passwd: files\ngroup: files\nshadow: files\n"
                + "hosts: files dns\nnetworks: files\nprotocols: files\nservices: files\n"));
        system.directory("root", 0700, 0);
        system.directory("home/app", 0755, APP_UID);
        system.directory("tmp", 01777, 0);
        system.directory("deployments", 0755, 0);
        Path systemTar = work.resolve("layer-system.tar");
        system.writeTo(systemTar);

        Path runtime = runtime(work);
        deleteRecursively(runtime);
        jlink(runtime);
        LayerTar runtimeLayer = new LayerTar();
        try (Stream<Path> files = Files.walk(runtime)) {
            for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
                String path = (JAVA_HOME.substring(1) + "/" + runtime.relativize(p)).replaceFirst("/$", "");
                if (Files.isSymbolicLink(p)) {
                    runtimeLayer.symlink(path, Files.readSymbolicLink(p).toString());
                } else if (Files.isDirectory(p)) {
                    runtimeLayer.directory(path, 0755, 0);
                } else {
                    // The layer's time on disk too: an app's AOT cache, trained with this copy (AotCache), records
                    // the size and time of lib/modules and is refused by a runtime whose file differs.
                    Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.from(LayerTar.MODIFIED));
                    runtimeLayer.file(path, Files.getPosixFilePermissions(p).contains(PosixFilePermission.OWNER_EXECUTE)
                            ? 0755
                            : 0644, p);
                }
            }
        }
        Path javaTar = work.resolve("layer-java.tar");
        runtimeLayer.writeTo(javaTar);

        String systemId = "sha256:" + DebianPackages.sha256(systemTar);
        String javaId = "sha256:" + DebianPackages.sha256(javaTar);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("created", LayerTar.MODIFIED.toString());
        config.put("architecture", "amd64");
        config.put("os", "linux");
        config.put("config", Map.of(
                "Env", ENV.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList(),
                "User", String.valueOf(APP_UID),
                "WorkingDir", "/deployments"));
        config.put("rootfs", Map.of("type", "layers", "diff_ids", List.of(systemId, javaId)));
        config.put("history", List.of(
                Map.of("created", LayerTar.MODIFIED.toString(), "created_by",
                        "Debian 12 packages (deb.debian.org, SHA-256 checked): " + String.join(", ", installed)),
                Map.of("created", LayerTar.MODIFIED.toString(), "created_by",
                        "jlink of " + javaHome + " (" + Runtime.version() + ") into " + JAVA_HOME + ": "
                                + String.join(",", MODULES))));
        ObjectMapper json = new ObjectMapper();
        byte[] configJson = json.writeValueAsBytes(config);
        byte[] manifest = json.writeValueAsBytes(List.of(Map.of("Config", "config.json",
                "RepoTags", List.of("territorial/base:latest"),
                "Layers", List.of("layer-system.tar", "layer-java.tar"))));

        Path partial = work.resolve("base-image.tar.part");
        try (OutputStream out = Files.newOutputStream(partial);
                TarArchiveOutputStream tarOut = new TarArchiveOutputStream(out)) {
            tarOut.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            put(tarOut, "manifest.json", manifest);
            put(tarOut, "config.json", configJson);
            put(tarOut, "layer-system.tar", systemTar);
            put(tarOut, "layer-java.tar", javaTar);
        }
        Files.move(partial, tar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(keyFile, key);
        Files.delete(systemTar);
        Files.delete(javaTar);
        System.out.printf("Base image built in %d s: %s (%d MB; %s; Java %s)%n",
                (System.nanoTime() - start) / 1_000_000_000, tar, Files.size(tar) >> 20, String.join(", ", installed),
                Runtime.version());
        return tar;
    }

    /**
     * The image's Java runtime as a folder of {@code work} (what its second layer holds, file times included): kept
     * after the build, as the apps' AOT caches are trained with it.
     */
    static Path runtime(Path work) {
        return work.resolve("java-runtime");
    }

    private static void jlink(Path output) {
        ToolProvider jlink = ToolProvider.findFirst("jlink")
                .orElseThrow(() -> new IllegalStateException("no jlink in " + System.getProperty("java.home")
                        + ": the images need a JDK (bin/lib/jdk.sh finds one)"));
        StringWriter log = new StringWriter();
        PrintWriter writer = new PrintWriter(log);
        int status = jlink.run(writer, writer, "--add-modules", String.join(",", MODULES), "--include-locales=en,fr",
                "--strip-debug", "--no-man-pages", "--no-header-files",
                // The runtime's own CDS archive (lib/server/classes*.jsa), as the JDK ships one: a jlinked runtime
                // has none by default, and without it every JVM start parses and verifies the JDK's classes again.
                "--generate-cds-archive", "--output", output.toString());
        if (status != 0) {
            throw new IllegalStateException("jlink failed (" + status + "): " + log);
        }
    }

    private static void put(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(data.length);
        entry.setModTime(LayerTar.MODIFIED.toEpochMilli());
        tar.putArchiveEntry(entry);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    private static void put(TarArchiveOutputStream tar, String name, Path file) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(Files.size(file));
        entry.setModTime(LayerTar.MODIFIED.toEpochMilli());
        tar.putArchiveEntry(entry);
        Files.copy(file, tar);
        tar.closeArchiveEntry();
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
