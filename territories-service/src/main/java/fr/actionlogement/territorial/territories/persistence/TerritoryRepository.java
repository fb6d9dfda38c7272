package fr.actionlogement.territorial.territories.persistence;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

import fr.actionlogement.territorial.buildingblocks.persistence.PlainSql;
import fr.actionlogement.territorial.territories.domain.ReferenceDiff;
import fr.actionlogement.territorial.territories.domain.ReferenceTerritory;
import fr.actionlogement.territorial.territories.domain.TerritoryKind;
import io.quarkus.panache.common.Sort;

/** The territory reference tables. */
@ApplicationScoped
public class TerritoryRepository {

    static final String COLUMNS = "id, kind, code, name, zone, region_code, departement_code, epci_siren, ept_siren, "
            + "epci_nature, siren, postcodes, population, member_communes, former_codes, millesime, retired, "
            + "replaced_by, tension, tension_source, version";

    private final PlainSql sql;

    TerritoryRepository(PlainSql sql) {
        this.sql = sql;
    }

    /** A stored territory with what the reference adds (tension, version). */
    public record Row(ReferenceTerritory territory, String tension, String tensionSource, long version) {
    }

    /**
     * The order of "relevance" for a name search: régions, then départements, then EPCI (EPT included), then communes,
     * as people look for the largest body first; within a kind the most populous first, then name and id for a
     * stable order.
     */
    public static final String RELEVANCE = "CASE kind WHEN 'REGION' THEN 0 WHEN 'DEPARTEMENT' THEN 1 WHEN 'EPCI' THEN 2"
            + " ELSE 3 END, population DESC NULLS LAST, name_key, id";

    /**
     * Search filters; null means "any". {@code nameWords} are the typed words ({@link
     * fr.actionlogement.territorial.territories.domain.Names#searchWords}): each must begin a word of the name.
     */
    public record Filter(List<String> nameWords, TerritoryKind kind, String code, String siren, String postcode,
            String regionCode, String departementCode, String groupingSiren, boolean includeRetired) {
    }

    /** Every stored territory's content hash, for the reference diff (36,000 rows in one plain query). */
    public Map<String, ReferenceDiff.Stored> storedStates() {
        return sql.withConnection(c -> {
            Map<String, ReferenceDiff.Stored> out = new HashMap<>(64_000);
            try (PreparedStatement ps = c.prepareStatement("SELECT id, content_hash, retired FROM territory");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new ReferenceDiff.Stored(rs.getString(2), rs.getBoolean(3)));
                }
            }
            return out;
        });
    }

    /**
     * A territory by id: plain SQL, the read-path exception of docs/architecture.md ("Persistence"). GET by id (which
     * reads it through {@link #findLinked}) is the hottest read of the system, and loading the entity (about twenty columns,
     * four arrays, a dirty-checking
     * snapshot) measured at about half the rate of this one statement in the performance harness.
     */
    public Optional<Row> find(String id) {
        return sql.one("SELECT " + COLUMNS + " FROM territory WHERE id = ?", TerritoryRepository::map, id);
    }

    /** A territory with what GET by id shows beside it: the basins it belongs to and the conventions covering it. */
    public record Linked(Row row, List<String> basins, List<String> coveringConventions) {
    }

    /**
     * GET by id's read in one statement and one round trip: the territory's row, the basins of its EPCI (or of the EPT
     * within it, {@link #basinsContaining}) and the signed conventions covering it ({@link #conventionsCovering}).
     * Outside a transaction each statement takes and returns a pooled connection, so three reads cost three.
     */
    public Optional<Linked> findLinked(String id) {
        return sql.one("SELECT " + COLUMNS + ", ARRAY(SELECT DISTINCT b.basin_id FROM basin_epci b WHERE b.epci_siren IN"
                + " (CASE WHEN t.kind = 'EPCI' THEN t.code ELSE t.epci_siren END, t.ept_siren) ORDER BY b.basin_id)"
                + " AS linked_basins, ARRAY(SELECT c.convention_id FROM convention_coverage c WHERE c.territory_id = t.id"
                + " ORDER BY c.convention_id) AS linked_conventions FROM territory t WHERE t.id = ?",
                rs -> new Linked(map(rs), PlainSql.strings(rs, "linked_basins"),
                        PlainSql.strings(rs, "linked_conventions")),
                id);
    }

    /**
     * The basins an EPCI, or the EPT within it, belongs to (a territory has at most these two groupings). Plain SQL
     * like {@link #find}: the other read of GET territory by id.
     */
    public List<String> basinsContaining(String epciSiren, String eptSiren) {
        if (epciSiren == null && eptSiren == null) {
            return List.of();
        }
        return sql.query("SELECT DISTINCT basin_id FROM basin_epci WHERE epci_siren = ? OR epci_siren = ?"
                + " ORDER BY basin_id", rs -> rs.getString(1), epciSiren == null ? eptSiren : epciSiren,
                eptSiren == null ? epciSiren : eptSiren);
    }

    /** The signed conventions covering a territory or basin (R-15 read side): GET by id's third read. */
    public List<String> conventionsCovering(String territoryId) {
        return sql.query("SELECT convention_id FROM convention_coverage WHERE territory_id = ? ORDER BY convention_id",
                rs -> rs.getString(1), territoryId);
    }

    /**
     * A commune by a code it had before a merger (anciensCodes), for references that predate the change. Plain SQL:
     * the containment must be {@code text[] @> text[]} to use the GIN index, and Hibernate's array_contains binds
     * the code as a varchar[], which PostgreSQL refuses against a text[] column.
     */
    public Optional<Row> findCommuneByFormerCode(String code) {
        return sql.one("SELECT " + COLUMNS + " FROM territory WHERE kind = 'COMMUNE' AND former_codes @> ARRAY[?]::text[]"
                + " AND NOT retired ORDER BY id LIMIT 1", TerritoryRepository::map, code);
    }

    private static final String LOAD_COLUMNS = "id, kind, code, name, name_key, zone, region_code, departement_code, "
            + "epci_siren, ept_siren, epci_nature, siren, postcodes, population, member_communes, former_codes, "
            + "millesime, retired, replaced_by, content_hash";

    /**
     * Writes territories with COPY into a transaction-local staging table, then one INSERT ... ON CONFLICT: a data
     * year (about 36,000 rows) in a fraction of the time row-by-row statements take.
     */
    public void upsert(Collection<ReferenceTerritory> territories) {
        if (territories.isEmpty()) {
            return;
        }
        sql.withConnection(c -> {
            try (var s = c.createStatement()) {
                s.execute("CREATE TEMP TABLE IF NOT EXISTS territory_load (LIKE territory INCLUDING DEFAULTS)");
                s.execute("TRUNCATE territory_load");
            }
            // Streamed row by row (64 KB at a time): the whole year as one text took about 35 MB of heap, twice.
            try (Writer copy = new OutputStreamWriter(new PGCopyOutputStream(c.unwrap(PGConnection.class),
                    "COPY territory_load (" + LOAD_COLUMNS + ") FROM STDIN", 1 << 16), StandardCharsets.UTF_8)) {
                StringBuilder row = new StringBuilder(1024);
                for (ReferenceTerritory t : territories) {
                    row.setLength(0);
                    Copy.row(row, t.id(), t.kind().name(), t.code(), t.name(), t.searchKey(), t.zone(),
                            t.regionCode(), t.departementCode(), t.epciSiren(), t.eptSiren(), t.epciNature(), t.siren(),
                            t.postcodes(), t.population(), t.memberCommunes(), t.formerCodes(), t.millesime(),
                            t.retired(), t.replacedBy(), t.fingerprintHash());
                    copy.append(row);
                }
            } catch (IOException e) {
                throw new SQLException("COPY failed", e);
            }
            try (var s = c.createStatement()) {
                s.executeUpdate("""
                        INSERT INTO territory (%s) SELECT %s FROM territory_load
                        ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, code = EXCLUDED.code, name = EXCLUDED.name,
                            name_key = EXCLUDED.name_key, zone = EXCLUDED.zone, region_code = EXCLUDED.region_code,
                            departement_code = EXCLUDED.departement_code, epci_siren = EXCLUDED.epci_siren,
                            ept_siren = EXCLUDED.ept_siren, epci_nature = EXCLUDED.epci_nature, siren = EXCLUDED.siren,
                            postcodes = EXCLUDED.postcodes, population = EXCLUDED.population,
                            member_communes = EXCLUDED.member_communes, former_codes = EXCLUDED.former_codes,
                            millesime = EXCLUDED.millesime, retired = EXCLUDED.retired,
                            replaced_by = EXCLUDED.replaced_by, content_hash = EXCLUDED.content_hash,
                            version = territory.version + 1""".formatted(LOAD_COLUMNS, LOAD_COLUMNS));
                s.execute("TRUNCATE territory_load");
            }
            return null;
        });
    }

    public int upsertParts(List<ReferenceDataset.CommunePart> parts, int millesime) {
        return sql.withConnection(c -> {
            int changed = 0;
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO commune_part (type, code, name, parent_code, postcodes, millesime)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (type, code) DO UPDATE SET name = EXCLUDED.name, parent_code = EXCLUDED.parent_code,
                        postcodes = EXCLUDED.postcodes, millesime = EXCLUDED.millesime
                    WHERE (commune_part.name, commune_part.parent_code, commune_part.postcodes)
                        IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.parent_code, EXCLUDED.postcodes)""")) {
                for (ReferenceDataset.CommunePart p : parts) {
                    PlainSql.bind(c, ps, p.type(), p.code(), p.name(), p.parentCode(), p.postcodes(), millesime);
                    ps.addBatch();
                }
                for (int r : ps.executeBatch()) {
                    changed += Math.max(r, 0);
                }
            }
            return changed;
        });
    }

    public List<ReferenceDataset.CommunePart> partsOf(String communeCode) {
        return CommunePartEntity.<CommunePartEntity> list("parentCode", Sort.by("type").and("code"), communeCode)
                .stream().map(p -> new ReferenceDataset.CommunePart(p.type, p.code, p.name, p.parentCode,
                        p.postcodes))
                .toList();
    }

    /**
     * The search (count + one page). Plain SQL: the same name search through Hibernate (count + page of entities) was
     * 2.9 and 7.0 ms at p50 against 0.7 and 1.2 ms here, in the same runs of PersistenceBenchmark.
     */
    public long search(Filter f, String orderBy, int limit, int offset, List<Row> into) {
        List<Object> params = new ArrayList<>();
        String where = where(f, params);
        if (byName(f)) {
            params.add(limit);
            params.add(offset);
            long[] total = { 0 };
            sql.query(nameSearchSql(where, orderBy), rs -> {
                total[0] = rs.getLong("total");
                if (rs.getString("id") != null) {
                    into.add(map(rs));
                }
                return null;
            }, params.toArray());
            return total[0];
        }
        long total = sql.count("SELECT count(*) FROM territory" + where, params.toArray());
        params.add(limit);
        params.add(offset);
        into.addAll(sql.query(pageSql(where, orderBy), TerritoryRepository::map, params.toArray()));
        return total;
    }

    /**
     * PostgreSQL's plans (EXPLAIN, text lines) of the statements {@link #search} sends with these parameters, so a
     * test can prove which index they use.
     */
    public List<String> searchPlans(Filter f, String orderBy, int limit, int offset) {
        List<Object> params = new ArrayList<>();
        String where = where(f, params);
        List<String> plan = new ArrayList<>();
        if (!byName(f)) {
            plan.addAll(sql.query("EXPLAIN SELECT count(*) FROM territory" + where, rs -> rs.getString(1),
                    params.toArray()));
        }
        params.add(limit);
        params.add(offset);
        plan.addAll(sql.query("EXPLAIN " + (byName(f) ? nameSearchSql(where, orderBy) : pageSql(where, orderBy)),
                rs -> rs.getString(1), params.toArray()));
        return plan;
    }

    private static boolean byName(Filter f) {
        return f.nameWords() != null && !f.nameWords().isEmpty();
    }

    private static String pageSql(String where, String orderBy) {
        return "SELECT " + COLUMNS + " FROM territory" + where + " ORDER BY " + orderBy + " LIMIT ? OFFSET ?";
    }

    /**
     * A name search in one statement: the GIN index finds the matches once, kept narrow (the columns the orders
     * use), counted and sorted there; only the page's rows are then read whole, by primary key. A short prefix
     * ("sa") matches thousands of names: scanning them twice (count, then page) and carrying every column through
     * the sort is what this saves. One row with a null id when the page is past the end, for the count.
     */
    private static String nameSearchSql(String where, String orderBy) {
        return "WITH m AS MATERIALIZED (SELECT id, kind, code, population, name_key FROM territory" + where + ")"
                + " SELECT c.total, t.* FROM (SELECT count(*) AS total FROM m) c"
                + " LEFT JOIN LATERAL (SELECT m.id AS page_id FROM m ORDER BY " + orderBy + " LIMIT ? OFFSET ?) p ON true"
                + " LEFT JOIN LATERAL (SELECT " + COLUMNS
                + ", name_key FROM territory WHERE territory.id = p.page_id) t ON true"
                + " ORDER BY " + qualified(orderBy, "t");
    }

    /** The order's columns qualified by a table alias (the orders name only columns of the territory table). */
    private static String qualified(String orderBy, String alias) {
        return orderBy.replaceAll("\\b(kind|code|population|name_key|id)\\b", alias + ".$1");
    }

    private static String where(Filter f, List<Object> params) {
        StringBuilder where = new StringBuilder(" WHERE true");
        if (f.nameWords() != null && !f.nameWords().isEmpty()) {
            // Every typed word begins a word of the name: name_words (V4) holds every prefix of every word and of
            // its abbreviations, so containment is exact and served by the GIN index territory_name_words.
            where.append(" AND name_words @> ?::text[]");
            params.add(f.nameWords());
        }
        if (f.kind() != null) {
            where.append(" AND kind = ?");
            params.add(f.kind().name());
        }
        if (f.code() != null) {
            where.append(" AND code = ?");
            params.add(f.code());
        }
        if (f.siren() != null) {
            where.append(" AND siren = ?");
            params.add(f.siren());
        }
        if (f.postcode() != null) {
            where.append(" AND postcodes @> ARRAY[?]::text[]");
            params.add(f.postcode());
        }
        if (f.regionCode() != null) {
            where.append(" AND region_code = ?");
            params.add(f.regionCode());
        }
        if (f.departementCode() != null) {
            where.append(" AND departement_code = ?");
            params.add(f.departementCode());
        }
        if (f.groupingSiren() != null) {
            where.append(" AND (epci_siren = ? OR ept_siren = ?)");
            params.add(f.groupingSiren());
            params.add(f.groupingSiren());
        }
        if (!f.includeRetired()) {
            where.append(" AND NOT retired");
        }
        return where.toString();
    }

    /** How many territories of each kind (an aggregate: plain SQL). */
    public Map<TerritoryKind, Long> countByKind(boolean includeRetired) {
        Map<TerritoryKind, Long> out = new java.util.EnumMap<>(TerritoryKind.class);
        sql.query("SELECT kind, count(*) FROM territory" + (includeRetired ? "" : " WHERE NOT retired") + " GROUP BY kind",
                rs -> out.put(TerritoryKind.valueOf(rs.getString(1)), rs.getLong(2)));
        return out;
    }

    /** The tension import: up to 40,000 communes in one JDBC batch. */
    public int setTension(Map<String, String> zoneByCommune, String source) {
        return sql.withConnection(c -> {
            int changed = 0;
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE territory SET tension = ?, tension_source = ?, version = version + 1
                    WHERE id = ? AND (tension, tension_source) IS DISTINCT FROM (?, ?)""")) {
                for (var e : zoneByCommune.entrySet()) {
                    ps.setString(1, e.getValue());
                    ps.setString(2, source);
                    ps.setString(3, TerritoryKind.COMMUNE.idOf(e.getKey()));
                    ps.setString(4, e.getValue());
                    ps.setString(5, source);
                    ps.addBatch();
                }
                for (int r : ps.executeBatch()) {
                    changed += Math.max(r, 0);
                }
            }
            return changed;
        });
    }

    /**
     * Which of these commune codes exist (current or retired). The tension import asks for up to 40,000 codes: one
     * array parameter (plain SQL), where a JPQL {@code in} list would pass PostgreSQL's 32,767 bind parameters.
     */
    public java.util.Set<String> existingCommunes(Collection<String> codes) {
        return new java.util.HashSet<>(sql.query("SELECT code FROM territory WHERE kind = 'COMMUNE' AND code = ANY (?)",
                rs -> rs.getString(1), List.copyOf(codes)));
    }

    /** Which of these SIRENs are current EPCI (a basin names at most 200). */
    public java.util.Set<String> existingEpci(Collection<String> sirens) {
        return new java.util.HashSet<>(TerritoryEntity.getEntityManager()
                .createQuery("select code from TerritoryEntity where kind = :kind and retired = false and code in :codes",
                        String.class)
                .setParameter("kind", TerritoryKind.EPCI).setParameter("codes", sirens).getResultList());
    }

    static Row map(ResultSet rs) throws SQLException {
        ReferenceTerritory t = new ReferenceTerritory(TerritoryKind.valueOf(rs.getString("kind")), rs.getString("code"),
                rs.getString("name"), rs.getString("zone"), rs.getString("region_code"),
                rs.getString("departement_code"), rs.getString("epci_siren"), rs.getString("ept_siren"),
                rs.getString("epci_nature"), rs.getString("siren"), PlainSql.strings(rs, "postcodes"),
                PlainSql.intOrNull(rs, "population"), PlainSql.strings(rs, "member_communes"),
                PlainSql.strings(rs, "former_codes"),
                rs.getInt("millesime"), rs.getBoolean("retired"), PlainSql.strings(rs, "replaced_by"));
        return new Row(t, rs.getString("tension"), rs.getString("tension_source"), rs.getLong("version"));
    }
}
