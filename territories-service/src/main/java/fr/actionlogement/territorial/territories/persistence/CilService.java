package fr.actionlogement.territorial.territories.persistence;

import java.time.LocalDate;
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
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;

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

    private final Outbox outbox;
    private final AuditLog audit;
    private final TerritoryRepository territories;
    private final ConferenceService conferences;

    CilService(Outbox outbox, AuditLog audit, TerritoryRepository territories, ConferenceService conferences) {
        this.outbox = outbox;
        this.audit = audit;
        this.territories = territories;
        this.conferences = conferences;
    }

    public Page<CilView> list(String parentCilId, PageRequest page) {
        var query = parentCilId == null ? CilEntity.<CilEntity> findAll(page.panacheSort("id"))
                : CilEntity.<CilEntity> find("parentCilId", page.panacheSort("id"), parentCilId);
        return Page.of(query.page(page.page(), page.size()).list().stream().map(CilService::view).toList(), page,
                query.count());
    }

    public Optional<CilView> find(String id) {
        return CilEntity.<CilEntity> findByIdOptional(id).map(CilService::view);
    }

    private static CilView view(CilEntity c) {
        return new CilView(c.id, c.name, c.parentCilId, CilEntity.subsidiaryIdsOf(c.id), c.version);
    }

    public CilView register(String id, String name, String parentCilId) {
        if (CilEntity.findById(id) != null) {
            throw DomainRefusal.conflict("R-34", "cilExists", "CIL " + id + " is already registered");
        }
        requiresParentIsCil(id, parentCilId);
        CilEntity cil = new CilEntity();
        cil.id = id;
        cil.name = name;
        cil.parentCilId = parentCilId;
        cil.persist();
        // Now, so that a concurrent registration of the same SIREN is a 409 of this request.
        CilEntity.flush();
        outbox.publish(TerritoryEvents.cilRegistered(new TerritoryEvents.CilRegistered(id, name, parentCilId)));
        CilView view = view(cil);
        audit.record("Cil", id, "REGISTERED", null, view);
        return view;
    }

    /**
     * The caller read {@code current} in this transaction and checked If-Match against its version. A rename does not
     * change the subsidiaries, so the answer reuses them instead of querying them again.
     */
    public CilView rename(CilView current, String name, String reason) {
        String id = current.id();
        CilEntity cil = CilEntity.findById(id);
        cil.name = name;
        cil.flushRevision();
        outbox.publish(TerritoryEvents.cilRegistered(new TerritoryEvents.CilRegistered(id, name, cil.parentCilId)));
        CilView view = new CilView(cil.id, cil.name, cil.parentCilId, current.subsidiaryIds(), cil.version);
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
        CilEntity parent = CilEntity.<CilEntity> findByIdOptional(parentCilId).orElseThrow(
                () -> DomainRefusal.of("R-34", "unknownParent", "parent CIL " + parentCilId + " is not registered"));
        if (parent.parentCilId != null) {
            throw DomainRefusal.of("R-34", "parentIsFiliale",
                    parentCilId + " is itself a filiale of " + parent.parentCilId);
        }
    }

    // Presence

    public List<PresenceView> presencesOfCil(String cilId) {
        return CilPresenceEntity.<CilPresenceEntity> list("cilId", Sort.by("territoryId").and("since").and("id"), cilId)
                .stream().map(this::view).toList();
    }

    public List<PresenceView> presencesOnTerritory(String territoryId, boolean currentOnly) {
        List<PresenceView> all = CilPresenceEntity.<CilPresenceEntity> list("territoryId",
                Sort.by("cilId").and("since").and("id"), territoryId).stream().map(this::view).toList();
        return currentOnly ? all.stream().filter(PresenceView::present).toList() : all;
    }

    public Optional<PresenceView> presence(String cilId, UUID id) {
        return presenceEntity(cilId, id).map(this::view);
    }

    private static Optional<CilPresenceEntity> presenceEntity(String cilId, UUID id) {
        return CilPresenceEntity.<CilPresenceEntity> findByIdOptional(id).filter(p -> p.cilId.equals(cilId));
    }

    public PresenceView addPresence(String cilId, String territoryId, LocalDate since, LocalDate until) {
        find(cilId).orElseThrow(() -> new java.util.NoSuchElementException("CIL " + cilId));
        CilPresence.requiresOrderedDates(since, until);
        if (territoryId.startsWith("BASSIN:")) {
            if (BasinEntity.findById(territoryId) == null) {
                throw DomainRefusal.of("R-34", "unknownTerritory", "no basin " + territoryId);
            }
        } else if (territories.find(territoryId).filter(r -> !r.territory().retired()).isEmpty()) {
            throw DomainRefusal.of("R-34", "unknownTerritory", "no current territory " + territoryId);
        }
        String overlap = "cilId = :cil and territoryId = :territory and (until is null or until >= :since)"
                + (until == null ? "" : " and since <= :until");
        var params = Parameters.with("cil", cilId).and("territory", territoryId)
                .and("since", since);
        if (until != null) {
            params = params.and("until", until);
        }
        if (CilPresenceEntity.count(overlap, params) > 0) {
            throw DomainRefusal.conflict("R-34", "presenceOverlaps",
                    "CIL " + cilId + " already has a presence on " + territoryId + " over these dates");
        }
        CilPresenceEntity p = new CilPresenceEntity();
        p.id = UUID.randomUUID();
        p.cilId = cilId;
        p.territoryId = territoryId;
        p.since = since;
        p.until = until;
        p.persist();
        CilPresenceEntity.flush();
        PresenceView view = view(p);
        publishPresence(view);
        audit.record("Cil", cilId, "PRESENCE_ADDED", null, view);
        return view;
    }

    /** The caller checked If-Match against the version it read in this transaction. */
    public PresenceView changePresence(String cilId, UUID id, LocalDate since, LocalDate until, String reason) {
        CilPresence.requiresOrderedDates(since, until);
        CilPresenceEntity p = presenceEntity(cilId, id).orElseThrow();
        p.since = since;
        p.until = until;
        p.flushRevision();
        PresenceView view = view(p);
        publishPresence(view);
        audit.record("Cil", cilId, "PRESENCE_CHANGED", reason, view);
        return view;
    }

    private void publishPresence(PresenceView p) {
        outbox.publish(TerritoryEvents.cilPresenceChanged(new TerritoryEvents.CilPresenceChanged(p.cilId(),
                p.territoryId(), p.present(), p.since(), p.until())));
    }

    private PresenceView view(CilPresenceEntity p) {
        return new PresenceView(p.id, p.cilId, p.territoryId, p.since, p.until,
                CilPresence.isPresentOn(p.since, p.until, conferences.today()), p.version);
    }

    // Regional conferences

    public List<RegionalConferenceView> regionalConferences() {
        return RegionalConferenceEntity.<RegionalConferenceEntity> listAll(Sort.by("regionCode")).stream()
                .map(this::view).toList();
    }

    public Optional<RegionalConferenceView> regionalConference(String regionCode) {
        return RegionalConferenceEntity.<RegionalConferenceEntity> findByIdOptional(regionCode).map(this::view);
    }

    private RegionalConferenceView view(RegionalConferenceEntity rc) {
        String name = territories.find("REGION:" + rc.regionCode).map(r -> r.territory().name()).orElse(null);
        return new RegionalConferenceView(rc.regionCode, name, List.copyOf(rc.memberCilIds), rc.version);
    }

    /**
     * Creates or replaces the members of a region's conference; the caller checked If-Match against the version it
     * read in this transaction when the conference exists.
     */
    public RegionalConferenceView setRegionalConference(String regionCode, List<String> cilIds, String reason) {
        requiresRegion(regionCode);
        TreeSet<String> members = new TreeSet<>(cilIds);
        for (String cil : members) {
            if (CilEntity.findById(cil) == null) {
                throw DomainRefusal.of("R-34", "unknownCil", "CIL " + cil + " is not registered");
            }
        }
        RegionalConferenceEntity rc = RegionalConferenceEntity.findById(regionCode);
        boolean created = rc == null;
        if (created) {
            rc = new RegionalConferenceEntity();
            rc.regionCode = regionCode;
            rc.memberCilIds.addAll(members);
            rc.persist();
            RegionalConferenceEntity.flush();
        } else {
            rc.memberCilIds.clear();
            rc.memberCilIds.addAll(members);
            rc.flushRevision();
        }
        outbox.publish(TerritoryEvents.regionalConferenceChanged(
                new TerritoryEvents.RegionalConferenceChanged(regionCode, List.copyOf(members))));
        RegionalConferenceView view = view(rc);
        audit.record("RegionalConference", regionCode, created ? "CREATED" : "MEMBERS_CHANGED", reason, view);
        return view;
    }

    // Délégués

    public List<DelegueView> delegues() {
        return DelegueEntity.<DelegueEntity> listAll(Sort.by("regionCode")).stream().map(CilService::view).toList();
    }

    public Optional<DelegueView> delegue(String regionCode) {
        return DelegueEntity.<DelegueEntity> findByIdOptional(regionCode).map(CilService::view);
    }

    /**
     * Creates or replaces the délégué of a region; the caller checked If-Match against the version it read in this
     * transaction when one is assigned.
     */
    public DelegueView assignDelegue(String regionCode, String subject, String username, LocalDate since,
            String reason) {
        requiresRegion(regionCode);
        DelegueEntity d = DelegueEntity.findById(regionCode);
        if (d == null) {
            d = new DelegueEntity();
            d.regionCode = regionCode;
            d.subject = subject;
            d.username = username;
            d.since = since;
            d.persist();
            DelegueEntity.flush();
        } else {
            d.subject = subject;
            d.username = username;
            d.since = since;
            d.flushRevision();
        }
        outbox.publish(TerritoryEvents.delegueAssigned(
                new TerritoryEvents.DelegueAssigned(regionCode, subject, username, since)));
        DelegueView view = view(d);
        audit.record("Delegue", regionCode, "ASSIGNED", reason, view);
        return view;
    }

    private void requiresRegion(String regionCode) {
        if (territories.find("REGION:" + regionCode).filter(r -> !r.territory().retired()).isEmpty()) {
            throw DomainRefusal.of("R-34", "unknownRegion", "no region " + regionCode + " in the reference");
        }
    }

    private static DelegueView view(DelegueEntity d) {
        return new DelegueView(d.regionCode, d.subject, d.username, d.since, d.version);
    }
}
