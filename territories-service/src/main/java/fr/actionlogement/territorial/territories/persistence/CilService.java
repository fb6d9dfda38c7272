package fr.actionlogement.territorial.territories.persistence;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import fr.actionlogement.territorial.buildingblocks.api.Page;
import fr.actionlogement.territorial.buildingblocks.api.PageRequest;
import fr.actionlogement.territorial.buildingblocks.audit.AuditLog;
import fr.actionlogement.territorial.buildingblocks.outbox.Outbox;
import fr.actionlogement.territorial.territories.domain.CilPresence;
import fr.actionlogement.territorial.territories.domain.DomainRefusal;
import fr.actionlogement.territorial.territories.messaging.TerritoryEvents;

/** CILs and subsidiaries, their presence on territories, regional conferences and délégués. */
@ApplicationScoped
public class CilService {

    @Schema(name = "Cil", description = "A CIL (parentCilId null) or one of its subsidiaries (filiale)")
    public record CilView(@Schema(description = "SIREN", examples = "782855696") String id,
            @Schema(examples = "CIL Rhône-Alpes") String name,
            @Schema(description = "The CIL a filiale belongs to") String parentCilId, List<String> subsidiaryIds,
            long version) {
    }

    @Schema(name = "CilPresence")
    public record PresenceView(UUID id, String cilId, @Schema(examples = "EPCI:200046977") String territoryId,
            @Schema(examples = "2013-01-01") LocalDate since, LocalDate until,
            @Schema(description = "Present today") boolean present, long version) {
    }

    @Schema(name = "RegionalConference")
    public record RegionalConferenceView(@Schema(examples = "84") String regionCode, String regionName,
            List<String> memberCilIds, long version) {
    }

    @Schema(name = "Delegue", description = "The délégué territorial of a region")
    public record DelegueView(@Schema(examples = "84") String regionCode,
            @Schema(description = "Keycloak subject") String subject, String username, LocalDate since, long version) {
    }

    private final Db db;
    private final Outbox outbox;
    private final AuditLog audit;
    private final TerritoryRepository territories;
    private final ConferenceService conferences;

    CilService(Db db, Outbox outbox, AuditLog audit, TerritoryRepository territories, ConferenceService conferences) {
        this.db = db;
        this.outbox = outbox;
        this.audit = audit;
        this.territories = territories;
        this.conferences = conferences;
    }

    public Page<CilView> list(String parentCilId, PageRequest page) {
        List<Object> params = new ArrayList<>();
        String where = "";
        if (parentCilId != null) {
            where = " WHERE parent_cil_id = ?";
            params.add(parentCilId);
        }
        long total = db.count("SELECT count(*) FROM cil" + where, params);
        List<Object> p = new ArrayList<>(params);
        p.add(page.size());
        p.add(page.offset());
        List<String> ids = db.query("SELECT id FROM cil" + where + " ORDER BY " + page.sortColumn()
                + (page.descending() ? " DESC" : "") + ", id LIMIT ? OFFSET ?", p, rs -> rs.getString(1));
        return Page.of(ids.stream().map(id -> find(id).orElseThrow()).toList(), page, total);
    }

    public Optional<CilView> find(String id) {
        List<String> subs = db.query("SELECT id FROM cil WHERE parent_cil_id = ? ORDER BY id", List.of(id),
                rs -> rs.getString(1));
        return db.one("SELECT id, name, parent_cil_id, version FROM cil WHERE id = ?", List.of(id),
                rs -> new CilView(rs.getString(1), rs.getString(2), rs.getString(3), subs, rs.getLong(4)));
    }

    public CilView register(String id, String name, String parentCilId) {
        if (find(id).isPresent()) {
            throw DomainRefusal.conflict("R-34", "cilExists", "CIL " + id + " is already registered");
        }
        requiresParentIsCil(id, parentCilId);
        db.update("INSERT INTO cil (id, name, parent_cil_id) VALUES (?, ?, ?)", id, name, parentCilId);
        outbox.publish(TerritoryEvents.cilRegistered(new TerritoryEvents.CilRegistered(id, name, parentCilId)));
        CilView view = find(id).orElseThrow();
        audit.record("Cil", id, "REGISTERED", null, view);
        return view;
    }

    public CilView rename(String id, long expectedVersion, String name, String reason) {
        CilView before = find(id).orElseThrow();
        db.update("UPDATE cil SET name = ?, version = version + 1 WHERE id = ? AND version = ?", name, id,
                expectedVersion);
        outbox.publish(TerritoryEvents.cilRegistered(new TerritoryEvents.CilRegistered(id, name, before.parentCilId())));
        CilView view = find(id).orElseThrow();
        audit.record("Cil", id, "RENAMED", reason, view);
        return view;
    }

    /** A filiale hangs under a CIL, never under another filiale. */
    private void requiresParentIsCil(String id, String parentCilId) {
        if (parentCilId == null) {
            return;
        }
        if (parentCilId.equals(id)) {
            throw DomainRefusal.of("R-34", "parentIsItself", "a CIL cannot be its own parent");
        }
        CilView parent = find(parentCilId).orElseThrow(
                () -> DomainRefusal.of("R-34", "unknownParent", "parent CIL " + parentCilId + " is not registered"));
        if (parent.parentCilId() != null) {
            throw DomainRefusal.of("R-34", "parentIsFiliale",
                    parentCilId + " is itself a filiale of " + parent.parentCilId());
        }
    }

    // Presence

    public List<PresenceView> presencesOfCil(String cilId) {
        return db.query("SELECT * FROM cil_presence WHERE cil_id = ? ORDER BY territory_id, since, id", List.of(cilId),
                this::presence);
    }

    public List<PresenceView> presencesOnTerritory(String territoryId, boolean currentOnly) {
        List<PresenceView> all = db.query("SELECT * FROM cil_presence WHERE territory_id = ? ORDER BY cil_id, since, id",
                List.of(territoryId), this::presence);
        return currentOnly ? all.stream().filter(PresenceView::present).toList() : all;
    }

    public Optional<PresenceView> presence(String cilId, UUID id) {
        return db.one("SELECT * FROM cil_presence WHERE cil_id = ? AND id = ?", List.of(cilId, id), this::presence);
    }

    public PresenceView addPresence(String cilId, String territoryId, LocalDate since, LocalDate until) {
        find(cilId).orElseThrow(() -> new java.util.NoSuchElementException("CIL " + cilId));
        CilPresence.requiresOrderedDates(since, until);
        if (territoryId.startsWith("BASSIN:")) {
            if (db.count("SELECT count(*) FROM basin WHERE id = ?", List.of(territoryId)) == 0) {
                throw DomainRefusal.of("R-34", "unknownTerritory", "no basin " + territoryId);
            }
        } else if (territories.find(territoryId).filter(r -> !r.territory().retired()).isEmpty()) {
            throw DomainRefusal.of("R-34", "unknownTerritory", "no current territory " + territoryId);
        }
        long overlapping = db.count("""
                SELECT count(*) FROM cil_presence WHERE cil_id = ? AND territory_id = ?
                  AND (until IS NULL OR until >= ?) AND (?::date IS NULL OR since <= ?::date)""",
                java.util.Arrays.asList(cilId, territoryId, since, until, until));
        if (overlapping > 0) {
            throw DomainRefusal.conflict("R-34", "presenceOverlaps",
                    "CIL " + cilId + " already has a presence on " + territoryId + " over these dates");
        }
        UUID id = UUID.randomUUID();
        db.update("INSERT INTO cil_presence (id, cil_id, territory_id, since, until) VALUES (?, ?, ?, ?, ?)", id, cilId,
                territoryId, since, until);
        PresenceView view = presence(cilId, id).orElseThrow();
        publishPresence(view);
        audit.record("Cil", cilId, "PRESENCE_ADDED", null, view);
        return view;
    }

    public PresenceView changePresence(String cilId, UUID id, long expectedVersion, LocalDate since, LocalDate until,
            String reason) {
        CilPresence.requiresOrderedDates(since, until);
        db.update("UPDATE cil_presence SET since = ?, until = ?, version = version + 1 WHERE id = ? AND version = ?",
                since, until, id, expectedVersion);
        PresenceView view = presence(cilId, id).orElseThrow();
        publishPresence(view);
        audit.record("Cil", cilId, "PRESENCE_CHANGED", reason, view);
        return view;
    }

    private void publishPresence(PresenceView p) {
        outbox.publish(TerritoryEvents.cilPresenceChanged(new TerritoryEvents.CilPresenceChanged(p.cilId(),
                p.territoryId(), p.present(), p.since(), p.until())));
    }

    private PresenceView presence(java.sql.ResultSet rs) throws java.sql.SQLException {
        LocalDate since = Sql.date(rs, "since");
        LocalDate until = Sql.date(rs, "until");
        return new PresenceView(rs.getObject("id", UUID.class), rs.getString("cil_id"), rs.getString("territory_id"),
                since, until, CilPresence.isPresentOn(since, until, conferences.today()), rs.getLong("version"));
    }

    // Regional conferences

    public List<RegionalConferenceView> regionalConferences() {
        return db.query("SELECT region_code FROM regional_conference ORDER BY region_code", List.of(),
                rs -> rs.getString(1)).stream().map(r -> regionalConference(r).orElseThrow()).toList();
    }

    public Optional<RegionalConferenceView> regionalConference(String regionCode) {
        List<String> members = db.query(
                "SELECT cil_id FROM regional_conference_member WHERE region_code = ? ORDER BY cil_id",
                List.of(regionCode), rs -> rs.getString(1));
        String name = territories.find("REGION:" + regionCode).map(r -> r.territory().name()).orElse(null);
        return db.one("SELECT version FROM regional_conference WHERE region_code = ?", List.of(regionCode),
                rs -> new RegionalConferenceView(regionCode, name, members, rs.getLong(1)));
    }

    /** Creates or replaces the members of a region's conference (expectedVersion null when it does not exist). */
    public RegionalConferenceView setRegionalConference(String regionCode, Long expectedVersion, List<String> cilIds,
            String reason) {
        requiresRegion(regionCode);
        TreeSet<String> members = new TreeSet<>(cilIds);
        for (String cil : members) {
            if (find(cil).isEmpty()) {
                throw DomainRefusal.of("R-34", "unknownCil", "CIL " + cil + " is not registered");
            }
        }
        if (expectedVersion == null) {
            db.update("INSERT INTO regional_conference (region_code) VALUES (?)", regionCode);
        } else {
            db.update("UPDATE regional_conference SET version = version + 1 WHERE region_code = ? AND version = ?",
                    regionCode, expectedVersion);
            db.update("DELETE FROM regional_conference_member WHERE region_code = ?", regionCode);
        }
        for (String cil : members) {
            db.update("INSERT INTO regional_conference_member (region_code, cil_id) VALUES (?, ?)", regionCode, cil);
        }
        outbox.publish(TerritoryEvents.regionalConferenceChanged(
                new TerritoryEvents.RegionalConferenceChanged(regionCode, List.copyOf(members))));
        RegionalConferenceView view = regionalConference(regionCode).orElseThrow();
        audit.record("RegionalConference", regionCode, expectedVersion == null ? "CREATED" : "MEMBERS_CHANGED", reason,
                view);
        return view;
    }

    // Délégués

    public List<DelegueView> delegues() {
        return db.query("SELECT * FROM delegue ORDER BY region_code", List.of(), CilService::delegue);
    }

    public Optional<DelegueView> delegue(String regionCode) {
        return db.one("SELECT * FROM delegue WHERE region_code = ?", List.of(regionCode), CilService::delegue);
    }

    public DelegueView assignDelegue(String regionCode, Long expectedVersion, String subject, String username,
            LocalDate since, String reason) {
        requiresRegion(regionCode);
        if (expectedVersion == null) {
            db.update("INSERT INTO delegue (region_code, subject, username, since) VALUES (?, ?, ?, ?)", regionCode,
                    subject, username, since);
        } else {
            db.update("""
                    UPDATE delegue SET subject = ?, username = ?, since = ?, version = version + 1
                    WHERE region_code = ? AND version = ?""", subject, username, since, regionCode, expectedVersion);
        }
        outbox.publish(TerritoryEvents.delegueAssigned(
                new TerritoryEvents.DelegueAssigned(regionCode, subject, username, since)));
        DelegueView view = delegue(regionCode).orElseThrow();
        audit.record("Delegue", regionCode, "ASSIGNED", reason, view);
        return view;
    }

    private void requiresRegion(String regionCode) {
        if (territories.find("REGION:" + regionCode).filter(r -> !r.territory().retired()).isEmpty()) {
            throw DomainRefusal.of("R-34", "unknownRegion", "no region " + regionCode + " in the reference");
        }
    }

    private static DelegueView delegue(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new DelegueView(rs.getString("region_code"), rs.getString("subject"), rs.getString("username"),
                Sql.date(rs, "since"), rs.getLong("version"));
    }
}
