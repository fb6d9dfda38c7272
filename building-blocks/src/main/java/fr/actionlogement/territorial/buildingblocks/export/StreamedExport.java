package fr.actionlogement.territorial.buildingblocks.export;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import jakarta.persistence.EntityManager;
import jakarta.ws.rs.core.StreamingOutput;

import org.hibernate.Session;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The body of a list export (conventions, agreements): the rows of a query read through a database cursor in a
 * read-only transaction of their own (so PostgreSQL streams them {@code fetch size} at a time), each written at once
 * as a CSV record ({@link CsvWriter}) or a JSON line ({@link JsonLinesWriter}), the persistence context cleared every
 * {@link #CLEAR_EVERY} rows: nothing holds the whole result. Wrap it with {@link Exports#stream} for the shared
 * limits. The query must be built before (on the request: filters and the caller's visibility resolved there).
 */
public final class StreamedExport<T> implements StreamingOutput {

    /** Rows fetched per round trip (a hint to give the query) and between two clears of the persistence context. */
    public static final int CLEAR_EVERY = 200;

    private final ExportFormat format;
    private final ObjectMapper mapper;
    private final List<String> header;
    private final Supplier<Stream<T>> rows;
    private final Function<T, List<?>> csvRow;
    private final Function<T, Object> jsonRow;

    /**
     * @param rows opens the query's stream (called inside the export's transaction), e.g. a Panache query's
     *        {@code withHint(HibernateHints.HINT_FETCH_SIZE, CLEAR_EVERY).stream()}
     * @param csvRow the cells of one CSV record, in {@code header}'s order
     * @param jsonRow the value written as one JSON line (usually the list's item view)
     */
    public StreamedExport(ExportFormat format, ObjectMapper mapper, List<String> header,
            Supplier<Stream<T>> rows, Function<T, List<?>> csvRow, Function<T, Object> jsonRow) {
        this.format = format;
        this.mapper = mapper;
        this.header = header;
        this.rows = rows;
        this.csvRow = csvRow;
        this.jsonRow = jsonRow;
    }

    @Override
    public void write(OutputStream out) throws IOException {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                try {
                    writeRows(out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void writeRows(OutputStream out) throws IOException {
        // The transaction's persistence context (the services' resources never touch the EntityManager themselves).
        EntityManager em = Panache.getEntityManager();
        em.unwrap(Session.class).setDefaultReadOnly(true);
        CsvWriter csv = format == ExportFormat.CSV ? new CsvWriter(out) : null;
        JsonLinesWriter jsonl = format == ExportFormat.JSON_LINES ? new JsonLinesWriter(out, mapper) : null;
        if (csv != null) {
            csv.row(header);
        }
        try (Stream<T> s = rows.get()) {
            Iterator<T> it = s.iterator();
            int n = 0;
            while (it.hasNext()) {
                T row = it.next();
                if (csv != null) {
                    csv.row(csvRow.apply(row));
                } else {
                    jsonl.write(jsonRow.apply(row));
                }
                if (++n % CLEAR_EVERY == 0) {
                    em.clear(); // the rows written so far leave the persistence context
                }
            }
        }
        if (csv != null) {
            csv.flush();
        } else {
            jsonl.flush();
        }
    }
}
