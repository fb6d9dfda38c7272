package fr.actionlogement.territorial.images;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * The Debian 12 packages of the base image: downloaded from deb.debian.org (pinned in {@code debian-packages.tsv}, each
 * checked by its SHA-256) and unpacked the way {@code dpkg-deb -x} does, without running their maintainer scripts.
 */
final class DebianPackages {

    static final String MIRROR = "https://deb.debian.org/debian/";
    static final String INDEX = MIRROR + "dists/bookworm/main/binary-amd64/Packages.xz";

    /** One line of {@code debian-packages.tsv}. */
    record Pin(String name, String version, String filename, String sha256) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(20)).build();

    private DebianPackages() {
    }

    static List<Pin> pins() {
        try (InputStream in = Objects.requireNonNull(DebianPackages.class.getResourceAsStream("/debian-packages.tsv"))) {
            List<Pin> pins = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.trim().split("\t");
                pins.add(new Pin(f[0], f[1], f[2], f[3]));
            }
            return pins;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The package's .deb in {@code cache}, downloaded when missing; its SHA-256 always checked. */
    static Path fetch(Pin pin, Path cache) throws IOException, InterruptedException {
        Files.createDirectories(cache);
        Path deb = cache.resolve(pin.filename().substring(pin.filename().lastIndexOf('/') + 1));
        if (Files.exists(deb) && sha256(deb).equals(pin.sha256())) {
            return deb;
        }
        Pin source = pin;
        if (!download(MIRROR + pin.filename(), deb)) {
            // A point release removes superseded versions from the pool: take the current one from the index.
            source = current(pin.name());
            System.out.printf("WARNING: %s %s is no longer on the mirror; using %s. Update debian-packages.tsv with:%n"
                    + "%s\t%s\t%s\t%s%n", pin.name(), pin.version(), source.version(), source.name(),
                    source.version(), source.filename(), source.sha256());
            deb = cache.resolve(source.filename().substring(source.filename().lastIndexOf('/') + 1));
            if (!download(MIRROR + source.filename(), deb)) {
                throw new IOException("not on the mirror: " + MIRROR + source.filename());
            }
        }
        String actual = sha256(deb);
        if (!actual.equals(source.sha256())) {
            Files.delete(deb);
            throw new IOException("SHA-256 mismatch for " + source.filename() + ": expected " + source.sha256()
                    + ", got " + actual);
        }
        return deb;
    }

    /** The package's current entry in bookworm's Packages index (fetched over HTTPS). */
    static Pin current(String name) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create(INDEX)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IOException(INDEX + " answered " + response.statusCode());
        }
        String index;
        try (InputStream in = new XZCompressorInputStream(new BufferedInputStream(response.body()))) {
            index = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String paragraph : index.split("\n\n")) {
            if (paragraph.startsWith("Package: " + name + "\n")) {
                return new Pin(name, field(paragraph, "Version"), field(paragraph, "Filename"),
                        field(paragraph, "SHA256"));
            }
        }
        throw new IOException("package " + name + " not in " + INDEX);
    }

    private static String field(String paragraph, String name) {
        for (String line : paragraph.split("\n")) {
            if (line.startsWith(name + ": ")) {
                return line.substring(name.length() + 2).trim();
            }
        }
        throw new IllegalStateException("no " + name + " in " + paragraph);
    }

    private static boolean download(String url, Path target) throws IOException, InterruptedException {
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        HttpResponse<Path> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5))
                .build(), HttpResponse.BodyHandlers.ofFile(partial));
        if (response.statusCode() == 404) {
            Files.deleteIfExists(partial);
            return false;
        }
        if (response.statusCode() != 200) {
            Files.deleteIfExists(partial);
            throw new IOException(url + " answered " + response.statusCode());
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        return true;
    }

    /**
     * Unpacks the package's files into the layer (documentation left out, its copyright kept) and records it the
     * way distroless images do ({@code /var/lib/dpkg/status.d/NAME}), so image scanners see the packages.
     */
    static void unpack(Path deb, String name, LayerTar layer) throws IOException {
        try (ArArchiveInputStream ar = new ArArchiveInputStream(new BufferedInputStream(Files.newInputStream(deb)))) {
            ArArchiveEntry member;
            while ((member = ar.getNextEntry()) != null) {
                String memberName = member.getName();
                if (memberName.startsWith("control.tar")) {
                    forEachEntry(decompress(ar, memberName), (entry, tar) -> {
                        if (entry.getName().equals("./control")) {
                            layer.file("var/lib/dpkg/status.d/" + name, 0644, tar.readAllBytes());
                        }
                    });
                } else if (memberName.startsWith("data.tar")) {
                    forEachEntry(decompress(ar, memberName), (entry, tar) -> add(entry, tar, layer));
                }
            }
        }
    }

    private static void add(TarArchiveEntry entry, TarArchiveInputStream tar, LayerTar layer) throws IOException {
        String path = entry.getName().replaceFirst("^\\./", "").replaceFirst("/$", "");
        if (path.isEmpty() || leftOut(path)) {
            return;
        }
        int mode = entry.getMode() & 07777;
        if (!entry.isDirectory() || (mode & 01000) == 0) {
            // Only root writes, and nothing runs with another's rights (base-files' setgid /var/local, for one);
            // the sticky folders (/tmp, /var/tmp) stay writable by all.
            mode &= ~(022 | 06000);
        }
        if (entry.isDirectory()) {
            layer.directory(path, mode, 0);
        } else if (entry.isSymbolicLink()) {
            layer.symlink(path, entry.getLinkName());
        } else if (entry.isFile() && !entry.isLink()) {
            layer.file(path, mode, tar.readAllBytes());
        } else {
            throw new IOException("unsupported entry in a Debian package: " + entry.getName());
        }
    }

    private static boolean leftOut(String path) {
        return (path.startsWith("usr/share/doc/") && !path.endsWith("/copyright") && path.indexOf('/', 15) > 0)
                || path.startsWith("usr/share/man") || path.startsWith("usr/share/info")
                || path.startsWith("usr/share/lintian") || path.startsWith("usr/share/locale")
                || path.startsWith("usr/share/doc-base") || path.startsWith("usr/share/bug");
    }

    private interface EntryConsumer {
        void accept(TarArchiveEntry entry, TarArchiveInputStream tar) throws IOException;
    }

    private static InputStream decompress(InputStream member, String name) throws IOException {
        InputStream shielded = new BufferedInputStream(new java.io.FilterInputStream(member) {
            @Override
            public void close() {
                // the ar stream goes on with its next member
            }
        });
        if (name.endsWith(".xz")) {
            return new XZCompressorInputStream(shielded);
        }
        if (name.endsWith(".gz")) {
            return new GzipCompressorInputStream(shielded);
        }
        if (name.endsWith(".tar")) {
            return shielded;
        }
        throw new IOException("unsupported compression: " + name);
    }

    private static void forEachEntry(InputStream in, EntryConsumer consumer) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                consumer.accept(entry, tar);
            }
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
