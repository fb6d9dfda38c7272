package fr.actionlogement.territorial.observatory.persistence;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.actionlogement.territorial.observatory.domain.NeedsStudy;
import fr.actionlogement.territorial.observatory.domain.StudyStatus;

/** Needs studies: the aggregate as JSONB next to the columns its filters and row-level rules need. */
@ApplicationScoped
public class StudyRepository {

    /** A stored study with its bookkeeping. */
    public record Stored(NeedsStudy study, long version, String regionCode, String createdBy, OffsetDateTime createdAt,
            OffsetDateTime updatedAt, boolean reportAttached) {
    }

    /** Who may see unpublished studies: the launching CILs, the financers, the délégué of the region. */
    public record Reader(boolean all, List<String> cilIds, List<String> partnerIds, String region) {
    }

    public record Filter(String territoryId, StudyStatus status, String cilId) {
    }

    private final DataSource dataSource;
    private final ObjectMapper mapper;

    StudyRepository(DataSource dataSource, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    public void insert(NeedsStudy s, String regionCode, String createdBy, Instant now) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO needs_study (id, title, territory_id, region_code, status, launching_cil_ids, financer_ids,
                                         body, version, created_by, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), 0, ?, ?, ?)""")) {
            ps.setObject(1, s.id());
            ps.setString(2, s.title());
            ps.setString(3, s.territoryId());
            ps.setString(4, regionCode);
            ps.setString(5, s.status().name());
            ps.setArray(6, c.createArrayOf("text", s.launchingCilIds().toArray()));
            ps.setArray(7, c.createArrayOf("text", financers(s)));
            ps.setString(8, json(s));
            ps.setString(9, createdBy);
            ps.setTimestamp(10, Timestamp.from(now));
            ps.setTimestamp(11, Timestamp.from(now));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not store study " + s.id(), e);
        }
    }

    /** Writes the new state if nobody changed it since {@code expectedVersion} was read. */
    public boolean update(NeedsStudy s, long expectedVersion, Instant now) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                UPDATE needs_study SET title = ?, territory_id = ?, status = ?, launching_cil_ids = ?, financer_ids = ?,
                       body = CAST(? AS jsonb), version = version + 1, updated_at = ?
                WHERE id = ? AND version = ?""")) {
            ps.setString(1, s.title());
            ps.setString(2, s.territoryId());
            ps.setString(3, s.status().name());
            ps.setArray(4, c.createArrayOf("text", s.launchingCilIds().toArray()));
            ps.setArray(5, c.createArrayOf("text", financers(s)));
            ps.setString(6, json(s));
            ps.setTimestamp(7, Timestamp.from(now));
            ps.setObject(8, s.id());
            ps.setLong(9, expectedVersion);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("could not update study " + s.id(), e);
        }
    }

    public Optional<Stored> find(UUID id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT + " WHERE s.id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read study " + id, e);
        }
    }

    public long count(Filter filter, Reader reader) {
        List<Object> args = new ArrayList<>();
        String where = where(filter, reader, args);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM needs_study s" + where)) {
            bind(c, ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not count studies", e);
        }
    }

    /** @param orderBy a whitelisted column, see the resource's sortable fields */
    public List<Stored> list(Filter filter, Reader reader, String orderBy, boolean descending, int limit, int offset) {
        List<Object> args = new ArrayList<>();
        String dir = descending ? " DESC" : " ASC";
        String sql = SELECT + where(filter, reader, args) + " ORDER BY s." + orderBy + dir + ", s.id" + dir
                + " LIMIT ? OFFSET ?";
        args.add(limit);
        args.add(offset);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(c, ps, args);
            List<Stored> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("could not list studies", e);
        }
    }

    public void attachReport(UUID id, String fileName, String mediaType, byte[] content) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO needs_study_report (study_id, file_name, media_type, content) VALUES (?, ?, ?, ?)
                ON CONFLICT (study_id) DO UPDATE SET file_name = excluded.file_name, media_type = excluded.media_type,
                    content = excluded.content, uploaded_at = now()""")) {
            ps.setObject(1, id);
            ps.setString(2, fileName);
            ps.setString(3, mediaType);
            ps.setBytes(4, content);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not store the report of study " + id, e);
        }
    }

    public record Report(String fileName, String mediaType, byte[] content) {
    }

    public Optional<Report> report(UUID id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT file_name, media_type, content FROM needs_study_report WHERE study_id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Report(rs.getString(1), rs.getString(2), rs.getBytes(3)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the report of study " + id, e);
        }
    }

    private static final String SELECT = """
            SELECT s.body, s.version, s.region_code, s.created_by, s.created_at, s.updated_at,
                   EXISTS (SELECT 1 FROM needs_study_report r WHERE r.study_id = s.id)
            FROM needs_study s""";

    private static String where(Filter f, Reader reader, List<Object> args) {
        StringBuilder w = new StringBuilder(" WHERE true");
        if (f.territoryId() != null) {
            w.append(" AND s.territory_id = ?");
            args.add(f.territoryId());
        }
        if (f.status() != null) {
            w.append(" AND s.status = ?");
            args.add(f.status().name());
        }
        if (f.cilId() != null) {
            w.append(" AND s.launching_cil_ids @> ?");
            args.add(new String[] { f.cilId() });
        }
        if (!reader.all()) {
            w.append(" AND (s.status = 'PUBLISHED' OR s.launching_cil_ids && ? OR s.financer_ids && ?");
            args.add(reader.cilIds().toArray(String[]::new));
            args.add(reader.partnerIds().toArray(String[]::new));
            if (reader.region() != null) {
                w.append(" OR s.region_code = ?");
                args.add(reader.region());
            }
            w.append(")");
        }
        return w.toString();
    }

    private static void bind(Connection c, PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof String[] arr) {
                Array array = c.createArrayOf("text", arr);
                ps.setArray(i + 1, array);
            } else {
                ps.setObject(i + 1, a);
            }
        }
    }

    private Stored read(ResultSet rs) throws SQLException {
        try {
            NeedsStudy s = mapper.readValue(rs.getString(1), NeedsStudy.class);
            return new Stored(s, rs.getLong(2), rs.getString(3), rs.getString(4),
                    rs.getTimestamp(5).toInstant().atOffset(ZoneOffset.UTC),
                    rs.getTimestamp(6).toInstant().atOffset(ZoneOffset.UTC), rs.getBoolean(7));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable study body", e);
        }
    }

    private static Object[] financers(NeedsStudy s) {
        return s.financing().stream().map(f -> f.partnerId()).filter(id -> id != null && !id.isBlank()).distinct()
                .toArray();
    }

    private String json(NeedsStudy s) {
        try {
            return mapper.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
