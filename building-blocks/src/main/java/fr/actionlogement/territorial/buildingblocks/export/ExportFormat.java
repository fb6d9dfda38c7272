package fr.actionlogement.territorial.buildingblocks.export;

import java.util.Locale;

import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;

/**
 * The two formats of a streamed list export (conventions, agreements): CSV (RFC 4180, formula-safe, see
 * {@link CsvWriter}) or JSON lines (one JSON object per line, see {@link JsonLinesWriter}). Chosen by a
 * {@code format} query parameter first, else by the {@code Accept} header; CSV by default.
 */
public enum ExportFormat {
    CSV("text/csv", "text/csv; charset=UTF-8", "csv"),
    JSON_LINES("application/x-ndjson", "application/x-ndjson; charset=UTF-8", "jsonl");

    public static final String CSV_TYPE = "text/csv";
    public static final String JSON_LINES_TYPE = "application/x-ndjson";

    private final String mediaType;
    private final String contentType;
    private final String extension;

    ExportFormat(String mediaType, String contentType, String extension) {
        this.mediaType = mediaType;
        this.contentType = contentType;
        this.extension = extension;
    }

    /**
     * The format asked for: {@code format} ({@code csv} or {@code jsonl}, 400 otherwise) wins; else the first of
     * {@code text/csv} and {@code application/x-ndjson} the {@code Accept} header names; else CSV.
     */
    public static ExportFormat negotiate(String format, String accept) {
        if (format != null && !format.isBlank()) {
            return switch (format.trim().toLowerCase(Locale.ROOT)) {
                case "csv" -> CSV;
                case "jsonl", "ndjson" -> JSON_LINES;
                default -> throw ProblemException.invalid("format", "must be csv or jsonl");
            };
        }
        if (accept != null) {
            String a = accept.toLowerCase(Locale.ROOT);
            int csv = a.indexOf(CSV_TYPE);
            int jsonl = a.indexOf(JSON_LINES_TYPE);
            if (jsonl >= 0 && (csv < 0 || jsonl < csv)) {
                return JSON_LINES;
            }
        }
        return CSV;
    }

    /** The bare media type ({@code text/csv}, {@code application/x-ndjson}). */
    public String mediaType() {
        return mediaType;
    }

    /** The Content-Type of the answer, with its charset. */
    public String contentType() {
        return contentType;
    }

    /** {@code Content-Disposition} value naming a download file {@code <baseName>.<csv|jsonl>}. */
    public String attachment(String baseName) {
        return "attachment; filename=\"" + baseName + "." + extension + "\"";
    }
}
