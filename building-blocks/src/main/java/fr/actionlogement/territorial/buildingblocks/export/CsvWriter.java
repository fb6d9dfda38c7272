package fr.actionlogement.territorial.buildingblocks.export;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Writes CSV as RFC 4180 says (comma separated, CRLF after each record, a field holding a comma, a double quote,
 * CR or LF is enclosed in double quotes and its double quotes doubled), row by row onto a stream, never holding
 * more than a buffer. Formula-safe, as OWASP recommends against CSV injection: a text cell starting with
 * {@code = + - @}, a tab or a CR is prefixed with a single quote, so a spreadsheet shows it as text and never runs
 * it. Numbers ({@link Number} cells) are written as they are (a negative amount stays a number).
 * <p>
 * Flush (or close) at the end; {@link #close()} closes the underlying stream too.
 */
public final class CsvWriter implements AutoCloseable {

    private final Writer out;

    public CsvWriter(OutputStream out) {
        this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    }

    /** Writes one record: each cell through {@link #cell(Object)}, then CRLF. */
    public CsvWriter row(Object... cells) throws IOException {
        return row(Arrays.asList(cells));
    }

    /** Writes one record: each cell through {@link #cell(Object)}, then CRLF. */
    public CsvWriter row(Collection<?> cells) throws IOException {
        boolean first = true;
        for (Object c : cells) {
            if (!first) {
                out.write(',');
            }
            out.write(cell(c));
            first = false;
        }
        out.write("\r\n");
        return this;
    }

    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /**
     * One cell's text: null is empty; a number is written plainly; a collection is its items joined with
     * {@code "; "}; anything else is its {@code toString()}, neutralised when it starts like a formula, then quoted
     * when RFC 4180 requires it.
     */
    public static String cell(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Number n) {
            return n.toString();
        }
        if (value instanceof Collection<?> items) {
            return text(String.join("; ", items.stream().map(i -> i == null ? "" : i.toString()).toList()));
        }
        return text(value.toString());
    }

    /** A text cell: formula-neutralised, then quoted if needed. */
    public static String text(String s) {
        if (s == null || s.isEmpty()) {
            return "";
        }
        String t = startsLikeFormula(s) ? "'" + s : s;
        boolean quote = false;
        for (int i = 0; i < t.length() && !quote; i++) {
            char c = t.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        return quote ? '"' + t.replace("\"", "\"\"") + '"' : t;
    }

    /** {@code = + - @}, tab or CR first: a spreadsheet would read the cell as a formula. */
    public static boolean startsLikeFormula(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        char c = s.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    }

    /** Convenience for a header row. */
    public CsvWriter header(List<String> names) throws IOException {
        return row(names);
    }
}
