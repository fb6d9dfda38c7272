package fr.actionlogement.territorial.observatory.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import fr.actionlogement.territorial.buildingblocks.persistence.PlainSql;
import fr.actionlogement.territorial.observatory.domain.ObservationPeriod;
import fr.actionlogement.territorial.observatory.domain.Viewer;

/**
 * What touches many observations at once, in plain SQL on the transaction's connection: a whole batch's
 * publication, the summary an event carries, an import's rejected rows and the streamed export. Single observations
 * are {@link ObservationEntity}.
 */
@ApplicationScoped
public class ObservationStore {

    public record Observation(long id, String territoryId, String indicator, String publicPrioritaire, String period,
            BigDecimal value, String source, String visibility, String producer, UUID batchId, long version,
            OffsetDateTime recordedAt) {
    }

    public record Filter(String territoryId, boolean includeSubTerritories, String indicator, String publicPrioritaire,
            LocalDate periodFrom, LocalDate periodTo, String visibility, String source, Long batchNo) {
    }

    /** What a publication made visible, for ObservationsPublished. */
    public record PublishedSummary(long count, List<String> territoryIds, long territoryCount, List<String> indicators,
            List<String> publics, String periodFrom, String periodTo) {
    }

    static final String COLUMNS = """
            o.id, o.territory_id, o.indicator, o.public_prioritaire, o.period_type, o.period_start, o.value, o.source,
            o.visibility, b.producer, b.import_id, o.version, b.created_at""";

    private final PlainSql sql;

    ObservationStore(PlainSql sql) {
        this.sql = sql;
    }

    public List<CsvObservationImport.Rejection> rejections(long batchNo, int limit, int offset) {
        return sql.query("SELECT line, reason FROM observation_rejection WHERE batch_no = ? ORDER BY line LIMIT ? OFFSET ?",
                rs -> new CsvObservationImport.Rejection(rs.getLong(1), rs.getString(2)), batchNo, limit, offset);
    }

    public long rejectionCount(long batchNo) {
        return sql.count("SELECT count(*) FROM observation_rejection WHERE batch_no = ?", batchNo);
    }

    /** Raises every observation of the batch below {@code visibility} to it (the batch itself is its entity). */
    public long publishBatch(long batchNo, String visibility) {
        return sql.update("""
                UPDATE observation SET visibility = ?, version = version + 1
                WHERE batch_no = ? AND array_position(ARRAY['DRAFT','SHARED','PUBLIC'], visibility)
                                     < array_position(ARRAY['DRAFT','SHARED','PUBLIC'], ?::text)""",
                visibility, batchNo, visibility);
    }

    public PublishedSummary summary(long batchNo, Long onlyId) {
        String where = onlyId == null ? "o.batch_no = ?" : "o.id = ?";
        Object arg = onlyId == null ? batchNo : onlyId;
        return sql
                .one("""
                        SELECT count(*), count(DISTINCT o.territory_id),
                               (SELECT array_agg(t) FROM (SELECT DISTINCT territory_id t FROM observation o WHERE %1$s ORDER BY 1 LIMIT 1000) x),
                               array_agg(DISTINCT o.indicator), array_agg(DISTINCT o.public_prioritaire),
                               min(o.period_start), max(o.period_start), min(o.period_type), max(o.period_type)
                        FROM observation o WHERE %1$s"""
                        .formatted(where), rs -> {
                            long count = rs.getLong(1);
                            if (count == 0) {
                                return new PublishedSummary(0, List.of(), 0, List.of(), List.of(), null, null);
                            }
                            LocalDate min = rs.getObject(6, LocalDate.class);
                            LocalDate max = rs.getObject(7, LocalDate.class);
                            char minType = rs.getString(8).charAt(0);
                            char maxType = rs.getString(9).charAt(0);
                            // a mix of monthly and yearly periods is shown by month
                            char type = minType == maxType ? minType : 'M';
                            return new PublishedSummary(count, List.of((String[]) rs.getArray(3).getArray()), rs.getLong(2),
                                    List.of((String[]) rs.getArray(4).getArray()),
                                    List.of((String[]) rs.getArray(5).getArray()),
                                    ObservationPeriod.format(type, min), ObservationPeriod.format(type, max));
                        }, arg, arg)
                .orElseThrow();
    }

    public interface RowSink {
        void accept(Observation o) throws IOException;
    }

    /**
     * Streams the matching observations through a server-side cursor, {@code fetchSize} rows at a time, in the
     * unique index's order (no sort). Runs in its own read-only transaction.
     */
    public long export(Filter f, Viewer viewer, int fetchSize, long maxRows, RowSink sink)
            throws SQLException, IOException {
        List<Object> args = new ArrayList<>();
        String sql = "SELECT " + COLUMNS + " FROM observation o JOIN observation_batch b ON b.batch_no = o.batch_no"
                + where(f, viewer, args)
                + " ORDER BY o.indicator, o.territory_id, o.public_prioritaire, o.period_start, o.period_type, o.source"
                + " LIMIT ?";
        args.add(maxRows);
        return withConnection(c -> {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false); // a cursor needs a transaction, else the driver reads everything at once
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(fetchSize);
                bind(ps, args);
                long n = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(read(rs));
                        n++;
                    }
                }
                return n;
            } finally {
                c.rollback();
                c.setAutoCommit(auto);
            }
        });
    }

    /** Imports a CSV file into batch {@code batchNo} with {@code COPY}, on the transaction's connection. */
    public CsvObservationImport.Result importCsv(CsvObservationImport importer, InputStream csv, long batchNo,
            String visibility) throws SQLException, IOException {
        return withConnection(c -> importer.run(c, csv, batchNo, visibility));
    }

    private interface ConnectionWork<T> {
        T run(Connection c) throws SQLException, IOException;
    }

    /** {@link PlainSql#withConnection} for work that also reads or writes a stream: both failures reach the caller. */
    private <T> T withConnection(ConnectionWork<T> work) throws SQLException, IOException {
        try {
            return sql.withConnection(c -> {
                try {
                    return work.run(c);
                } catch (IOException e) {
                    throw new StreamFailed(e);
                }
            });
        } catch (StreamFailed e) {
            throw e.io;
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof SQLException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static final class StreamFailed extends RuntimeException {
        final IOException io;

        StreamFailed(IOException io) {
            super(io);
            this.io = io;
        }
    }

    private static String where(Filter f, Viewer viewer, List<Object> args) {
        StringBuilder w = new StringBuilder(" WHERE true");
        if (f.territoryId() != null) {
            if (f.includeSubTerritories()) {
                w.append(" AND o.territory_id IN (SELECT territory_id FROM territory_ancestor WHERE ancestor_id = ?)");
            } else {
                w.append(" AND o.territory_id = ?");
            }
            args.add(f.territoryId());
        }
        if (f.indicator() != null) {
            w.append(" AND o.indicator = ?");
            args.add(f.indicator());
        }
        if (f.publicPrioritaire() != null) {
            w.append(" AND o.public_prioritaire = ?");
            args.add(f.publicPrioritaire());
        }
        if (f.periodFrom() != null) {
            w.append(" AND o.period_start >= ?");
            args.add(f.periodFrom());
        }
        if (f.periodTo() != null) {
            w.append(" AND o.period_start <= ?");
            args.add(f.periodTo());
        }
        if (f.visibility() != null) {
            w.append(" AND o.visibility = ?");
            args.add(f.visibility());
        }
        if (f.source() != null) {
            w.append(" AND o.source = ?");
            args.add(f.source());
        }
        if (f.batchNo() != null) {
            w.append(" AND o.batch_no = ?");
            args.add(f.batchNo());
        }
        // R-43 visibility: drafts to their producer and the UESL, shared ones to partners, public ones to everybody
        if (!viewer.ueslOrAdmin()) {
            w.append(viewer.partner() ? " AND (o.visibility IN ('SHARED', 'PUBLIC')" : " AND (o.visibility = 'PUBLIC'");
            w.append(" OR (o.visibility = 'DRAFT' AND b.producer = ?))");
            args.add(viewer.producer());
        }
        return w.toString();
    }

    private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            ps.setObject(i + 1, args.get(i));
        }
    }

    private static Observation read(ResultSet rs) throws SQLException {
        return new Observation(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                ObservationPeriod.format(rs.getString(5).charAt(0), rs.getObject(6, LocalDate.class)),
                AggregateQuery.plain(rs.getBigDecimal(7)), rs.getString(8), rs.getString(9), rs.getString(10),
                rs.getObject(11, UUID.class), rs.getLong(12), utc(rs.getTimestamp(13)));
    }

    private static OffsetDateTime utc(Timestamp t) {
        return t == null ? null : t.toInstant().atOffset(ZoneOffset.UTC);
    }
}
