package fr.actionlogement.territorial.conventions.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import fr.actionlogement.territorial.buildingblocks.api.PageRequest;
import fr.actionlogement.territorial.conventions.domain.TemplateVersion;

/** R-04 templates: a header row and immutable versions. */
@ApplicationScoped
public class TemplateRepository {

    public static final Map<String, String> SORTABLE = Map.of("name", "name", "createdAt", "created_at", "id", "id");

    public record Header(String templateId, String name, String kind, int latestVersion, long rev) {
    }

    public record Version(TemplateVersion template, OffsetDateTime publishedAt, String publishedBy) {
    }

    @Inject
    Sql sql;
    @Inject
    Json json;

    public void insert(TemplateVersion v, Instant at, String by) {
        sql.update("INSERT INTO template (id, name, kind, latest_version) VALUES (?, ?, ?, ?)", v.templateId(),
                v.name(), v.kind().name(), v.version());
        insertVersion(v, at, by);
    }

    public void addVersion(TemplateVersion v, Instant at, String by) {
        sql.update("UPDATE template SET name = ?, latest_version = ?, rev = rev + 1 WHERE id = ?", v.name(),
                v.version(), v.templateId());
        insertVersion(v, at, by);
    }

    private void insertVersion(TemplateVersion v, Instant at, String by) {
        sql.update("""
                INSERT INTO template_version (template_id, version, document, published_at, published_by)
                VALUES (?, ?, CAST(? AS jsonb), ?, ?)""", v.templateId(), v.version(), json.write(v),
                ConventionRepository.at(at), by);
    }

    public Optional<Header> header(String id, boolean lock) {
        return sql.one("SELECT id, name, kind, latest_version, rev FROM template WHERE id = ?" + (lock ? " FOR UPDATE" : ""),
                TemplateRepository::header, id);
    }

    public Optional<Version> version(String id, int version) {
        return sql.one("""
                SELECT document::text, published_at, published_by FROM template_version
                WHERE template_id = ? AND version = ?""", this::version, id, version);
    }

    public List<Version> versions(String id) {
        return sql.query("""
                SELECT document::text, published_at, published_by FROM template_version
                WHERE template_id = ? ORDER BY version""", this::version, id);
    }

    public List<Header> list(String kind, PageRequest page) {
        String dir = page.descending() ? " DESC" : " ASC";
        return sql.query("SELECT id, name, kind, latest_version, rev FROM template WHERE (?::text IS NULL OR kind = ?)"
                + " ORDER BY " + page.sortColumn() + dir + ", id" + dir + " LIMIT ? OFFSET ?",
                TemplateRepository::header, kind, kind, page.size(), page.offset());
    }

    public long count(String kind) {
        return sql.count("SELECT count(*) FROM template WHERE (?::text IS NULL OR kind = ?)", kind, kind);
    }

    private static Header header(ResultSet rs) throws SQLException {
        return new Header(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getLong(5));
    }

    private Version version(ResultSet rs) throws SQLException {
        return new Version(json.read(rs.getString(1), TemplateVersion.class), rs.getObject(2, OffsetDateTime.class),
                rs.getString(3));
    }
}
