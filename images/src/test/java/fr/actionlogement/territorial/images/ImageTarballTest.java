package fr.actionlogement.territorial.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Builds the gateway's image as the image command does (the four others are built the same way, from the same base)
 * and checks the OCI tarball: its layout, every blob against its digest, the layers, the user, the entry point, the
 * port and the manifests' expectations; then, as root, runs the image's entry point on its own root filesystem (read
 * only, as the manifests mount it) and asks the gateway's health endpoint.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageTarballTest {

    private static final String APP = "gateway";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root = Path.of("..").toAbsolutePath().normalize();
    private final Path output = Path.of(System.getProperty("image.output", "target/images")).toAbsolutePath();
    private final Map<String, byte[]> blobs = new LinkedHashMap<>();
    private JsonNode index;
    private JsonNode manifest;
    private JsonNode config;
    /** Every layer's entries, by path without leading slash (a later layer's entry replaces an earlier one). */
    private final Map<String, TarArchiveEntry> files = new LinkedHashMap<>();
    private final List<byte[]> layers = new ArrayList<>();

    @BeforeAll
    void buildTheImage() throws Exception {
        assumeTrue(Files.exists(root.resolve(APP).resolve("target/quarkus-app/quarkus-run.jar")),
                "SKIPPED LOUDLY: " + APP + " is not packaged (run `package` or `verify`, not `test`)");
        ImageBuilder.build(root, APP, output, "", System.getProperty("image.tag", "test"));
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new BufferedInputStream(Files.newInputStream(output.resolve(APP + ".tar"))))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.isFile()) {
                    blobs.put(entry.getName(), tar.readAllBytes());
                }
            }
        }
        index = JSON.readTree(blobs.get("index.json"));
        manifest = JSON.readTree(blob(index.path("manifests").path(0).path("digest").asText()));
        config = JSON.readTree(blob(manifest.path("config").path("digest").asText()));
        for (JsonNode layer : manifest.path("layers")) {
            byte[] compressed = blob(layer.path("digest").asText());
            byte[] uncompressed = new GzipCompressorInputStream(new java.io.ByteArrayInputStream(compressed))
                    .readAllBytes();
            layers.add(uncompressed);
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new java.io.ByteArrayInputStream(uncompressed))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    files.put(entry.getName().replaceFirst("^\\./", "").replaceFirst("^/", "").replaceFirst("/$", ""),
                            entry);
                }
            }
        }
    }

    private byte[] blob(String digest) {
        assertThat(digest).startsWith("sha256:");
        byte[] blob = blobs.get("blobs/sha256/" + digest.substring("sha256:".length()));
        assertThat(blob).as("blob %s in the tarball", digest).isNotNull();
        assertThat("sha256:" + sha256(blob)).as("content of blob %s", digest).isEqualTo(digest);
        return blob;
    }

    @Test
    @DisplayName("the tarball is an OCI image layout whose manifest, config and layers all match their digests")
    void ociLayout() throws IOException {
        assertThat(JSON.readTree(blobs.get("oci-layout")).path("imageLayoutVersion").asText()).isEqualTo("1.0.0");
        assertThat(index.path("manifests")).hasSize(1);
        assertThat(index.path("manifests").path(0).path("mediaType").asText())
                .isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(manifest.path("config").path("mediaType").asText())
                .isEqualTo("application/vnd.oci.image.config.v1+json");
        assertThat(manifest.path("config").path("size").asLong())
                .isEqualTo(blob(manifest.path("config").path("digest").asText()).length);
        for (JsonNode layer : manifest.path("layers")) {
            assertThat(layer.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
            assertThat(layer.path("size").asLong()).isEqualTo(blob(layer.path("digest").asText()).length);
        }
        assertThat(config.path("os").asText()).isEqualTo("linux");
        assertThat(config.path("architecture").asText()).isEqualTo("amd64");
    }

    @Test
    @DisplayName("the layers: Debian's C library and shell, the Java runtime, the dependencies, this project's libraries (when the app has some), the application")
    void layers() throws IOException {
        boolean projectLibraries;
        try (var libs = Files.list(root.resolve(APP).resolve("target/quarkus-app/lib/main"))) {
            projectLibraries = libs.anyMatch(l -> l.getFileName().toString().startsWith("fr.actionlogement."));
        }
        int last = projectLibraries ? 4 : 3;
        assertThat(manifest.path("layers")).hasSize(last + 1);
        List<String> diffIds = new ArrayList<>();
        config.path("rootfs").path("diff_ids").forEach(id -> diffIds.add(id.asText()));
        assertThat(diffIds).containsExactlyElementsOf(layers.stream().map(l -> "sha256:" + sha256(l)).toList());
        List<String> comments = new ArrayList<>();
        config.path("history").forEach(h -> comments.add(h.path("comment").asText("")));
        assertThat(comments.subList(2, comments.size())).containsExactlyElementsOf(projectLibraries
                ? List.of("dependencies", "project libraries", "application")
                : List.of("dependencies", "application"));

        assertThat(entries(0)).contains("lib/x86_64-linux-gnu/libc.so.6", "lib64/ld-linux-x86-64.so.2", "bin/dash",
                "bin/sh", "etc/passwd", "etc/nsswitch.conf", "etc/os-release", "var/lib/dpkg/status.d/libc6", "tmp");
        // With the runtime's CDS archive (jlink --generate-cds-archive): the JDK's classes are mapped, not parsed.
        assertThat(entries(1)).contains("opt/java/bin/java", "opt/java/lib/server/libjvm.so", "opt/java/release",
                "opt/java/lib/server/classes.jsa");
        assertThat(entries(2)).anyMatch(p -> p.startsWith("deployments/lib/main/io.quarkus.quarkus-core-"))
                .anyMatch(p -> p.startsWith("deployments/lib/boot/"))
                .noneMatch(p -> p.startsWith("deployments/lib/main/fr.actionlogement."));
        if (projectLibraries) {
            assertThat(entries(3)).isNotEmpty()
                    .allMatch(p -> !p.endsWith(".jar") || p.startsWith("deployments/lib/main/fr.actionlogement."));
        }
        assertThat(entries(last)).contains("deployments/quarkus-run.jar", "deployments/quarkus/quarkus-application.dat")
                .anyMatch(p -> p.startsWith("deployments/app/")).doesNotContain("deployments/app-cds.jsa");
        // The AOT cache trained with the image's own runtime (JDK 25+), never the one the package made for the build's
        // JDK: theImageRuns proves the JVM maps it.
        if (Runtime.version().feature() >= 25) {
            assertThat(entries(last)).contains("deployments/app.aot");
            assertThat(files.get("deployments/app.aot").getSize())
                    .isNotEqualTo(Files.size(root.resolve(APP).resolve("target/quarkus-app/app.aot")));
        }

        assertThat(files.get("bin/sh").isSymbolicLink()).isTrue();
        assertThat(files.get("bin/sh").getLinkName()).isEqualTo("dash");
        assertThat(files.get("opt/java/bin/java").getMode() & 0777).isEqualTo(0755);
        assertThat(files.get("tmp").getMode() & 07777).isEqualTo(01777);
        // Nothing the app's user could change: every file and folder belongs to root and only root writes it,
        // except the sticky folders (/tmp, /var/tmp) and the user's home.
        assertThat(files.entrySet()).allSatisfy(e -> {
            boolean sticky = e.getValue().isDirectory() && (e.getValue().getMode() & 01000) != 0;
            if (!sticky && !e.getKey().equals("home/app")) {
                assertThat(e.getValue().getLongUserId()).as("owner of %s", e.getKey()).isZero();
                assertThat(e.getValue().isSymbolicLink() || (e.getValue().getMode() & 022) == 0)
                        .as("%s writable by group or others", e.getKey()).isTrue();
            }
            assertThat(e.getValue().getMode() & 06000).as("setuid/setgid %s", e.getKey()).isZero();
        });
    }

    private List<String> entries(int layer) {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new java.io.ByteArrayInputStream(layers.get(layer)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                names.add(entry.getName().replaceFirst("^\\./", "").replaceFirst("^/", "").replaceFirst("/$", ""));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return names;
    }

    @Test
    @DisplayName("runs as uid 185 (non-root), starts quarkus-run.jar through JAVA_OPTS and JAVA_OPTS_APPEND, exposes 8080")
    void runtimeConfiguration() throws IOException {
        JsonNode c = config.path("config");
        assertThat(c.path("User").asText()).isEqualTo("185");
        assertThat(new String(files.containsKey("etc/passwd") ? passwd() : new byte[0], StandardCharsets.UTF_8))
                .contains("app:x:185:185:");
        List<String> entrypoint = new ArrayList<>();
        c.path("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
        assertThat(entrypoint).containsExactly("/bin/sh", "-c", "cd /deployments && exec java"
                + " $([ -f app.aot ] && echo -XX:AOTCache=app.aot) $JAVA_OPTS $JAVA_OPTS_APPEND -jar quarkus-run.jar"
                + " \"$@\"", "java");
        assertThat(c.path("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(c.path("ExposedPorts").size()).isEqualTo(1);
        assertThat(c.path("WorkingDir").asText()).isEqualTo("/deployments");
        List<String> env = new ArrayList<>();
        c.path("Env").forEach(e -> env.add(e.asText()));
        assertThat(env).contains("JAVA_HOME=/opt/java", "JAVA_OPTS=" + BaseImage.JAVA_OPTS)
                .anyMatch(e -> e.startsWith("PATH=/opt/java/bin:"));
        assertThat(c.path("Labels").path("org.opencontainers.image.title").asText()).isEqualTo(APP);
    }

    private byte[] passwd() throws IOException {
        for (byte[] layer : layers) {
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new java.io.ByteArrayInputStream(layer))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    if (entry.getName().replaceFirst("^\\./", "").equals("etc/passwd")) {
                        return tar.readAllBytes();
                    }
                }
            }
        }
        return new byte[0];
    }

    @Test
    @DisplayName("the manifests name the images that are built, and expect their user and port")
    void manifestsMatchTheImages() throws IOException {
        for (String app : ImageBuilder.APPS) {
            String deployment = Files.readString(root.resolve("deploy/k8s/base").resolve(app).resolve("deployment.yaml"));
            assertThat(deployment).as(app).contains("image: " + ImageBuilder.GROUP + "/" + app + "\n")
                    .contains("containerPort: " + ImageBuilder.PORT + "\n")
                    .contains("runAsUser: " + BaseImage.APP_UID + "\n");
            for (String overlay : List.of("dev", "prod")) {
                String kustomization = Files.readString(root.resolve("deploy/k8s/overlays").resolve(overlay)
                        .resolve("kustomization.yaml"));
                Matcher m = Pattern.compile("- name: " + ImageBuilder.GROUP + "/" + app
                        + "\\n\\s+newName: (\\S+)\\n").matcher(kustomization);
                assertThat(m.find()).as("%s overlay names %s", overlay, app).isTrue();
                assertThat(m.group(1)).as("%s overlay: REGISTRY/territorial/APP", overlay)
                        .endsWith("/" + ImageBuilder.GROUP + "/" + app);
            }
        }
    }

    @Test
    @DisplayName("the image runs: its entry point on its own root filesystem, read-only, as uid 185, answers /q/health/live")
    void theImageRuns() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/unshare"))
                && Files.isExecutable(Path.of("/usr/sbin/chroot")),
                "SKIPPED LOUDLY: running the image on its root filesystem needs root, unshare and chroot");
        Path rootfs = output.resolve("rootfs-" + APP);
        BaseImage.deleteRecursively(rootfs);
        Files.createDirectories(rootfs);
        for (byte[] layer : layers) {
            extract(layer, rootfs);
        }
        Files.createDirectories(rootfs.resolve("proc"));
        Files.createDirectories(rootfs.resolve("dev"));
        // What a container runtime provides: /etc/hosts and /etc/resolv.conf.
        Files.writeString(rootfs.resolve("etc/hosts"), "127.0.0.1 localhost\n");
        Files.writeString(rootfs.resolve("etc/resolv.conf"), "");

        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of("/usr/bin/unshare", "--mount", "--propagation", "private",
                "/bin/sh", "-c", String.join(" && ",
                        "mount --bind \"$0\" \"$0\"", "mount -t proc proc \"$0/proc\"", "mount --rbind /dev \"$0/dev\"",
                        "mount -t tmpfs -o mode=1777 tmpfs \"$0/tmp\"", "mount -o remount,bind,ro \"$0\"",
                        "exec /usr/sbin/chroot --userspec=185:185 \"$0\" \"$@\""),
                rootfs.toString()));
        config.path("config").path("Entrypoint").forEach(e -> command.add(e.asText()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.resolve("rootfs-" + APP + ".log").toFile());
        builder.environment().clear();
        config.path("config").path("Env").forEach(e -> {
            String[] kv = e.asText().split("=", 2);
            builder.environment().put(kv[0], kv[1]);
        });
        // AOTMode=on: the JVM stops instead of starting without the image's AOT cache (a runtime or jar that is not
        // the one it was trained with).
        builder.environment().put("JAVA_OPTS_APPEND", "-Dquarkus.http.port=" + port
                + (Runtime.version().feature() >= 25 ? " -XX:AOTMode=on" : ""));
        Process process = builder.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            int status = -1;
            while (System.nanoTime() < deadline && process.isAlive()) {
                try {
                    status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/live"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status == 200) {
                        break;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(250);
            }
            String log = Files.readString(output.resolve("rootfs-" + APP + ".log"));
            assertThat(status).as("GET /q/health/live of the gateway in its image; its output:%n%s", log)
                    .isEqualTo(200);
            assertThat(log).contains("gateway").contains("started in").doesNotContain("[aot]");
        } finally {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        BaseImage.deleteRecursively(rootfs);
    }

    private static void extract(byte[] layer, Path rootfs) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new java.io.ByteArrayInputStream(layer))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = rootfs.resolve(entry.getName().replaceFirst("^\\./", "").replaceFirst("^/", ""))
                        .normalize();
                assertThat(target.startsWith(rootfs)).as("%s inside the root filesystem", target).isTrue();
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.deleteIfExists(target);
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                if (!entry.isSymbolicLink()) {
                    // As a container runtime does: the layer's file times (the AOT cache checks its jars' times).
                    Files.setLastModifiedTime(target, java.nio.file.attribute.FileTime.from(entry.getModTime().toInstant()));
                    Files.setPosixFilePermissions(target, permissions(entry.getMode()));
                    Files.setAttribute(target, "unix:uid", (int) entry.getLongUserId());
                    Files.setAttribute(target, "unix:gid", (int) entry.getLongGroupId());
                }
            }
        }
    }

    private static java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions(int mode) {
        StringBuilder s = new StringBuilder();
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            s.append((mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        return java.nio.file.attribute.PosixFilePermissions.fromString(s.toString());
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
