package fr.actionlogement.territorial.observatory.persistence;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Local read models of the other contexts' facts: territories and their hierarchy, CIL presence, signed
 * conventions with their objectives and achievements. Written by the consumers only.
 */
@ApplicationScoped
public class ReadModels {

    public record Territory(String territoryId, String kind, String code, String name, String regionCode,
            String departementCode, String epciSiren, boolean retired) {
    }

    public record Objective(String objectiveId, String indicator, String publicPrioritaire, int year,
            BigDecimal target) {
    }

    public record Convention(String conventionId, int version, String kind, String territoryId,
            List<String> coveredTerritoryIds, LocalDate signedOn) {
    }

    private final DataSource dataSource;

    ReadModels(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    // --- territories ---

    public void upsertTerritory(Territory t) {
        exec("""
                INSERT INTO territory (territory_id, kind, code, name, region_code, departement_code, epci_siren, retired, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, now())
                ON CONFLICT (territory_id) DO UPDATE SET kind = excluded.kind, code = excluded.code, name = excluded.name,
                    region_code = excluded.region_code, departement_code = excluded.departement_code,
                    epci_siren = excluded.epci_siren, retired = excluded.retired, updated_at = now()""",
                t.territoryId(), t.kind(), t.code(), t.name(), t.regionCode(), t.departementCode(), t.epciSiren(),
                t.retired());
        rebuildAncestors(t.territoryId());
        if ("EPCI".equals(t.kind())) {
            // its member communes may have arrived first: their closure names this EPCI's basins
            for (String commune : strings("SELECT territory_id FROM territory WHERE epci_siren = ?", t.code())) {
                rebuildAncestors(commune);
            }
        }
    }

    /** BasinDefined: the basin covers these EPCI and, through them, their communes. */
    public void defineBasin(String basinId, String name, List<String> epciSirens) {
        exec("INSERT INTO territory (territory_id, kind, code, name) VALUES (?, 'BASSIN', ?, ?) "
                + "ON CONFLICT (territory_id) DO UPDATE SET name = excluded.name, updated_at = now()",
                basinId, basinId.substring(basinId.indexOf(':') + 1), name);
        List<String> affected = strings("SELECT territory_id FROM territory_ancestor WHERE ancestor_id = ?", basinId);
        exec("DELETE FROM basin_epci WHERE basin_id = ?", basinId);
        for (String siren : epciSirens) {
            exec("INSERT INTO basin_epci (basin_id, epci_id) VALUES (?, ?) ON CONFLICT DO NOTHING", basinId,
                    "EPCI:" + siren);
            affected.add("EPCI:" + siren);
            affected.addAll(strings("SELECT territory_id FROM territory WHERE epci_siren = ?", siren));
        }
        affected.add(basinId);
        for (String t : affected.stream().distinct().toList()) {
            rebuildAncestors(t);
        }
    }

    /** Recomputes one territory's closure rows from its codes: self, EPCI, département, région, basins. */
    void rebuildAncestors(String territoryId) {
        exec("DELETE FROM territory_ancestor WHERE territory_id = ?", territoryId);
        exec("""
                INSERT INTO territory_ancestor (ancestor_id, territory_id)
                SELECT DISTINCT a, t.territory_id FROM territory t,
                LATERAL unnest(ARRAY[
                    t.territory_id,
                    CASE WHEN t.epci_siren IS NOT NULL AND t.kind = 'COMMUNE' THEN 'EPCI:' || t.epci_siren END,
                    CASE WHEN t.departement_code IS NOT NULL AND t.kind <> 'DEPARTEMENT' THEN 'DEPARTEMENT:' || t.departement_code END,
                    CASE WHEN t.region_code IS NOT NULL AND t.kind <> 'REGION' THEN 'REGION:' || t.region_code END
                ] || ARRAY(SELECT b.basin_id FROM basin_epci b
                           WHERE b.epci_id = CASE WHEN t.kind = 'EPCI' THEN t.territory_id
                                                  WHEN t.epci_siren IS NOT NULL THEN 'EPCI:' || t.epci_siren END)) AS a
                WHERE t.territory_id = ? AND a IS NOT NULL""",
                territoryId);
    }

    public Optional<Territory> territory(String territoryId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT territory_id, kind, code, name, region_code, departement_code, epci_siren, retired
                FROM territory WHERE territory_id = ?""")) {
            ps.setString(1, territoryId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Territory(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getBoolean(8)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The région a territory belongs to, for the délégué's row-level rule. */
    public String regionOf(Territory t) {
        return "REGION".equals(t.kind()) ? t.code() : t.regionCode();
    }

    // --- CIL presence (R-40) ---

    public void presence(String cilId, String territoryId, boolean present, LocalDate since, LocalDate until) {
        exec("""
                INSERT INTO cil_presence (cil_id, territory_id, present, since, until) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (cil_id, territory_id) DO UPDATE SET present = excluded.present, since = excluded.since,
                    until = excluded.until""", cilId, territoryId, present, since, until);
    }

    /**
     * whether the CIL is present on the territory on {@code day}; with {@code related}, presence on a parent
     * or a part of the territory counts too.
     */
    public boolean cilPresent(String cilId, String territoryId, LocalDate day, boolean related) {
        String scope = related ? """
                AND (p.territory_id = ?
                     OR p.territory_id IN (SELECT ancestor_id FROM territory_ancestor WHERE territory_id = ?)
                     OR p.territory_id IN (SELECT territory_id FROM territory_ancestor WHERE ancestor_id = ?))"""
                : " AND p.territory_id = ? AND ? IS NOT NULL AND ? IS NOT NULL";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT 1 FROM cil_presence p WHERE p.cil_id = ? AND p.present
                  AND (p.since IS NULL OR p.since <= ?) AND (p.until IS NULL OR p.until >= ?)""" + scope + " LIMIT 1")) {
            ps.setString(1, cilId);
            ps.setObject(2, day);
            ps.setObject(3, day);
            ps.setString(4, territoryId);
            ps.setString(5, territoryId);
            ps.setString(6, territoryId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- conventions (R-44) ---

    /** ConventionSigned (or a later version of it): replaces the convention and its objectives. */
    public void conventionSigned(Convention conv, List<Objective> objectives) {
        Integer known = integer("SELECT version FROM convention WHERE convention_id = ?", conv.conventionId());
        if (known != null && known > conv.version()) {
            return; // an older version arriving late changes nothing
        }
        exec("DELETE FROM convention WHERE convention_id = ?", conv.conventionId());
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO convention (convention_id, version, kind, territory_id, covered_territory_ids, signed_on)
                VALUES (?, ?, ?, ?, ?, ?)""")) {
            ps.setString(1, conv.conventionId());
            ps.setInt(2, conv.version());
            ps.setString(3, conv.kind());
            ps.setString(4, conv.territoryId());
            ps.setArray(5, c.createArrayOf("text", conv.coveredTerritoryIds().toArray()));
            ps.setObject(6, conv.signedOn());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        for (Objective o : objectives) {
            exec("""
                    INSERT INTO convention_objective (convention_id, objective_id, indicator, public_prioritaire, year, target)
                    VALUES (?, ?, ?, ?, ?, ?)""", conv.conventionId(), o.objectiveId(), o.indicator(),
                    o.publicPrioritaire(), o.year(), o.target());
        }
    }

    public void achievement(String achievementId, String conventionId, String objectiveId, BigDecimal value) {
        exec("""
                INSERT INTO convention_achievement (achievement_id, convention_id, objective_id, value) VALUES (?, ?, ?, ?)
                ON CONFLICT DO NOTHING""", achievementId, conventionId, objectiveId, value);
    }

    public Optional<Convention> convention(String conventionId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT convention_id, version, kind, territory_id, covered_territory_ids, signed_on
                FROM convention WHERE convention_id = ?""")) {
            ps.setString(1, conventionId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Convention(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                        List.of((String[]) rs.getArray(5).getArray()), rs.getObject(6, LocalDate.class)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public record ObjectiveProgress(Objective objective, BigDecimal achieved) {
    }

    public List<ObjectiveProgress> objectives(String conventionId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT o.objective_id, o.indicator, o.public_prioritaire, o.year, o.target,
                       COALESCE((SELECT sum(a.value) FROM convention_achievement a
                                 WHERE a.convention_id = o.convention_id AND a.objective_id = o.objective_id), 0)
                FROM convention_objective o WHERE o.convention_id = ? ORDER BY o.year, o.indicator, o.objective_id""")) {
            ps.setString(1, conventionId);
            List<ObjectiveProgress> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ObjectiveProgress(new Objective(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getInt(4), rs.getBigDecimal(5)), rs.getBigDecimal(6)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- helpers ---

    private void exec(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("read model update failed", e);
        }
    }

    private List<String> strings(String sql, String arg) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Integer integer(String sql, String arg) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
