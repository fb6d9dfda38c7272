package fr.actionlogement.territorial.partnerships.persistence;

import java.time.LocalDate;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import fr.actionlogement.territorial.buildingblocks.persistence.PlainSql;

/**
 * What this service knows of territories-service's facts: territories (to check an authority and find its
 * region), CILs and subsidiaries, and the délégué territorial of each region (R-23). Written only by the consumers.
 */
@ApplicationScoped
public class TerritoryReadModel {

    public record TerritoryRow(String territoryId, String kind, String code, String name, String regionCode,
            boolean retired) {
    }

    public record CilRow(String cilId, String name, String parentCilId) {
    }

    public record DelegueRow(String regionCode, String subject, String username) {
    }

    private final PlainSql sql;

    TerritoryReadModel(PlainSql sql) {
        this.sql = sql;
    }

    public void upsertTerritory(TerritoryRow t) {
        sql.update("""
                INSERT INTO territory_ref (territory_id, kind, code, name, region_code, retired, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, now())
                ON CONFLICT (territory_id) DO UPDATE SET kind = EXCLUDED.kind, code = EXCLUDED.code,
                    name = EXCLUDED.name, region_code = EXCLUDED.region_code, retired = EXCLUDED.retired,
                    updated_at = now()""", t.territoryId(), t.kind(), t.code(), t.name(), t.regionCode(), t.retired());
    }

    public void upsertCil(CilRow c) {
        sql.update("""
                INSERT INTO cil_ref (cil_id, name, parent_cil_id, updated_at) VALUES (?, ?, ?, now())
                ON CONFLICT (cil_id) DO UPDATE SET name = EXCLUDED.name, parent_cil_id = EXCLUDED.parent_cil_id,
                    updated_at = now()""", c.cilId(), c.name(), c.parentCilId());
    }

    public void assignDelegue(String regionCode, String subject, String username, LocalDate since) {
        sql.update("""
                INSERT INTO region_delegue (region_code, delegue_subject, delegue_username, since, updated_at)
                VALUES (?, ?, ?, ?, now())
                ON CONFLICT (region_code) DO UPDATE SET delegue_subject = EXCLUDED.delegue_subject,
                    delegue_username = EXCLUDED.delegue_username, since = EXCLUDED.since, updated_at = now()""",
                regionCode, subject, username, since);
    }

    public Optional<TerritoryRow> territory(String territoryId) {
        return sql.one("SELECT territory_id, kind, code, name, region_code, retired FROM territory_ref"
                + " WHERE territory_id = ?",
                rs -> new TerritoryRow(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getBoolean(6)),
                territoryId);
    }

    public Optional<CilRow> cil(String cilId) {
        return sql.one("SELECT cil_id, name, parent_cil_id FROM cil_ref WHERE cil_id = ?",
                rs -> new CilRow(rs.getString(1), rs.getString(2), rs.getString(3)), cilId);
    }

    public Optional<DelegueRow> delegueOf(String regionCode) {
        if (regionCode == null) {
            return Optional.empty();
        }
        return sql.one("SELECT region_code, delegue_subject, delegue_username FROM region_delegue"
                + " WHERE region_code = ?", rs -> new DelegueRow(rs.getString(1), rs.getString(2), rs.getString(3)),
                regionCode);
    }
}
