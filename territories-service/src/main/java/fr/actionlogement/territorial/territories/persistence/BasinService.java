package fr.actionlogement.territorial.territories.persistence;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import fr.actionlogement.territorial.buildingblocks.api.Page;
import fr.actionlogement.territorial.buildingblocks.api.PageRequest;
import fr.actionlogement.territorial.buildingblocks.audit.AuditLog;
import fr.actionlogement.territorial.buildingblocks.outbox.Outbox;
import fr.actionlogement.territorial.territories.config.TerritoriesConfig;
import fr.actionlogement.territorial.territories.domain.Basin;
import fr.actionlogement.territorial.territories.domain.DomainRefusal;
import fr.actionlogement.territorial.territories.domain.InstallationDeadline;
import fr.actionlogement.territorial.territories.domain.Tension;
import fr.actionlogement.territorial.territories.messaging.TerritoryEvents;

/** employment basins, and the conférence territoriale each one gets under its protocol. */
@ApplicationScoped
public class BasinService {

    @Schema(name = "Basin", description = "An employment basin / urban area: a named set of EPCI defined by the UESL")
    public record BasinView(
            @Schema(examples = "BASSIN:lyon") String id,
            @Schema(examples = "lyon") String slug,
            @Schema(examples = "Lyon") String name,
            @Schema(description = "1: tense metropolitan areas (2013); 2: other large urban areas", examples = "1") int wave,
            @Schema(examples = "[\"200046977\"]") List<String> epciSirens,
            @Schema(description = "Zonage ABC: Abis, A, B1, B2, C", examples = "A") String tension,
            @Schema(examples = "Zonage ABC 2014") String tensionSource,
            @Schema(examples = "protocole-cadre-2013") String protocolId,
            @Schema(description = "The conférence territoriale of this basin") String conferenceId,
            @Schema(description = "True for the documented demo basins seeded with the service") boolean demoData,
            @Schema(description = "Signed conventions covering this basin") List<String> coveredByConventions,
            long version) {
    }

    public record BasinCommand(String slug, String name, int wave, List<String> epciSirens, String tension,
            String tensionSource, String protocolId) {
    }

    private final Db db;
    private final TerritoryRepository territories;
    private final Outbox outbox;
    private final AuditLog audit;
    private final TerritoriesConfig config;

    BasinService(Db db, TerritoryRepository territories, Outbox outbox, AuditLog audit, TerritoriesConfig config) {
        this.db = db;
        this.territories = territories;
        this.outbox = outbox;
        this.audit = audit;
        this.config = config;
    }

    public Page<BasinView> list(Integer wave, PageRequest page) {
        List<Object> params = new ArrayList<>();
        String where = "";
        if (wave != null) {
            where = " WHERE wave = ?";
            params.add(wave);
        }
        long total = db.count("SELECT count(*) FROM basin" + where, params);
        List<Object> p = new ArrayList<>(params);
        p.add(page.size());
        p.add(page.offset());
        List<String> ids = db.query("SELECT id FROM basin" + where + " ORDER BY " + page.sortColumn()
                + (page.descending() ? " DESC" : "") + ", id LIMIT ? OFFSET ?", p, rs -> rs.getString(1));
        return Page.of(ids.stream().map(id -> find(id).orElseThrow()).toList(), page, total);
    }

    public Optional<BasinView> find(String id) {
        return db.one("""
                SELECT b.id, b.slug, b.name, b.wave, b.tension, b.tension_source, b.protocol_id, b.demo_data, b.version,
                    (SELECT c.id FROM territorial_conference c WHERE c.basin_id = b.id ORDER BY c.id LIMIT 1) AS conference_id
                FROM basin b WHERE b.id = ?""", List.of(id), rs -> new BasinView(rs.getString("id"),
                rs.getString("slug"), rs.getString("name"), rs.getInt("wave"), List.of(), rs.getString("tension"),
                rs.getString("tension_source"), rs.getString("protocol_id"), rs.getString("conference_id"),
                rs.getBoolean("demo_data"), List.of(), rs.getLong("version")))
                .map(b -> new BasinView(b.id(), b.slug(), b.name(), b.wave(), epciOf(b.id()), b.tension(),
                        b.tensionSource(), b.protocolId(), b.conferenceId(), b.demoData(), coverage(b.id()),
                        b.version()));
    }

    public List<String> epciOf(String basinId) {
        return db.query("SELECT epci_siren FROM basin_epci WHERE basin_id = ? ORDER BY epci_siren", List.of(basinId),
                rs -> rs.getString(1));
    }

    List<String> coverage(String territoryId) {
        return db.query("SELECT convention_id FROM convention_coverage WHERE territory_id = ? ORDER BY convention_id",
                List.of(territoryId), rs -> rs.getString(1));
    }

    /** Must run in the caller's transaction. */
    public BasinView create(BasinCommand cmd) {
        validate(cmd);
        String id = Basin.idOf(cmd.slug());
        if (db.count("SELECT count(*) FROM basin WHERE id = ?", List.of(id)) > 0) {
            throw DomainRefusal.conflict("R-31", "basinExists", "basin " + id + " already exists");
        }
        db.update("""
                INSERT INTO basin (id, slug, name, wave, tension, tension_source, protocol_id, published_version)
                VALUES (?, ?, ?, ?, ?, ?, ?, 0)""", id, cmd.slug(), cmd.name(), cmd.wave(),
                Tension.canonical(cmd.tension()), cmd.tensionSource(), cmd.protocolId());
        writeEpci(id, cmd.epciSirens());
        BasinView view = find(id).orElseThrow();
        publish(view);
        audit.record("Basin", id, "DEFINED", null, view);
        provisionConference(id);
        return find(id).orElseThrow();
    }

    public BasinView update(String id, long expectedVersion, BasinCommand cmd) {
        BasinView before = find(id).orElseThrow();
        validate(new BasinCommand(before.slug(), cmd.name(), cmd.wave(), cmd.epciSirens(), cmd.tension(),
                cmd.tensionSource(), cmd.protocolId()));
        int n = db.update("""
                UPDATE basin SET name = ?, wave = ?, tension = ?, tension_source = ?, protocol_id = ?,
                    version = version + 1, published_version = version + 1
                WHERE id = ? AND version = ?""", cmd.name(), cmd.wave(), Tension.canonical(cmd.tension()),
                cmd.tensionSource(), cmd.protocolId(), id, expectedVersion);
        if (n == 0) {
            throw new IllegalStateException("concurrent update of " + id);
        }
        db.update("DELETE FROM basin_epci WHERE basin_id = ?", id);
        writeEpci(id, cmd.epciSirens());
        BasinView view = find(id).orElseThrow();
        publish(view);
        audit.record("Basin", id, "REDEFINED", null, view);
        if (before.wave() != view.wave() || !java.util.Objects.equals(before.protocolId(), view.protocolId())) {
            refreshDeadline(id);
        }
        provisionConference(id);
        return find(id).orElseThrow();
    }

    /** Sets a basin's tension and its source. */
    public BasinView setTension(String id, long expectedVersion, String tension, String source) {
        BasinView b = find(id).orElseThrow();
        return update(id, expectedVersion, new BasinCommand(b.slug(), b.name(), b.wave(), b.epciSirens(), tension,
                source, b.protocolId()));
    }

    private void validate(BasinCommand cmd) {
        Basin.requiresValidDefinition(cmd.slug(), cmd.wave(), cmd.epciSirens(), cmd.tension());
        Set<String> asked = new TreeSet<>(cmd.epciSirens());
        Set<String> known = territories.existingEpci(asked);
        asked.removeAll(known);
        if (!asked.isEmpty()) {
            throw DomainRefusal.of("R-31", "unknownEpci", "not EPCI of the reference: " + asked);
        }
        if (cmd.protocolId() != null && db.count("SELECT count(*) FROM protocol_wave WHERE protocol_id = ? AND wave = ?",
                List.of(cmd.protocolId(), cmd.wave())) == 0) {
            throw DomainRefusal.of("R-32", "unknownProtocolWave",
                    "protocol " + cmd.protocolId() + " has no wave " + cmd.wave());
        }
    }

    private void writeEpci(String id, List<String> sirens) {
        for (String s : new TreeSet<>(sirens)) {
            db.update("INSERT INTO basin_epci (basin_id, epci_siren) VALUES (?, ?)", id, s);
        }
    }

    private void publish(BasinView b) {
        outbox.publish(TerritoryEvents.basinDefined(new TerritoryEvents.BasinDefined(b.id(), b.name(), b.wave(),
                b.epciSirens(), b.tension(), b.tensionSource())));
    }

    /** Seeded basins (SQL migrations) are published once, at start-up; must run in a transaction. */
    public int publishUnpublished() {
        List<String> ids = db.query(
                "SELECT id FROM basin WHERE published_version IS DISTINCT FROM version ORDER BY id FOR UPDATE SKIP LOCKED",
                List.of(), rs -> rs.getString(1));
        for (String id : ids) {
            publish(find(id).orElseThrow());
            db.update("UPDATE basin SET published_version = version WHERE id = ?", id);
            provisionConference(id);
        }
        db.query("SELECT id FROM basin WHERE protocol_id IS NOT NULL ORDER BY id", List.of(), rs -> rs.getString(1))
                .forEach(this::provisionConference);
        return ids.size();
    }

    /** One conférence territoriale per basin under its protocol, with its installation deadline. */
    void provisionConference(String basinId) {
        db.one("""
                SELECT b.protocol_id, p.signed_on, w.starts_on FROM basin b
                JOIN framework_protocol p ON p.id = b.protocol_id
                JOIN protocol_wave w ON w.protocol_id = b.protocol_id AND w.wave = b.wave
                WHERE b.id = ?""", List.of(basinId), rs -> new Object[] { rs.getString(1), Sql.date(rs, "signed_on"),
                Sql.date(rs, "starts_on") }).ifPresent(row -> {
                    LocalDate deadline = InstallationDeadline.of((LocalDate) row[1], (LocalDate) row[2],
                            config.conference().installationDelayMonths());
                    db.update("""
                            INSERT INTO territorial_conference (id, basin_id, protocol_id, deadline) VALUES (?, ?, ?, ?)
                            ON CONFLICT DO NOTHING""", conferenceIdOf(basinId, (String) row[0]), basinId, row[0],
                            deadline);
                });
    }

    private void refreshDeadline(String basinId) {
        db.one("""
                SELECT c.id, p.signed_on, w.starts_on FROM territorial_conference c
                JOIN basin b ON b.id = c.basin_id
                JOIN framework_protocol p ON p.id = c.protocol_id
                JOIN protocol_wave w ON w.protocol_id = c.protocol_id AND w.wave = b.wave
                WHERE c.basin_id = ? AND c.installed_on IS NULL""", List.of(basinId),
                rs -> new Object[] { rs.getString(1), Sql.date(rs, "signed_on"), Sql.date(rs, "starts_on") })
                .ifPresent(
                        row -> db.update("UPDATE territorial_conference SET deadline = ?, version = version + 1 WHERE id = ?",
                                InstallationDeadline.of((LocalDate) row[1], (LocalDate) row[2],
                                        config.conference().installationDelayMonths()),
                                row[0]));
    }

    public static String conferenceIdOf(String basinId, String protocolId) {
        return "CT:" + basinId.substring(basinId.indexOf(':') + 1) + ":" + protocolId;
    }
}
