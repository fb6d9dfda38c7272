package fr.actionlogement.territorial.observatory.messaging;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import fr.actionlogement.territorial.buildingblocks.events.CloudEvent;
import fr.actionlogement.territorial.buildingblocks.events.EventCatalog;
import fr.actionlogement.territorial.buildingblocks.inbox.Inbox;
import fr.actionlogement.territorial.buildingblocks.inbox.MalformedEventException;
import fr.actionlogement.territorial.observatory.persistence.ReadModels;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Keeps the local read models of the other contexts (docs/events/README.md), idempotently through the inbox; an
 * unreadable record goes to observatory-service.dlq.v1. Types this context does not need are acknowledged and
 * ignored.
 */
@ApplicationScoped
public class ReadModelConsumers {

    static final String TERRITORY_REGISTERED = EventCatalog.type("territories", "TerritoryRegistered", 1);
    static final String CIL_PRESENCE_CHANGED = EventCatalog.type("territories", "CilPresenceChanged", 1);
    static final String BASIN_DEFINED = EventCatalog.type("territories", "BasinDefined", 1);
    static final String CONVENTION_SIGNED = EventCatalog.type("conventions", "ConventionSigned", 1);
    static final String CONVENTION_AMENDED = EventCatalog.type("conventions", "ConventionAmended", 1);
    static final String ACHIEVEMENT_RECORDED = EventCatalog.type("conventions", "AchievementRecorded", 1);

    // Our view of the other contexts' payloads: only the fields used here.
    record TerritoryRegistered(String territoryId, String kind, String code, String name, String regionCode,
            String departementCode, String epciSiren, Boolean retired) {
    }

    record CilPresenceChanged(String cilId, String territoryId, Boolean present, String since, String until) {
    }

    record BasinDefined(String basinId, String name, List<String> epciSirens) {
    }

    record Objective(String objectiveId, String indicator, String publicPrioritaire, Integer year, BigDecimal target) {
    }

    /**
     * ConventionSigned and ConventionAmended; {@code regionCode} and {@code partyKeys} are absent from records written
     * before the events carried them: such a convention is shown to the UESL and admins only.
     */
    record ConventionSigned(String conventionId, Integer version, String kind, String territoryId,
            List<String> coveredTerritoryIds, List<Objective> objectives, String signedOn, String regionCode,
            List<String> partyKeys) {
    }

    record AchievementRecorded(String achievementId, String conventionId, String objectiveId, BigDecimal value) {
    }

    private final Inbox inbox;
    private final ReadModels readModels;

    ReadModelConsumers(Inbox inbox, ReadModels readModels) {
        this.inbox = inbox;
        this.readModels = readModels;
    }

    @Incoming("territory-reference")
    @Blocking
    public void territoryReference(String record) {
        if (record == null) {
            return; // a compaction tombstone
        }
        inbox.handleOnce("observatory-territory-reference", record, e -> {
            if (TERRITORY_REGISTERED.equals(e.type())) {
                TerritoryRegistered t = inbox.dataAs(e, TerritoryRegistered.class);
                require(e, t.territoryId(), t.kind(), t.code());
                readModels.upsertTerritory(new ReadModels.Territory(t.territoryId(), t.kind(), t.code(), t.name(),
                        t.regionCode(), t.departementCode(), t.epciSiren(), Boolean.TRUE.equals(t.retired())));
            }
        });
    }

    @Incoming("territory-events")
    @Blocking
    public void territoryEvents(String record) {
        inbox.handleOnce("observatory-territory-events", record, e -> {
            if (CIL_PRESENCE_CHANGED.equals(e.type())) {
                CilPresenceChanged p = inbox.dataAs(e, CilPresenceChanged.class);
                require(e, p.cilId(), p.territoryId(), p.present());
                readModels.presence(p.cilId(), p.territoryId(), p.present(), date(e, p.since()), date(e, p.until()));
            } else if (BASIN_DEFINED.equals(e.type())) {
                BasinDefined b = inbox.dataAs(e, BasinDefined.class);
                require(e, b.basinId(), b.epciSirens());
                readModels.defineBasin(b.basinId(), b.name(), b.epciSirens());
            }
        });
    }

    @Incoming("convention-events")
    @Blocking
    public void conventionEvents(String record) {
        inbox.handleOnce("observatory-convention-events", record, e -> {
            if (CONVENTION_SIGNED.equals(e.type()) || CONVENTION_AMENDED.equals(e.type()) && hasObjectives(e)) {
                ConventionSigned c = inbox.dataAs(e, ConventionSigned.class);
                require(e, c.conventionId(), c.territoryId());
                List<ReadModels.Objective> objectives = c.objectives() == null ? List.of()
                        : c.objectives().stream().map(o -> {
                            require(e, o.objectiveId(), o.indicator(), o.year(), o.target());
                            return new ReadModels.Objective(o.objectiveId(), o.indicator(), o.publicPrioritaire(),
                                    o.year(), o.target());
                        }).toList();
                readModels.conventionSigned(new ReadModels.Convention(c.conventionId(),
                        c.version() == null ? 1 : c.version(), c.kind(), c.territoryId(),
                        c.coveredTerritoryIds() == null ? List.of(c.territoryId()) : c.coveredTerritoryIds(),
                        date(e, c.signedOn()), c.regionCode(), c.partyKeys()), objectives);
            } else if (ACHIEVEMENT_RECORDED.equals(e.type())) {
                AchievementRecorded a = inbox.dataAs(e, AchievementRecorded.class);
                require(e, a.conventionId(), a.objectiveId(), a.value());
                // the achievement's own id when given: a republished achievement is still counted once
                readModels.achievement(a.achievementId() != null ? a.achievementId() : e.id(), a.conventionId(),
                        a.objectiveId(), a.value());
            }
        });
    }

    private static boolean hasObjectives(CloudEvent e) {
        return e.data() != null && e.data().has("objectives") && e.data().has("territoryId");
    }

    private static void require(CloudEvent e, Object... values) {
        for (Object v : values) {
            if (v == null || v instanceof String s && s.isBlank()) {
                throw new MalformedEventException("event " + e.id() + " (" + e.type() + ") lacks a required field");
            }
        }
    }

    /** Dates may come as 2024-01-31 or as a timestamp; the day is what matters here. */
    private static LocalDate date(CloudEvent e, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.length() > 10 ? value.substring(0, 10) : value);
        } catch (RuntimeException ex) {
            throw new MalformedEventException("event " + e.id() + " has an unreadable date " + value, ex);
        }
    }
}
