package fr.actionlogement.territorial.buildingblocks.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Writes JSON lines (application/x-ndjson): each value as one compact JSON document followed by {@code \n}, onto a
 * stream, never holding more than one value and a buffer. Line breaks inside strings are escaped by JSON itself, so
 * a line is always one record. Uses the service's {@link ObjectMapper} (same dates and enums as its JSON answers).
 * {@link #close()} closes the underlying stream too.
 */
public final class JsonLinesWriter implements AutoCloseable {

    private final OutputStream out;
    private final ObjectWriter writer;

    public JsonLinesWriter(OutputStream out, ObjectMapper mapper) {
        this.out = new BufferedOutputStream(out, 1 << 16);
        this.writer = mapper.writer().without(SerializationFeature.INDENT_OUTPUT);
    }

    public JsonLinesWriter write(Object value) throws IOException {
        out.write(writer.writeValueAsBytes(value));
        out.write('\n');
        return this;
    }

    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
