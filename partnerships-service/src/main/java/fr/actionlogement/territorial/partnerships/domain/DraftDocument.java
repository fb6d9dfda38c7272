package fr.actionlogement.territorial.partnerships.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** A draft agreement document: a PDF, checked by its declared type and its magic bytes. */
public final class DraftDocument {

    public static final String PDF = "application/pdf";
    /**
     * The generic binary type: what multipart libraries declare for a file part when their caller says nothing (Apache
     * HttpMime, hence the Java client OpenAPI Generator makes, which ignores the document's part encoding). Accepted,
     * since the magic bytes decide anyway.
     */
    public static final String OCTET_STREAM = "application/octet-stream";
    /** The part's content types the document declares (an OpenAPI encoding's comma-separated list). */
    public static final String ACCEPTED_TYPES = PDF + ", " + OCTET_STREAM;
    private static final byte[] MAGIC = "%PDF-".getBytes(StandardCharsets.US_ASCII);

    /** Why an upload is refused; the API maps each to its status. */
    public enum Refusal {
        EMPTY,
        TOO_LARGE,
        NOT_PDF_CONTENT_TYPE,
        NOT_PDF_CONTENT
    }

    private DraftDocument() {
    }

    /** @return the reason to refuse the upload, or null when it is a PDF within the limit */
    public static Refusal check(String declaredContentType, byte[] content, long maxBytes) {
        if (content.length == 0) {
            return Refusal.EMPTY;
        }
        if (content.length > maxBytes) {
            return Refusal.TOO_LARGE;
        }
        String type = declaredContentType == null ? "" : declaredContentType.split(";")[0].trim();
        if (!PDF.equalsIgnoreCase(type) && !OCTET_STREAM.equalsIgnoreCase(type)) {
            return Refusal.NOT_PDF_CONTENT_TYPE;
        }
        // A file renamed .pdf or sent with a PDF (or generic) content type must still start like one.
        if (content.length < MAGIC.length || !Arrays.equals(content, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return Refusal.NOT_PDF_CONTENT;
        }
        return null;
    }

    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
