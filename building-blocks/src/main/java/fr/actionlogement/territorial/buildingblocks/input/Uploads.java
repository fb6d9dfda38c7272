package fr.actionlogement.territorial.buildingblocks.input;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemType;

/**
 * Uploaded files, read by their endpoint after the caller's right is checked (take the body as an
 * {@link InputStream}, never a {@code byte[]} parameter, which the framework reads whole before the method runs):
 * a declared length over the limit is refused before a byte is read, a body is never read past the limit, and the
 * content must be one of the allowed types by its first bytes, whatever the client's {@code Content-Type} says.
 */
public final class Uploads {

    /** Magic numbers of the types an endpoint may allow. */
    private static final Map<String, byte[]> MAGIC = Map.of(
            "application/pdf", "%PDF-".getBytes(StandardCharsets.US_ASCII),
            "image/png", new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' },
            "image/jpeg", new byte[] { (byte) 0xff, (byte) 0xd8, (byte) 0xff },
            "application/zip", new byte[] { 'P', 'K', 3, 4 });

    private Uploads() {
    }

    /**
     * The body, at most {@code max} bytes: 413 problem if the declared {@code Content-Length} or the bytes read pass
     * it (reading stops there), 400 if it is empty.
     */
    public static byte[] readAtMost(InputStream body, String declaredLength, long max) {
        if (declaredLength != null && declaredLength.matches("\\d{1,18}") && Long.parseLong(declaredLength) > max) {
            throw tooLarge(max);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        try (body) {
            int n;
            while ((n = body.read(buffer)) > 0) {
                if (out.size() + (long) n > max) {
                    throw tooLarge(max);
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the uploaded file", e);
        }
        if (out.size() == 0) {
            throw ProblemException.invalid("body", "the file is empty");
        }
        return out.toByteArray();
    }

    /**
     * The content's media type, told by its first bytes, if it is one of {@code allowed}; otherwise a 415 problem
     * naming the allowed types.
     */
    public static String sniff(byte[] content, List<String> allowed) {
        for (String type : allowed) {
            byte[] magic = MAGIC.get(type);
            if (magic == null) {
                throw new IllegalArgumentException("No magic number known for " + type);
            }
            if (content.length >= magic.length && Arrays.equals(content, 0, magic.length, magic, 0, magic.length)) {
                return type;
            }
        }
        throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "The file's content is not "
                + allowed.stream().collect(Collectors.joining(" or ")) + " (told by its first bytes)");
    }

    private static ProblemException tooLarge(long max) {
        return new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "The file exceeds " + max + " bytes");
    }
}
