package fr.actionlogement.territorial.images;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.CredentialRetriever;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;

/**
 * Builds the apps' container images without a Docker engine, with Jib's core library (what Quarkus' Jib extension
 * runs, which can only hand its result to a registry or a Docker daemon): from the base image of {@link BaseImage},
 * each app's Quarkus fast-jar ({@code target/quarkus-app}) in three layers, as an OCI tarball, or pushed to a registry.
 *
 * <p>
 * Run by {@code ./mvnw -Pimages -pl images -am package}; system properties: {@code image.apps} (module names,
 * comma-separated, or {@code all}), {@code image.output} (the tarballs' folder), {@code image.registry} (when set,
 * push to {@code REGISTRY/territorial/APP:TAG} instead; credentials from {@code IMAGE_REGISTRY_USERNAME} and
 * {@code IMAGE_REGISTRY_PASSWORD}, else the Docker configuration and credential helpers), {@code image.tag},
 * {@code image.root} (the repository's folder).
 */
public final class ImageBuilder {

    public static final List<String> APPS = List.of("territories-service", "conventions-service",
            "partnerships-service", "observatory-service", "gateway");
    public static final String GROUP = "territorial";
    public static final String APP_DIR = "/deployments";
    public static final int PORT = 8080;
    /**
     * Expands the JVM flags of the environment, then replaces itself by the JVM (PID 1 gets the signals). From the
     * app's folder with the jar's relative name, as the AOT cache was trained, which it uses when the image has one.
     */
    public static final List<String> ENTRYPOINT = List.of("/bin/sh", "-c", "cd " + APP_DIR + " && exec java"
            + " $([ -f " + AotCache.FILE + " ] && echo -XX:AOTCache=" + AotCache.FILE + ")"
            + " $JAVA_OPTS $JAVA_OPTS_APPEND -jar quarkus-run.jar \"$@\"", "java");

    private ImageBuilder() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("image.root", "..")).toAbsolutePath().normalize();
        Path output = Path.of(System.getProperty("image.output", "target/images")).toAbsolutePath();
        String apps = System.getProperty("image.apps", "all");
        String registry = System.getProperty("image.registry", "").trim();
        String tag = System.getProperty("image.tag", "latest");
        List<String> selected = apps.isBlank() || apps.equals("all") ? APPS
                : Arrays.stream(apps.split(",")).map(String::trim).toList();
        long start = System.nanoTime();
        List<String> done = new ArrayList<>();
        for (String app : selected) {
            if (!APPS.contains(app)) {
                throw new IllegalArgumentException("unknown app " + app + "; one of " + APPS);
            }
            done.add(build(root, app, output, registry, tag));
        }
        System.out.printf("%d image(s) in %d s:%n  %s%n", done.size(), (System.nanoTime() - start) / 1_000_000_000,
                String.join("\n  ", done));
    }

    /**
     * One app's image: to {@code output/APP.tar} (OCI layout), or to the registry when {@code registry} is not
     * blank. Returns what was written (the tarball and its size, or the pushed reference and digest).
     */
    public static String build(Path root, String app, Path output, String registry, String tag) throws Exception {
        Path quarkusApp = root.resolve(app).resolve("target/quarkus-app");
        if (!Files.isRegularFile(quarkusApp.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException(quarkusApp + "/quarkus-run.jar is missing: package " + app
                    + " first (./mvnw -Pimages -pl images -am package -DskipTests does)");
        }
        Path base = BaseImage.build(output.resolve("base"));
        long start = System.nanoTime();
        Optional<Path> aotCache = AotCache.train(BaseImage.runtime(output.resolve("base")), quarkusApp,
                output.resolve("aot").resolve(app));

        FileEntriesLayer.Builder dependencies = FileEntriesLayer.builder().setName("dependencies");
        FileEntriesLayer.Builder projectLibraries = FileEntriesLayer.builder().setName("project libraries");
        try (Stream<Path> libs = Files.walk(quarkusApp.resolve("lib"))) {
            for (Path lib : libs.filter(Files::isRegularFile).sorted().toList()) {
                AbsoluteUnixPath target = AbsoluteUnixPath.get(APP_DIR)
                        .resolve(quarkusApp.relativize(lib).toString().replace('\\', '/'));
                // This project's own modules change with every commit; the other libraries seldom do.
                (lib.getFileName().toString().startsWith("fr.actionlogement.") ? projectLibraries : dependencies)
                        .addEntry(lib, target);
            }
        }
        FileEntriesLayer.Builder application = FileEntriesLayer.builder().setName("application");
        try (Stream<Path> files = Files.list(quarkusApp)) {
            for (Path p : files.sorted().toList()) {
                String name = p.getFileName().toString();
                if (!name.equals("lib") && !AotCache.BUILD_JDK_CACHES.contains(name)) {
                    application.addEntryRecursive(p, AbsoluteUnixPath.get(APP_DIR).resolve(name));
                }
            }
        }
        aotCache.ifPresent(cache -> application.addEntry(cache, AbsoluteUnixPath.get(APP_DIR).resolve(AotCache.FILE)));

        ImageReference reference = ImageReference.parse(
                (registry.isBlank() ? "" : registry + "/") + GROUP + "/" + app + ":" + tag);
        Containerizer containerizer;
        Path tarball = output.resolve(app + ".tar");
        if (registry.isBlank()) {
            Files.createDirectories(output);
            containerizer = Containerizer.to(TarImage.at(tarball).named(reference));
        } else {
            RegistryImage target = RegistryImage.named(reference);
            String user = System.getenv("IMAGE_REGISTRY_USERNAME");
            String password = System.getenv("IMAGE_REGISTRY_PASSWORD");
            if (user != null && password != null) {
                target.addCredential(user, password);
            }
            CredentialRetrieverFactory credentials = CredentialRetrieverFactory.forImage(reference,
                    ImageBuilder::log);
            for (CredentialRetriever retriever : List.of(credentials.dockerConfig(),
                    credentials.wellKnownCredentialHelpers())) {
                target.addCredentialRetriever(retriever);
            }
            containerizer = Containerizer.to(target)
                    .setAllowInsecureRegistries(Boolean.getBoolean("image.insecure"));
        }
        containerizer.setToolName("territorial-images")
                .setBaseImageLayersCache(output.resolve(".cache/base"))
                .setApplicationLayersCache(output.resolve(".cache/application"))
                .addEventHandler(LogEvent.class, ImageBuilder::log);

        JibContainer container = Jib.from(TarImage.at(base).named("territorial/base"))
                .addFileEntriesLayer(dependencies.build())
                .addFileEntriesLayer(projectLibraries.build())
                .addFileEntriesLayer(application.build())
                .setEntrypoint(ENTRYPOINT)
                .setUser(String.valueOf(BaseImage.APP_UID))
                .setWorkingDirectory(AbsoluteUnixPath.get(APP_DIR))
                .setExposedPorts(Port.tcp(PORT))
                .addLabel("org.opencontainers.image.title", app)
                .addLabel("org.opencontainers.image.version", tag)
                .addLabel("org.opencontainers.image.description", "Territorial partnerships: " + app
                        + " (Quarkus fast-jar on a jlink runtime and Debian 12's C library)")
                .setFormat(ImageFormat.OCI)
                .containerize(containerizer);

        long seconds = (System.nanoTime() - start) / 1_000_000_000;
        String result = registry.isBlank()
                ? String.format("%s (%d MB, %s, %d s)", tarball, Files.size(tarball) >> 20, container.getDigest(),
                        seconds)
                : String.format("%s@%s (%d s)", reference, container.getDigest(), seconds);
        System.out.println("Image " + app + ": " + result);
        return result;
    }

    private static void log(LogEvent event) {
        if (event.getLevel() == LogEvent.Level.ERROR || event.getLevel() == LogEvent.Level.WARN
                || event.getLevel() == LogEvent.Level.LIFECYCLE) {
            System.out.println("[jib] " + event.getMessage());
        }
    }
}
