package fr.actionlogement.territorial.observatory.persistence;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import fr.actionlogement.territorial.buildingblocks.persistence.PlainSql;

/**
 * Local read models of the other contexts' facts: territories and their hierarchy, CIL presence, signed
 * conventions with their objectives and achievements. Written by the consumers only: rows through their entities,
 * the closure of the territory hierarchy in SQL (set-based statements Hibernate has no better form for).
 */
@ApplicationScoped
public class ReadModels {

    public record Territory(String territoryId, String kind, String code, String name, String regionCode,
            String departementCode, String epciSiren, boolean retired) {
    }

    public record Objective(String objectiveId, String indicator, String publicPrioritaire, int year,
            BigDecimal target) {
    }

    /**
     * A signed convention; {@code regionCode} and {@code partyKeys} are its row-level visibility (null: not carried by
     * its events, so visible to the UESL and admins only).
     */
    public record Convention(String conventionId, int version, String kind, String territoryId,
            List<String> coveredTerritoryIds, LocalDate signedOn, String regionCode, List<String> partyKeys) {
    }

    private final PlainSql sql;
    private final Clock clock;

    ReadModels(PlainSql sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    // --- territories ---

    /**
     * TerritoryRegistered: the row in one upsert, then its closure. The reference replays tens of thousands of these on
     * a fresh database, one transaction each, so the statements per event are counted: a territory seen for the first
     * time has no closure rows to take away.
     */
    public void upsertTerritory(Territory t) {
        boolean inserted = sql.one("""
                INSERT INTO territory (territory_id, kind, code, name, region_code, departement_code, epci_siren,
                                       retired, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (territory_id) DO UPDATE SET kind = excluded.kind, code = excluded.code,
                    name = excluded.name, region_code = excluded.region_code,
                    departement_code = excluded.departement_code, epci_siren = excluded.epci_siren,
                    retired = excluded.retired, updated_at = excluded.updated_at
                RETURNING (xmax = 0)""", rs -> rs.getBoolean(1), t.territoryId(), t.kind(), t.code(), t.name(),
                t.regionCode(), t.departementCode(), t.epciSiren(), t.retired(),
                clock.instant().atOffset(ZoneOffset.UTC)).orElseThrow();
        if (inserted) {
            addAncestors(t.territoryId());
        } else {
            rebuildAncestors(t.territoryId());
        }
        if ("EPCI".equals(t.kind())) {
            // its member communes may have arrived first: their closure names this EPCI's basins
            for (String commune : sql.query("SELECT territory_id FROM territory WHERE epci_siren = ?",
                    rs -> rs.getString(1), t.code())) {
                rebuildAncestors(commune);
            }
        }
    }

    /** BasinDefined: the basin covers these EPCI and, through them, their communes. */
    public void defineBasin(String basinId, String name, List<String> epciSirens) {
        TerritoryEntity found = TerritoryEntity.findById(basinId);
        TerritoryEntity basin = found != null ? found : new TerritoryEntity();
        if (found == null) {
            basin.territoryId = basinId;
            basin.kind = "BASSIN";
            basin.code = basinId.substring(basinId.indexOf(':') + 1);
        }
        basin.name = name;
        basin.updatedAt = clock.instant();
        if (found == null) {
            basin.persist();
        }
        TerritoryEntity.flush();
        List<String> affected = new ArrayList<>(sql.query(
                "SELECT territory_id FROM territory_ancestor WHERE ancestor_id = ?", rs -> rs.getString(1), basinId));
        sql.update("DELETE FROM basin_epci WHERE basin_id = ?", basinId);
        for (String siren : epciSirens) {
            sql.update("INSERT INTO basin_epci (basin_id, epci_id) VALUES (?, ?) ON CONFLICT DO NOTHING", basinId,
                    "EPCI:" + siren);
            affected.add("EPCI:" + siren);
            affected.addAll(sql.query("SELECT territory_id FROM territory WHERE epci_siren = ?", rs -> rs.getString(1),
                    siren));
        }
        affected.add(basinId);
        for (String t : affected.stream().distinct().toList()) {
            rebuildAncestors(t);
        }
    }

    /** A territory's ancestors from its codes: self, EPCI, département, région, basins. */
    private static final String ANCESTORS_OF = """
            SELECT DISTINCT a AS ancestor_id FROM territory t,
            LATERAL unnest(ARRAY[
                t.territory_id,
                CASE WHEN t.epci_siren IS NOT NULL AND t.kind = 'COMMUNE' THEN 'EPCI:' || t.epci_siren END,
                CASE WHEN t.departement_code IS NOT NULL AND t.kind <> 'DEPARTEMENT' THEN 'DEPARTEMENT:' || t.departement_code END,
                CASE WHEN t.region_code IS NOT NULL AND t.kind <> 'REGION' THEN 'REGION:' || t.region_code END
            ] || ARRAY(SELECT b.basin_id FROM basin_epci b
                       WHERE b.epci_id = CASE WHEN t.kind = 'EPCI' THEN t.territory_id
                                              WHEN t.epci_siren IS NOT NULL THEN 'EPCI:' || t.epci_siren END)) AS a
            WHERE t.territory_id = ? AND a IS NOT NULL""";

    /**
     * Brings one territory's closure rows to what its codes say, writing only the difference: a reference event that
     * changes no ancestor (most of them) writes no row, so the roll-up's closure triggers have nothing to move.
     */
    void rebuildAncestors(String territoryId) {
        sql.update("DELETE FROM territory_ancestor WHERE territory_id = ? AND ancestor_id NOT IN (" + ANCESTORS_OF + ")",
                territoryId, territoryId);
        addAncestors(territoryId);
    }

    /** The closure rows its codes call for and it lacks. */
    private void addAncestors(String territoryId) {
        sql.update("INSERT INTO territory_ancestor (ancestor_id, territory_id) SELECT w.ancestor_id, ? FROM ("
                + ANCESTORS_OF + ") w ON CONFLICT DO NOTHING", territoryId, territoryId);
    }

    public Optional<Territory> territory(String territoryId) {
        return TerritoryEntity.<TerritoryEntity> findByIdOptional(territoryId).map(TerritoryEntity::toView);
    }

    /** The région a territory belongs to, for the délégué's row-level rule. */
    public String regionOf(Territory t) {
        return "REGION".equals(t.kind()) ? t.code() : t.regionCode();
    }

    // --- CIL presence (R-40) ---

    public void presence(String cilId, String territoryId, boolean present, LocalDate since, LocalDate until) {
        CilPresenceEntity.Key key = new CilPresenceEntity.Key();
        key.cilId = cilId;
        key.territoryId = territoryId;
        CilPresenceEntity found = CilPresenceEntity.findById(key);
        CilPresenceEntity p = found != null ? found : new CilPresenceEntity();
        p.cilId = cilId;
        p.territoryId = territoryId;
        p.present = present;
        p.since = since;
        p.until = until;
        if (found == null) {
            p.persist();
        }
    }

    /**
     * whether the CIL is present on the territory on {@code day}; with {@code related}, presence on a parent
     * or a part of the territory counts too.
     */
    public boolean cilPresent(String cilId, String territoryId, LocalDate day, boolean related) {
        String scope = related
                ? """
                        and (p.territoryId = :territory
                             or p.territoryId in (select a.ancestorId from TerritoryAncestorEntity a where a.territoryId = :territory)
                             or p.territoryId in (select a.territoryId from TerritoryAncestorEntity a where a.ancestorId = :territory))"""
                : " and p.territoryId = :territory";
        return CilPresenceEntity.find("""
                from CilPresenceEntity p where p.cilId = :cil and p.present
                  and (p.since is null or p.since <= :day) and (p.until is null or p.until >= :day)""" + scope,
                io.quarkus.panache.common.Parameters.with("cil", cilId).and("day", day).and("territory", territoryId))
                .firstResultOptional().isPresent();
    }

    // --- conventions (R-44) ---

    /** ConventionSigned (or a later version of it): replaces the convention and its objectives. */
    public void conventionSigned(Convention conv, List<Objective> objectives) {
        ConventionEntity found = ConventionEntity.findById(conv.conventionId());
        if (found != null && found.version > conv.version()) {
            return; // an older version arriving late changes nothing
        }
        ConventionEntity c = found != null ? found : new ConventionEntity();
        c.conventionId = conv.conventionId();
        c.version = conv.version();
        c.kind = conv.kind();
        c.territoryId = conv.territoryId();
        c.coveredTerritoryIds = conv.coveredTerritoryIds().toArray(String[]::new);
        c.signedOn = conv.signedOn();
        c.regionCode = conv.regionCode();
        c.partyKeys = conv.partyKeys() == null ? null : conv.partyKeys().toArray(String[]::new);
        c.objectives.clear();
        objectives.forEach(o -> c.objectives.add(ConventionEntity.Objective.of(o)));
        if (found == null) {
            c.persist();
        }
    }

    public void achievement(String achievementId, String conventionId, String objectiveId, BigDecimal value) {
        if (ConventionAchievementEntity.findById(achievementId) != null) {
            return; // a redelivered event
        }
        ConventionAchievementEntity a = new ConventionAchievementEntity();
        a.achievementId = achievementId;
        a.conventionId = conventionId;
        a.objectiveId = objectiveId;
        a.value = value;
        a.persist();
    }

    public Optional<Convention> convention(String conventionId) {
        return ConventionEntity.<ConventionEntity> findByIdOptional(conventionId).map(ConventionEntity::toView);
    }

    public record ObjectiveProgress(Objective objective, BigDecimal achieved) {
    }

    public List<ObjectiveProgress> objectives(String conventionId) {
        Map<String, BigDecimal> achieved = new HashMap<>();
        ConventionAchievementEntity.<ConventionAchievementEntity> list("conventionId", conventionId)
                .forEach(a -> achieved.merge(a.objectiveId, a.value, BigDecimal::add));
        return ConventionEntity.getEntityManager().createQuery("""
                select o from ConventionEntity c join c.objectives o where c.conventionId = :id
                order by o.year, o.indicator, o.objectiveId""", ConventionEntity.Objective.class)
                .setParameter("id", conventionId).getResultStream()
                .map(o -> new ObjectiveProgress(o.toView(), achieved.getOrDefault(o.objectiveId, BigDecimal.ZERO)))
                .toList();
    }
}
