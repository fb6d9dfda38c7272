package fr.actionlogement.territorial.observatory.persistence;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import fr.actionlogement.territorial.observatory.domain.ObservationPeriod;
import fr.actionlogement.territorial.observatory.domain.PublicPrioritaire;

/**
 * R-43 bulk import of observations, streamed: the CSV is read line by line and piped into a temporary staging table
 * with PostgreSQL COPY, then validated and inserted in SQL. Rows that cannot be read are reported with their line
 * and reason; a fatal error (bad header, not UTF-8, too many rejected rows) rolls the whole import back.
 *
 * <p>
 * Plain JDBC on the caller's connection and transaction, so the benchmark runs exactly this code.
 */
public final class CsvObservationImport {

    /** CSV column name to staging column. */
    public static final Map<String, String> COLUMNS = columns();

    public record Rejection(long line, String reason) {
    }

    public record Result(long rowsRead, long rowsImported, long rowsRejected, List<Rejection> rejections) {
    }

    /** The import cannot go on; nothing of it is kept. */
    public static final class ImportFailure extends RuntimeException {
        private final transient Result partial;

        public ImportFailure(String message, Result partial) {
            super(message);
            this.partial = partial;
        }

        public Result partial() {
            return partial;
        }
    }

    private static final int BUFFER = 1 << 16;
    /** Milliseconds per phase of the last run, for the benchmark. */
    private final Map<String, Long> phases = new LinkedHashMap<>();
    private final int reported;
    private final long maxRejected;

    /**
     * @param maxRejected rejected rows tolerated; one more is fatal
     * @param reported how many rejected rows to keep in the report (the count stays exact)
     */
    public CsvObservationImport(long maxRejected, int reported) {
        this.maxRejected = maxRejected;
        this.reported = reported;
    }

    /**
     * Imports into batch {@code batchNo} (already created) with the given visibility.
     *
     * <p>
     * Fast path: each row is checked in Java against the catalogue and the territory reference and the good rows are
     * COPYed straight into the observation table, under a savepoint. Only when a row collides with an existing
     * observation (or repeats one of the file) does the import roll back to the savepoint and take the staged path,
     * which finds the duplicates in SQL; the body is spooled to a temporary file meanwhile so it can be read again.
     */
    public Result run(Connection c, InputStream csv, long batchNo, String visibility) throws SQLException, IOException {
        phases.clear();
        lastLap = System.nanoTime();
        // R-44 pre-aggregate (migration V4): the batch is rolled up in one statement once written, not row by row
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL observatory.rollup_deferred = 'on'");
        }
        Result r = write(c, csv, batchNo, visibility);
        try (PreparedStatement ps = c.prepareStatement("SELECT observation_rollup_batch(?)")) {
            ps.setLong(1, batchNo);
            ps.execute();
        }
        lap("rollup");
        // a failed import rolls its whole transaction back, setting included; a good one gives the row trigger back
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL observatory.rollup_deferred = 'off'");
        }
        return r;
    }

    private Result write(Connection c, InputStream csv, long batchNo, String visibility) throws SQLException, IOException {
        Path spool = Files.createTempFile("observation-import", ".csv");
        try {
            Tee tee = new Tee(csv, spool);
            BufferedReader in = reader(tee);
            try (Statement s = c.createStatement()) {
                s.execute("SAVEPOINT observation_import");
            }
            try {
                Result r = direct(c, in, batchNo, visibility);
                try (Statement s = c.createStatement()) {
                    s.execute("RELEASE SAVEPOINT observation_import");
                }
                return r;
            } catch (SQLException e) {
                // 23505: a duplicate; anything else COPY refused: the staged path reports it row by row
                try (Statement s = c.createStatement()) {
                    s.execute("ROLLBACK TO SAVEPOINT observation_import");
                }
                tee.drain();
                lap("direct");
                try (InputStream again = Files.newInputStream(spool)) {
                    return staged(c, reader(again), batchNo, visibility);
                }
            } finally {
                tee.close();
            }
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    private static BufferedReader reader(InputStream in) {
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), BUFFER);
    }

    private Result direct(Connection c, BufferedReader in, long batchNo, String visibility)
            throws SQLException, IOException {
        List<Rejection> rejections = new ArrayList<>();
        Set<String> territories = strings(c, "SELECT territory_id FROM territory WHERE NOT retired");
        Set<String> indicators = strings(c, "SELECT code FROM indicator");
        long rowsRead = 0;
        long rejected = 0;
        long inserted;
        try {
            List<String> order = header(readHeader(in));
            int[] at = new int[COLUMNS.size()];
            List<String> names = List.copyOf(COLUMNS.values());
            for (int i = 0; i < order.size(); i++) {
                at[names.indexOf(order.get(i))] = i;
            }
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("""
                    COPY observation (batch_no, territory_id, indicator, public_prioritaire, period_type, period_start,
                                      value, source, visibility) FROM STDIN WITH (FORMAT csv)""");
            try {
                StringBuilder out = new StringBuilder(BUFFER + 1024);
                String prefix = batchNo + ",";
                String suffix = "," + visibility + "\n";
                String line;
                long lineNo = 1;
                String[] f = new String[COLUMNS.size()];
                while ((line = in.readLine()) != null) {
                    lineNo++;
                    if (line.isBlank()) {
                        continue;
                    }
                    rowsRead++;
                    int count = split(line, f);
                    String reason = count < 0 ? "unterminated quoted field"
                            : count != f.length ? "expected " + f.length + " fields, found " + count
                                    : check(f[at[0]], f[at[1]], f[at[2]], f[at[3]], f[at[4]], f[at[5]], territories,
                                            indicators);
                    if (reason != null) {
                        rejected++;
                        keep(rejections, new Rejection(lineNo, reason));
                        continue;
                    }
                    String period = f[at[3]];
                    boolean year = period.length() == 4;
                    out.append(prefix).append(f[at[0]]).append(',').append(f[at[1]]).append(',').append(f[at[2]])
                            .append(year ? ",Y," : ",M,").append(period).append(year ? "-01-01," : "-01,")
                            .append(f[at[4]]).append(",\"").append(f[at[5]].replace("\"", "\"\"")).append('"')
                            .append(suffix);
                    if (out.length() >= BUFFER) {
                        flush(copy, out);
                    }
                }
                flush(copy, out);
                inserted = copy.endCopy();
            } finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
        } catch (CharacterCodingException e) {
            throw new ImportFailure("the file is not UTF-8 text", null);
        }
        lap("direct");
        return finish(c, batchNo, rejections, rowsRead, inserted, rejected);
    }

    /** The checks of {@link #reject}, in the same order and with the same reasons. */
    private static String check(String territory, String indicator, String pub, String period, String value,
            String source, Set<String> territories, Set<String> indicators) {
        if (territory == null) {
            return "territoryId: missing";
        }
        if (!territories.contains(territory)) {
            return "territoryId: unknown territory " + (territory.length() > 40 ? territory.substring(0, 40) : territory);
        }
        if (indicator == null) {
            return "indicator: missing";
        }
        if (!indicators.contains(indicator)) {
            return "indicator: not in the catalogue: " + (indicator.length() > 40 ? indicator.substring(0, 40) : indicator);
        }
        if (pub == null || !PUBLIC_SET.contains(pub)) {
            return "publicPrioritaire: one of " + PUBLICS.replace("'", "");
        }
        if (period == null || !PERIOD.matcher(period).matches()) {
            return "period: a year (2024) or a month (2024-03)";
        }
        if (value == null || !VALUE.matcher(value).matches()) {
            return "value: a number of at least 0 with at most 4 decimals";
        }
        if (source == null || source.length() > 100) {
            return "source: required, at most 100 characters";
        }
        return null;
    }

    /**
     * Splits a CSV line into {@code fields} as COPY would read it (an unquoted empty field is null); returns the
     * number of fields, or -1 for an unterminated quote.
     */
    static int split(String line, String[] fields) {
        int count = 0;
        int i = 0;
        int n = line.length();
        while (true) {
            String value;
            if (i < n && line.charAt(i) == '"') {
                StringBuilder b = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < n) {
                    char ch = line.charAt(i++);
                    if (ch == '"') {
                        if (i < n && line.charAt(i) == '"') {
                            b.append('"');
                            i++;
                        } else {
                            closed = true;
                            break;
                        }
                    } else {
                        b.append(ch);
                    }
                }
                if (!closed) {
                    return -1;
                }
                int comma = line.indexOf(',', i);
                // text after a closing quote is kept, as COPY would refuse it anyway
                value = b.append(line, i, comma < 0 ? n : comma).toString();
                i = comma < 0 ? n : comma;
            } else {
                int comma = line.indexOf(',', i);
                int stop = comma < 0 ? n : comma;
                if (line.indexOf('"', i) >= 0 && line.indexOf('"', i) < stop) {
                    return -1; // a quote inside an unquoted field
                }
                value = stop == i ? null : line.substring(i, stop);
                i = stop;
            }
            if (count < fields.length) {
                fields[count] = value;
            }
            count++;
            if (i >= n) {
                return count;
            }
            i++; // the comma
            if (i == n) {
                if (count < fields.length) {
                    fields[count] = null;
                }
                return count + 1;
            }
        }
    }

    private static Set<String> strings(Connection c, String sql) throws SQLException {
        Set<String> out = new HashSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static String readHeader(BufferedReader in) throws IOException {
        String header = in.readLine();
        if (header != null && header.startsWith("\uFEFF")) {
            header = header.substring(1); // a spreadsheet's byte-order mark
        }
        return header;
    }

    /** The staged path: COPY into a temporary table, then check and insert in SQL. */
    private Result staged(Connection c, BufferedReader in, long batchNo, String visibility)
            throws SQLException, IOException {
        List<Rejection> rejections = new ArrayList<>();
        long[] rejected = { 0 };
        try (Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TEMP TABLE obs_staging (line BIGINT, territory_id TEXT, indicator TEXT, public_prioritaire TEXT,
                        period TEXT, value TEXT, source TEXT) ON COMMIT DROP""");
        }
        long rowsRead;
        try {
            List<String> order = header(readHeader(in));
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY obs_staging (line, " + String.join(", ", order) + ") FROM STDIN WITH (FORMAT csv)");
            try {
                rowsRead = pipe(in, copy, order.size(), rejections, rejected);
                copy.endCopy();
            } finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
        } catch (CharacterCodingException e) {
            throw new ImportFailure("the file is not UTF-8 text", null);
        } catch (SQLException e) {
            // COPY refuses what the line check let through (e.g. a quote inside an unquoted field)
            throw new ImportFailure("the file is not valid CSV: " + firstLine(e.getMessage()), null);
        }

        lap("copy");
        try (Statement s = c.createStatement()) {
            s.execute("ANALYZE obs_staging"); // a fresh temporary table has no statistics: plan the checks on real ones
        }
        lap("analyze");
        long invalid = reject(c, batchNo, rejections, rejected);
        lap("check");
        long inserted = insert(c, batchNo, visibility);
        lap("insert");
        long valid = rowsRead - rejected[0] - invalid;
        long duplicates = valid - inserted;
        if (duplicates > 0) {
            rejectDuplicates(c, batchNo, rejections);
        }
        return finish(c, batchNo, rejections, rowsRead, inserted, rejected[0] + invalid + duplicates);
    }

    private Result finish(Connection c, long batchNo, List<Rejection> rejections, long rowsRead, long inserted,
            long totalRejected) throws SQLException {
        rejections.sort((a, b) -> Long.compare(a.line(), b.line()));
        List<Rejection> report = rejections.size() > reported ? List.copyOf(rejections.subList(0, reported))
                : List.copyOf(rejections);
        Result result = new Result(rowsRead, inserted, totalRejected, report);
        if (totalRejected > maxRejected) {
            throw new ImportFailure(totalRejected + " rows rejected, more than the " + maxRejected
                    + " tolerated: nothing was imported", result);
        }
        storeReport(c, batchNo, report);
        return result;
    }

    /** Copies what is read to a spool file, so that the body can be read a second time. */
    private static final class Tee extends java.io.FilterInputStream {
        private final java.io.OutputStream copy;

        Tee(InputStream in, Path spool) throws IOException {
            super(in);
            this.copy = new java.io.BufferedOutputStream(Files.newOutputStream(spool), BUFFER);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                copy.write(b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                copy.write(b, off, n);
            }
            return n;
        }

        /** Reads the rest, then flushes the spool. */
        void drain() throws IOException {
            byte[] buf = new byte[BUFFER];
            while (read(buf, 0, buf.length) >= 0) {
                // spooled by read()
            }
            copy.flush();
        }

        @Override
        public void close() throws IOException {
            copy.close();
        }
    }

    private long lastLap;

    private void lap(String phase) {
        long now = System.nanoTime();
        phases.put(phase, (now - lastLap) / 1_000_000);
        lastLap = now;
    }

    public Map<String, Long> phases() {
        return phases;
    }

    private static List<String> header(String header) {
        if (header == null || header.isBlank()) {
            throw new ImportFailure("the file is empty: expected a header line " + String.join(",", COLUMNS.keySet()),
                    null);
        }
        List<String> order = new ArrayList<>();
        for (String name : header.split(",", -1)) {
            String col = COLUMNS.get(name.strip().replace("\"", ""));
            if (col == null || order.contains(col)) {
                throw new ImportFailure("header: unknown or repeated column '" + name.strip() + "'; expected "
                        + String.join(",", COLUMNS.keySet()), null);
            }
            order.add(col);
        }
        if (order.size() != COLUMNS.size()) {
            throw new ImportFailure("header: expected the columns " + String.join(",", COLUMNS.keySet()), null);
        }
        return order;
    }

    /** Sends every well-formed line to COPY with its line number; counts and reports the others. */
    private long pipe(BufferedReader in, CopyIn copy, int fields, List<Rejection> rejections, long[] rejected)
            throws IOException, SQLException {
        StringBuilder out = new StringBuilder(BUFFER + 1024);
        long lineNo = 1;
        long rows = 0;
        String line;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            rows++;
            int count = fieldCount(line);
            if (count != fields) {
                rejected[0]++;
                keep(rejections, new Rejection(lineNo, count < 0 ? "unterminated quoted field"
                        : "expected " + fields + " fields, found " + count));
                continue;
            }
            out.append(lineNo).append(',').append(line).append('\n');
            if (out.length() >= BUFFER) {
                flush(copy, out);
            }
        }
        flush(copy, out);
        return rows;
    }

    private static void flush(CopyIn copy, StringBuilder out) throws SQLException {
        if (out.isEmpty()) {
            return;
        }
        byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        out.setLength(0);
    }

    /** Number of CSV fields on the line, or -1 if a quoted field is not closed (no line breaks inside fields). */
    static int fieldCount(String line) {
        int count = 1;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '"') {
                quoted = !quoted; // an escaped quote ("") toggles twice
            } else if (ch == ',' && !quoted) {
                count++;
            }
        }
        return quoted ? -1 : count;
    }

    private static final Pattern PERIOD = Pattern.compile(ObservationPeriod.PATTERN);
    private static final Pattern VALUE = Pattern.compile("^[0-9]{1,14}(\\.[0-9]{1,4})?$");
    private static final Set<String> PUBLIC_SET = Set.copyOf(
            java.util.Arrays.stream(PublicPrioritaire.values()).map(Enum::name).toList());
    private static final String PUBLICS = "'" + String.join("','",
            java.util.Arrays.stream(PublicPrioritaire.values()).map(Enum::name).toList()) + "'";

    /** Every staging row that fails a check, with the first reason; counts them all, keeps the first few. */
    private long reject(Connection c, long batchNo, List<Rejection> rejections, long[] rejected) throws SQLException {
        String sql = """
                SELECT line, reason FROM (
                  SELECT s.line, CASE
                    WHEN s.territory_id IS NULL THEN 'territoryId: missing'
                    WHEN t.territory_id IS NULL THEN 'territoryId: unknown territory ' || left(s.territory_id, 40)
                    WHEN s.indicator IS NULL THEN 'indicator: missing'
                    WHEN i.code IS NULL THEN 'indicator: not in the catalogue: ' || left(s.indicator, 40)
                    WHEN s.public_prioritaire IS NULL OR s.public_prioritaire NOT IN (%s)
                      THEN 'publicPrioritaire: one of %s'
                    WHEN s.period IS NULL OR s.period !~ '%s' THEN 'period: a year (2024) or a month (2024-03)'
                    WHEN s.value IS NULL OR s.value !~ '^[0-9]{1,14}(\\.[0-9]{1,4})?$'
                      THEN 'value: a number of at least 0 with at most 4 decimals'
                    WHEN s.source IS NULL OR length(s.source) > 100 THEN 'source: required, at most 100 characters'
                  END AS reason
                  FROM obs_staging s
                  LEFT JOIN territory t ON t.territory_id = s.territory_id AND NOT t.retired
                  LEFT JOIN indicator i ON i.code = s.indicator) r
                WHERE reason IS NOT NULL""".formatted(PUBLICS, PUBLICS.replace("'", ""), ObservationPeriod.PATTERN);
        long count = 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                count++;
                keep(rejections, new Rejection(rs.getLong(1), rs.getString(2)));
            }
        }
        return count;
    }

    private long insert(Connection c, long batchNo, String visibility) throws SQLException {
        // The same checks as reject(), as a filter: the rows it reported are exactly the ones left out here.
        String sql = """
                INSERT INTO observation (batch_no, territory_id, indicator, public_prioritaire, period_type, period_start,
                                         value, source, visibility)
                SELECT ?, s.territory_id, s.indicator, s.public_prioritaire,
                       CASE WHEN length(s.period) = 4 THEN 'Y' ELSE 'M' END::"char",
                       (s.period || CASE WHEN length(s.period) = 4 THEN '-01-01' ELSE '-01' END)::date,
                       s.value::numeric(18, 4), s.source, ?
                FROM obs_staging s
                JOIN territory t ON t.territory_id = s.territory_id AND NOT t.retired
                JOIN indicator i ON i.code = s.indicator
                WHERE s.public_prioritaire IN (%s)
                  AND s.period ~ '%s'
                  AND s.value ~ '^[0-9]{1,14}(\\.[0-9]{1,4})?$'
                  AND s.source IS NOT NULL AND length(s.source) <= 100
                ORDER BY s.line
                ON CONFLICT DO NOTHING""".formatted(PUBLICS, ObservationPeriod.PATTERN);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, batchNo);
            ps.setString(2, visibility);
            return ps.executeUpdate();
        }
    }

    /** Lines whose observation already existed, or that repeat an earlier line of the file. */
    private void rejectDuplicates(Connection c, long batchNo, List<Rejection> rejections) throws SQLException {
        String sql = """
                SELECT s.line FROM (
                  SELECT s.*, row_number() OVER (PARTITION BY territory_id, indicator, public_prioritaire, period, source
                                                 ORDER BY line) AS rn
                  FROM obs_staging s
                  WHERE s.public_prioritaire IN (%s) AND s.period ~ '%s'
                    AND s.value ~ '^[0-9]{1,14}(\\.[0-9]{1,4})?$' AND s.source IS NOT NULL AND length(s.source) <= 100) s
                JOIN observation o ON o.indicator = s.indicator AND o.territory_id = s.territory_id
                  AND o.public_prioritaire = s.public_prioritaire AND o.source = s.source
                  AND o.period_start = (s.period || CASE WHEN length(s.period) = 4 THEN '-01-01' ELSE '-01' END)::date
                  AND o.period_type = CASE WHEN length(s.period) = 4 THEN 'Y' ELSE 'M' END::"char"
                WHERE o.batch_no <> ? OR s.rn > 1
                ORDER BY s.line""".formatted(PUBLICS, ObservationPeriod.PATTERN);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, batchNo);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keep(rejections, new Rejection(rs.getLong(1),
                            "duplicate: an observation with this territory, indicator, public, period and source exists"));
                }
            }
        }
    }

    private void keep(List<Rejection> rejections, Rejection r) {
        // keep a bit more than reported so that sorting by line still shows the first ones
        if (rejections.size() < reported * 2L) {
            rejections.add(r);
        }
    }

    private static void storeReport(Connection c, long batchNo, List<Rejection> report) throws SQLException {
        if (report.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO observation_rejection (batch_no, line, reason) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (Rejection r : report) {
                ps.setLong(1, batchNo);
                ps.setLong(2, r.line());
                ps.setString(3, r.reason());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static Map<String, String> columns() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("territoryId", "territory_id");
        m.put("indicator", "indicator");
        m.put("publicPrioritaire", "public_prioritaire");
        m.put("period", "period");
        m.put("value", "value");
        m.put("source", "source");
        return m;
    }
}
