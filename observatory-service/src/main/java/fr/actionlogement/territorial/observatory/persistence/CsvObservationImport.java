package fr.actionlogement.territorial.observatory.persistence;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** Imports into batch {@code batchNo} (already created) with the given visibility. */
    public Result run(Connection c, InputStream csv, long batchNo, String visibility) throws SQLException, IOException {
        List<Rejection> rejections = new ArrayList<>();
        long[] rejected = { 0 };
        BufferedReader in = new BufferedReader(new InputStreamReader(csv, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), BUFFER);
        try (Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TEMP TABLE obs_staging (line BIGINT, territory_id TEXT, indicator TEXT, public_prioritaire TEXT,
                        period TEXT, value TEXT, source TEXT) ON COMMIT DROP""");
        }
        long rowsRead;
        try {
            String header = in.readLine();
            if (header != null && header.startsWith("\uFEFF")) {
                header = header.substring(1); // a spreadsheet's byte-order mark
            }
            List<String> order = header(header);
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

        long invalid = reject(c, batchNo, rejections, rejected);
        long inserted = insert(c, batchNo, visibility);
        long valid = rowsRead - rejected[0] - invalid;
        long duplicates = valid - inserted;
        if (duplicates > 0) {
            rejectDuplicates(c, batchNo, rejections);
        }
        long totalRejected = rejected[0] + invalid + duplicates;
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
