package fr.actionlogement.territorial.territories.persistence;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import fr.actionlogement.territorial.buildingblocks.audit.AuditLog;
import fr.actionlogement.territorial.buildingblocks.outbox.Outbox;
import fr.actionlogement.territorial.buildingblocks.persistence.PlainSql;
import fr.actionlogement.territorial.territories.domain.ReferenceDiff;
import fr.actionlogement.territorial.territories.domain.ReferenceTerritory;
import fr.actionlogement.territorial.territories.messaging.TerritoryEvents;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * R-30: loads a data year of the official reference, idempotently. Only new, changed or retired territories are
 * written and published (TerritoryRegistered on the compacted reference topic), in the same transaction, so a
 * second load of the same year changes and publishes nothing. Replicas starting together serialize on an advisory
 * lock.
 */
@ApplicationScoped
public class ReferenceLoader {

    private static final Logger LOG = Logger.getLogger(ReferenceLoader.class);
    private static final long LOAD_LOCK = 0x7E44_1701L;

    public record LoadResult(String source, String sourceVersion, int millesime, String checksum, boolean skipped,
            int created, int changed, int retired, int unchanged, long durationMs) {
    }

    private final TerritoryRepository territories;
    private final PlainSql sql;
    private final Outbox outbox;
    private final AuditLog audit;
    private final ObjectMapper mapper;
    private final Clock clock;

    ReferenceLoader(TerritoryRepository territories, PlainSql sql, Outbox outbox, AuditLog audit, ObjectMapper mapper,
            Clock clock) {
        this.territories = territories;
        this.sql = sql;
        this.outbox = outbox;
        this.audit = audit;
        this.mapper = mapper;
        this.clock = clock;
    }

    /**
     * @param force diff even when this exact dataset was already applied (the diff is then empty)
     */
    public LoadResult load(String location, boolean force) {
        long t0 = System.nanoTime();
        if (!force) {
            // Every start-up comes here: when this data year is applied, its checksum says so without parsing it.
            ReferenceDataset.Fingerprint f = ReferenceDataset.fingerprint(location);
            LoadResult applied = QuarkusTransaction.requiringNew().call(() -> alreadyApplied(f, t0));
            if (applied != null) {
                LOG.infof("Reference %s %s (millésime %d): already loaded (checksum checked in %d ms)", f.source(),
                        f.sourceVersion(), f.millesime(), applied.durationMs());
                return applied;
            }
        }
        ReferenceDataset dataset = ReferenceDataset.read(location, mapper);
        LoadResult result = QuarkusTransaction.requiringNew().timeout(1800).call(() -> apply(dataset, force, t0));
        LOG.infof("Reference %s %s (millésime %d): %s, %d created, %d changed, %d retired, %d unchanged in %d ms",
                dataset.source(), dataset.sourceVersion(), dataset.millesime(),
                result.skipped() ? "already loaded" : "applied", result.created(), result.changed(), result.retired(),
                result.unchanged(), result.durationMs());
        return result;
    }

    /** Whether some data year was ever loaded into this database (a recorded load is never deleted). */
    public boolean anyYearLoaded() {
        return sql.count("SELECT count(*) FROM (SELECT 1 FROM reference_load LIMIT 1) l") > 0;
    }

    /** The skipped result when a load with this checksum is recorded, else null. */
    private LoadResult alreadyApplied(ReferenceDataset.Fingerprint f, long t0) {
        List<Integer> territoryCount = sql.query("""
                SELECT created + changed + unchanged FROM reference_load WHERE checksum = ? ORDER BY id DESC LIMIT 1""",
                rs -> rs.getInt(1), f.checksum());
        return territoryCount.isEmpty() ? null
                : new LoadResult(f.source(), f.sourceVersion(), f.millesime(), f.checksum(), true, 0, 0, 0,
                        territoryCount.get(0), millisSince(t0));
    }

    private LoadResult apply(ReferenceDataset dataset, boolean force, long t0) {
        sql.query("SELECT pg_advisory_xact_lock(?)", rs -> null, LOAD_LOCK);
        boolean alreadyApplied = sql.count("SELECT count(*) FROM reference_load WHERE checksum = ?",
                dataset.checksum()) > 0;
        if (alreadyApplied && !force) {
            return new LoadResult(dataset.source(), dataset.sourceVersion(), dataset.millesime(), dataset.checksum(),
                    true, 0, 0, 0, dataset.territories().size(), millisSince(t0));
        }
        Map<String, ReferenceDiff.Stored> stored = territories.storedStates();
        ReferenceDiff diff = ReferenceDiff.between(stored, dataset.territories(), dataset.millesime(),
                id -> territories.find(id).orElseThrow().territory());
        List<ReferenceTerritory> written = new ArrayList<>(diff.created());
        written.addAll(diff.changed());
        written.addAll(diff.retired());
        long tDiff = millisSince(t0);
        territories.upsert(written);
        territories.upsertParts(dataset.parts(), dataset.millesime());
        long tWrite = millisSince(t0);
        outbox.publishAll(written.stream().map(t -> TerritoryEvents.territoryRegistered(registered(t))).toList());
        LOG.debugf("reference load: read+diff %d ms, write %d ms, outbox %d ms", tDiff, tWrite - tDiff,
                millisSince(t0) - tWrite);
        if (!diff.isEmpty()) {
            // Fresh statistics so that searches right after a first load plan on the indexes.
            sql.update("ANALYZE territory");
        }
        long duration = millisSince(t0);
        if (!diff.isEmpty() || !alreadyApplied) {
            sql.update("""
                    INSERT INTO reference_load (source, source_version, millesime, checksum, loaded_at, created,
                        changed, retired, unchanged, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    dataset.source(), dataset.sourceVersion(), dataset.millesime(), dataset.checksum(),
                    OffsetDateTime.now(clock), diff.created().size(), diff.changed().size(), diff.retired().size(),
                    diff.unchanged(), duration);
            audit.record("ReferenceDataset", dataset.source() + "@" + dataset.sourceVersion(), "LOADED",
                    "data year " + dataset.millesime(), Map.of("created", diff.created().size(), "changed",
                            diff.changed().size(), "retired", diff.retired().size(), "unchanged", diff.unchanged()));
        }
        return new LoadResult(dataset.source(), dataset.sourceVersion(), dataset.millesime(), dataset.checksum(), false,
                diff.created().size(), diff.changed().size(), diff.retired().size(), diff.unchanged(), duration);
    }

    public static TerritoryEvents.TerritoryRegistered registered(ReferenceTerritory t) {
        return new TerritoryEvents.TerritoryRegistered(t.id(), t.kind().name(), t.code(), t.name(), t.regionCode(),
                t.departementCode(), t.epciSiren(), t.eptSiren(), t.epciNature(), t.memberCommunes(), t.postcodes(),
                t.population(), t.millesime(), t.retired(), t.replacedBy(), t.formerCodes());
    }

    public List<Map<String, Object>> history() {
        return sql.query("""
                SELECT source, source_version, millesime, checksum, loaded_at, created, changed, retired, unchanged,
                    duration_ms FROM reference_load ORDER BY id""", rs -> {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("source", rs.getString(1));
            m.put("sourceVersion", rs.getString(2));
            m.put("millesime", rs.getInt(3));
            m.put("checksum", rs.getString(4));
            m.put("loadedAt", rs.getObject(5, OffsetDateTime.class));
            m.put("created", rs.getInt(6));
            m.put("changed", rs.getInt(7));
            m.put("retired", rs.getInt(8));
            m.put("unchanged", rs.getInt(9));
            m.put("durationMs", rs.getLong(10));
            return m;
        });
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
