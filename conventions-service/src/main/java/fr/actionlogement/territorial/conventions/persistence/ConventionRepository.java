package fr.actionlogement.territorial.conventions.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import fr.actionlogement.territorial.buildingblocks.api.PageRequest;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemType;
import fr.actionlogement.territorial.conventions.domain.Convention;
import fr.actionlogement.territorial.conventions.domain.ConventionSnapshot;
import fr.actionlogement.territorial.conventions.domain.EnvelopeLedger;
import fr.actionlogement.territorial.conventions.domain.ReservationCost;

/** Conventions: one row each (state as JSON, filter columns beside it), and their signed versions. */
@ApplicationScoped
public class ConventionRepository implements EnvelopeLedger {

    /** API sort names to columns; the first is the default. */
    public static final Map<String, String> SORTABLE = Map.of("proposedAt", "created_at", "territoryId",
            "territory_id", "status", "status", "signedOn", "signed_on", "id", "id");

    @Inject
    Sql sql;
    @Inject
    Json json;

    public record VersionRow(int version, OffsetDateTime recordedAt, String recordedBy, String reason,
            ConventionSnapshot snapshot) {
    }

    public void insert(Convention c, Instant now) {
        ConventionSnapshot s = c.snapshot();
        sql.update("""
                INSERT INTO convention (id, kind, campaign_id, territory_id, region_code, status, version, rev,
                    party_keys, period_start, period_end, signed_on, created_at, updated_at, document)
                VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb))""",
                s.conventionId(), s.kind().name(), s.campaignId(), s.territoryId(), s.regionCode(), s.status().name(),
                s.version(), List.copyOf(c.partyKeys()), s.content().periodStartYear(), s.content().periodEndYear(),
                s.signedOn(), at(now), at(now), json.write(s));
    }

    /** Writes the new state if nobody changed the row since {@code expectedRev}; returns the new revision. */
    public long update(Convention c, long expectedRev, Instant now) {
        ConventionSnapshot s = c.snapshot();
        int rows = sql.update("""
                UPDATE convention SET status = ?, version = ?, rev = rev + 1, party_keys = ?, period_start = ?,
                    period_end = ?, signed_on = ?, updated_at = ?, document = CAST(? AS jsonb)
                WHERE id = ? AND rev = ?""",
                s.status().name(), s.version(), List.copyOf(c.partyKeys()), s.content().periodStartYear(),
                s.content().periodEndYear(), s.signedOn(), at(now), json.write(s), s.conventionId(), expectedRev);
        if (rows != 1) {
            throw new ProblemException(ProblemType.PRECONDITION_FAILED,
                    "convention " + s.conventionId() + " was changed meanwhile; read it again and retry");
        }
        return expectedRev + 1;
    }

    public Optional<StoredConvention> find(String id) {
        return sql.one("SELECT document::text, rev FROM convention WHERE id = ?", this::stored, id);
    }

    /** Loads the convention and locks its row until the end of the transaction (serializes concurrent writers). */
    public Optional<StoredConvention> lock(String id) {
        return sql.one("SELECT document::text, rev FROM convention WHERE id = ? FOR UPDATE", this::stored, id);
    }

    public List<StoredConvention> search(ConventionFilter f, PageRequest page) {
        List<Object> params = new ArrayList<>();
        String where = where(f, params);
        params.add(page.size());
        params.add(page.offset());
        String dir = page.descending() ? " DESC" : " ASC";
        String order = page.sortColumn() + dir + " NULLS LAST" + (page.sortColumn().equals("id") ? "" : ", id" + dir);
        return sql.query("SELECT document::text, rev FROM convention" + where + " ORDER BY " + order
                + " LIMIT ? OFFSET ?", this::stored, params.toArray());
    }

    public long count(ConventionFilter f) {
        List<Object> params = new ArrayList<>();
        return sql.count("SELECT count(*) FROM convention" + where(f, params), params.toArray());
    }

    private static String where(ConventionFilter f, List<Object> params) {
        StringBuilder w = new StringBuilder(" WHERE true");
        if (f.territoryId() != null) {
            w.append(" AND territory_id = ?");
            params.add(f.territoryId());
        }
        if (f.status() != null) {
            w.append(" AND status = ?");
            params.add(f.status());
        }
        if (f.cilId() != null) {
            w.append(" AND (? = ANY(party_keys) OR ? = ANY(party_keys))");
            params.add("CIL:" + f.cilId());
            params.add("FILIALE:" + f.cilId());
        }
        if (f.campaignId() != null) {
            w.append(" AND campaign_id = ?");
            params.add(f.campaignId());
        }
        if (f.year() != null) {
            w.append(" AND period_start <= ? AND period_end >= ?");
            params.add(f.year());
            params.add(f.year());
        }
        if (!f.allVisible()) {
            if (f.visibleRegion() != null) {
                w.append(" AND region_code = ?");
                params.add(f.visibleRegion());
            } else {
                w.append(" AND party_keys && ?");
                params.add(List.copyOf(f.visiblePartyKeys()));
            }
        }
        return w.toString();
    }

    /** conventions of the campaign not closed by evaluation or termination. */
    public long countOpenInCampaign(String campaignId) {
        return sql.count("SELECT count(*) FROM convention WHERE campaign_id = ? AND status NOT IN ('EVALUATED', 'TERMINATED')",
                campaignId);
    }

    public boolean territoryOpenInCampaign(String campaignId, String territoryId) {
        return sql.count("""
                SELECT count(*) FROM convention WHERE campaign_id = ? AND territory_id = ?
                AND status NOT IN ('EVALUATED', 'TERMINATED')""", campaignId, territoryId) > 0;
    }

    /** the territory's latest convention signed before (or without) the given date, other than this one. */
    public Optional<ConventionSnapshot> previousSigned(String territoryId, String excludingId, LocalDate notAfter) {
        return sql.one("""
                SELECT document::text FROM convention
                WHERE territory_id = ? AND id <> ? AND signed_on IS NOT NULL AND signed_on <= ?
                ORDER BY signed_on DESC, created_at DESC LIMIT 1""",
                rs -> json.read(rs.getString(1), ConventionSnapshot.class), territoryId, excludingId,
                notAfter == null ? LocalDate.of(9999, 12, 31) : notAfter);
    }

    public List<ReservationCost> previousCosts(String territoryId, String excludingId, LocalDate notAfter) {
        return previousSigned(territoryId, excludingId, notAfter).map(s -> s.content().reservationCosts())
                .orElse(List.of());
    }

    public void insertVersion(ConventionSnapshot s, Instant at, String by, String reason) {
        sql.update("""
                INSERT INTO convention_version (convention_id, version, recorded_at, recorded_by, reason, document)
                VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb))""", s.conventionId(), s.version(), at(at), by, reason,
                json.write(s));
    }

    public List<VersionRow> versions(String id) {
        return sql.query("""
                SELECT version, recorded_at, recorded_by, reason, document::text FROM convention_version
                WHERE convention_id = ? ORDER BY version""", this::versionRow, id);
    }

    public Optional<VersionRow> version(String id, int version) {
        return sql.one("""
                SELECT version, recorded_at, recorded_by, reason, document::text FROM convention_version
                WHERE convention_id = ? AND version = ?""", this::versionRow, id, version);
    }

    // ---- R-10 envelopes ----

    @Override
    public OptionalLong envelope(String cilId, String product, int year) {
        return sql.one("SELECT amount FROM envelope WHERE cil_id = ? AND product = ? AND year = ?",
                rs -> rs.getLong(1), cilId, product, year).map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    /** What every other live convention (not terminated) commits on the envelope. */
    @Override
    public long committedElsewhere(String cilId, String product, int year, String excludingConventionId) {
        return committed(cilId, product, year, excludingConventionId);
    }

    public long committed(String cilId, String product, int year, String excludingConventionId) {
        return sql.count("""
                SELECT coalesce(sum((c->>'amount')::bigint), 0) FROM convention v,
                    jsonb_array_elements(v.document->'content'->'commitments') c
                WHERE v.status <> 'TERMINATED' AND v.id <> ?
                  AND c->>'cilId' = ? AND c->>'product' = ? AND (c->>'year')::int = ?""",
                excludingConventionId == null ? "" : excludingConventionId, cilId, product, year);
    }

    private StoredConvention stored(ResultSet rs) throws SQLException {
        return new StoredConvention(Convention.restore(json.read(rs.getString(1), ConventionSnapshot.class)),
                rs.getLong(2));
    }

    private VersionRow versionRow(ResultSet rs) throws SQLException {
        return new VersionRow(rs.getInt(1), rs.getObject(2, OffsetDateTime.class), rs.getString(3), rs.getString(4),
                json.read(rs.getString(5), ConventionSnapshot.class));
    }

    static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
