package fr.actionlogement.territorial.images;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.TreeMap;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The files of one image layer, written as an uncompressed tar in a stable order with fixed times and owners (the same
 * inputs give the same bytes, so the same layer digest). Unlike Jib's own layers, it keeps symbolic links and any mode
 * and owner, which a root filesystem needs.
 */
final class LayerTar {

    /** Jib's own fixed modification time (1970-01-01T00:00:01Z), so every layer of the images has the same. */
    static final Instant MODIFIED = Instant.ofEpochSecond(1);

    private record Node(char type, int mode, int owner, byte[] data, Path source, String link) {
    }

    private final TreeMap<String, Node> nodes = new TreeMap<>();

    /** A regular file from bytes; {@code path} without leading slash, e.g. {@code etc/passwd}. */
    void file(String path, int mode, byte[] data) {
        parents(path);
        nodes.put(path, new Node('f', mode, 0, data, null, null));
    }

    /** A regular file whose content is read from disk when the tar is written. */
    void file(String path, int mode, Path source) {
        parents(path);
        nodes.put(path, new Node('f', mode, 0, null, source, null));
    }

    void directory(String path, int mode, int owner) {
        parents(path);
        nodes.put(path, new Node('d', mode, owner, null, null, null));
    }

    void symlink(String path, String target) {
        parents(path);
        nodes.put(path, new Node('l', 0777, 0, null, null, target));
    }

    boolean contains(String path) {
        return nodes.containsKey(path);
    }

    private void parents(String path) {
        int slash = path.lastIndexOf('/');
        if (slash <= 0) {
            return;
        }
        String parent = path.substring(0, slash);
        if (!nodes.containsKey(parent)) {
            directory(parent, 0755, 0);
        }
    }

    /** Writes the layer; returns nothing, the caller digests the file (the layer's diff id). */
    void writeTo(Path tar) throws IOException {
        try (OutputStream out = Files.newOutputStream(tar);
                TarArchiveOutputStream tarOut = new TarArchiveOutputStream(out)) {
            tarOut.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tarOut.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (var node : nodes.entrySet()) {
                Node n = node.getValue();
                String name = n.type == 'd' ? node.getKey() + "/" : node.getKey();
                TarArchiveEntry entry = switch (n.type) {
                    case 'l' -> {
                        TarArchiveEntry link = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                        link.setLinkName(n.link);
                        yield link;
                    }
                    default -> new TarArchiveEntry(name);
                };
                entry.setMode((n.type == 'd' ? 040000 : n.type == 'l' ? 0120000 : 0100000) | n.mode);
                entry.setIds(n.owner, n.owner);
                entry.setUserName(n.owner == 0 ? "root" : "");
                entry.setGroupName(n.owner == 0 ? "root" : "");
                entry.setModTime(MODIFIED.toEpochMilli());
                if (n.type == 'f') {
                    entry.setSize(n.data != null ? n.data.length : Files.size(n.source));
                }
                tarOut.putArchiveEntry(entry);
                if (n.type == 'f') {
                    if (n.data != null) {
                        tarOut.write(n.data);
                    } else {
                        Files.copy(n.source, tarOut);
                    }
                }
                tarOut.closeArchiveEntry();
            }
            tarOut.finish();
        }
    }
}
