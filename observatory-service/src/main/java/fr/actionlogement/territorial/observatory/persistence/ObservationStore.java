package fr.actionlogement.territorial.observatory.persistence;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import fr.actionlogement.territorial.observatory.domain.ObservationPeriod;
import fr.actionlogement.territorial.observatory.domain.Viewer;

/** Observations and their batches, in plain SQL: the table holds tens of millions of rows. */
@ApplicationScoped
public class ObservationStore {

    public record Observation(long id, String territoryId, String indicator, String publicPrioritaire, String period,
            BigDecimal value, String source, String visibility, String producer, UUID batchId, long version,
            OffsetDateTime recordedAt) {
    }

    public record Batch(long batchNo, UUID batchId, String kind, String producer, String createdBy,
            OffsetDateTime createdAt, String visibility, long rowsRead, long rowsImported, long rowsRejected,
            long version) {
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

    private final DataSource dataSource;

    ObservationStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Batch createBatch(String kind, String producer, String createdBy, Instant now, String visibility) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO observation_batch (batch_no, import_id, kind, producer, created_by, created_at, visibility)
                VALUES (nextval('observation_batch_seq'), ?, ?, ?, ?, ?, ?) RETURNING batch_no""")) {
            UUID id = UUID.randomUUID();
            ps.setObject(1, id);
            ps.setString(2, kind);
            ps.setString(3, producer);
            ps.setString(4, createdBy);
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setString(6, visibility);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Batch(rs.getLong(1), id, kind, producer, createdBy, now.atOffset(ZoneOffset.UTC), visibility,
                        0, 0, 0, 0);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public void batchCounts(long batchNo, long read, long imported, long rejected) {
        exec("UPDATE observation_batch SET rows_read = ?, rows_imported = ?, rows_rejected = ? WHERE batch_no = ?",
                read, imported, rejected, batchNo);
    }

    public Optional<Batch> batch(UUID batchId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT batch_no, import_id, kind, producer, created_by, created_at, visibility, rows_read, rows_imported,
                       rows_rejected, version FROM observation_batch WHERE import_id = ?""")) {
            ps.setObject(1, batchId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Batch(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getString(4), rs.getString(5), utc(rs.getTimestamp(6)), rs.getString(7), rs.getLong(8),
                        rs.getLong(9), rs.getLong(10), rs.getLong(11)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<CsvObservationImport.Rejection> rejections(long batchNo, int limit, int offset) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT line, reason FROM observation_rejection WHERE batch_no = ? ORDER BY line LIMIT ? OFFSET ?")) {
            ps.setLong(1, batchNo);
            ps.setInt(2, limit);
            ps.setInt(3, offset);
            List<CsvObservationImport.Rejection> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new CsvObservationImport.Rejection(rs.getLong(1), rs.getString(2)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public long rejectionCount(long batchNo) {
        return longValue("SELECT count(*) FROM observation_rejection WHERE batch_no = ?", batchNo);
    }

    /** @return the new id, or empty when the same territory, indicator, public, period and source exists */
    public Optional<Long> insert(long batchNo, String territoryId, String indicator, String publicPrioritaire,
            ObservationPeriod period, BigDecimal value, String source, String visibility) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO observation (batch_no, territory_id, indicator, public_prioritaire, period_type, period_start,
                                         value, source, visibility)
                VALUES (?, ?, ?, ?, ?::"char", ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id""")) {
            ps.setLong(1, batchNo);
            ps.setString(2, territoryId);
            ps.setString(3, indicator);
            ps.setString(4, publicPrioritaire);
            ps.setString(5, String.valueOf(period.type().code()));
            ps.setObject(6, period.start());
            ps.setBigDecimal(7, value);
            ps.setString(8, source);
            ps.setString(9, visibility);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public Optional<Observation> find(long id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                        + " FROM observation o JOIN observation_batch b ON b.batch_no = o.batch_no WHERE o.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Corrects the value and source; false if the version moved on meanwhile. */
    public boolean correct(long id, BigDecimal value, String source, long expectedVersion) {
        return exec("UPDATE observation SET value = ?, source = ?, version = version + 1 WHERE id = ? AND version = ?",
                value, source, id, expectedVersion) == 1;
    }

    public boolean publish(long id, String visibility, long expectedVersion) {
        return exec("UPDATE observation SET visibility = ?, version = version + 1 WHERE id = ? AND version = ?",
                visibility, id, expectedVersion) == 1;
    }

    /** Raises every observation of the batch below {@code visibility} to it. */
    public long publishBatch(long batchNo, String visibility) {
        long n = exec("""
                UPDATE observation SET visibility = ?, version = version + 1
                WHERE batch_no = ? AND array_position(ARRAY['DRAFT','SHARED','PUBLIC'], visibility)
                                     < array_position(ARRAY['DRAFT','SHARED','PUBLIC'], ?::text)""",
                visibility, batchNo, visibility);
        exec("UPDATE observation_batch SET visibility = ?, version = version + 1 WHERE batch_no = ?", visibility, batchNo);
        return n;
    }

    public PublishedSummary summary(long batchNo, Long onlyId) {
        String where = onlyId == null ? "o.batch_no = ?" : "o.id = ?";
        Object arg = onlyId == null ? batchNo : onlyId;
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        """
                                SELECT count(*), count(DISTINCT o.territory_id),
                                       (SELECT array_agg(t) FROM (SELECT DISTINCT territory_id t FROM observation o WHERE %1$s ORDER BY 1 LIMIT 1000) x),
                                       array_agg(DISTINCT o.indicator), array_agg(DISTINCT o.public_prioritaire),
                                       min(o.period_start), max(o.period_start), min(o.period_type), max(o.period_type)
                                FROM observation o WHERE %1$s"""
                                .formatted(where))) {
            ps.setObject(1, arg);
            ps.setObject(2, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
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
                        List.of((String[]) rs.getArray(4).getArray()), List.of((String[]) rs.getArray(5).getArray()),
                        ObservationPeriod.format(type, min), ObservationPeriod.format(type,
                                type == 'Y' ? max : max));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public long count(Filter f, Viewer viewer) {
        List<Object> args = new ArrayList<>();
        String sql = "SELECT count(*) FROM observation o JOIN observation_batch b ON b.batch_no = o.batch_no"
                + where(f, viewer, args);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<Observation> list(Filter f, Viewer viewer, String orderColumn, boolean descending, int limit,
            int offset) {
        List<Object> args = new ArrayList<>();
        String dir = descending ? " DESC" : " ASC";
        String sql = "SELECT " + COLUMNS + " FROM observation o JOIN observation_batch b ON b.batch_no = o.batch_no"
                + where(f, viewer, args) + " ORDER BY o." + orderColumn + dir + ", o.id" + dir + " LIMIT ? OFFSET ?";
        args.add(limit);
        args.add(offset);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            List<Observation> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public interface RowSink {
        void accept(Observation o) throws java.io.IOException;
    }

    /**
     * Streams the matching observations through a server-side cursor, {@code fetchSize} rows at a time, in the
     * unique index's order (no sort). Runs in its own read-only transaction.
     */
    public long export(Filter f, Viewer viewer, int fetchSize, long maxRows, RowSink sink)
            throws SQLException, java.io.IOException {
        List<Object> args = new ArrayList<>();
        String sql = "SELECT " + COLUMNS + " FROM observation o JOIN observation_batch b ON b.batch_no = o.batch_no"
                + where(f, viewer, args)
                + " ORDER BY o.indicator, o.territory_id, o.public_prioritaire, o.period_start, o.period_type, o.source"
                + " LIMIT ?";
        args.add(maxRows);
        try (Connection c = dataSource.getConnection()) {
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

    private int exec(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long longValue(String sql, Object arg) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
