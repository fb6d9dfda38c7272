package fr.actionlogement.territorial.partnerships.messaging;

import java.time.LocalDate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import fr.actionlogement.territorial.buildingblocks.events.CloudEvent;
import fr.actionlogement.territorial.buildingblocks.events.EventCatalog;
import fr.actionlogement.territorial.buildingblocks.inbox.Inbox;
import fr.actionlogement.territorial.buildingblocks.inbox.MalformedEventException;
import fr.actionlogement.territorial.partnerships.persistence.TerritoryReadModel;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Keeps the local read model of territories-service's facts: territories (R-20: the authority exists; R-23:
 * its region), CILs and subsidiaries, délégués per region. Other event types are skipped.
 */
@ApplicationScoped
public class TerritoryEventsConsumer {

    static final String TERRITORY_REGISTERED = EventCatalog.type("territories", "TerritoryRegistered", 1);
    static final String CIL_REGISTERED = EventCatalog.type("territories", "CilRegistered", 1);
    static final String DELEGUE_ASSIGNED = EventCatalog.type("territories", "DelegueAssigned", 1);

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TerritoryRegistered(String territoryId, String kind, String code, String name, String regionCode,
            Boolean retired) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CilRegistered(String cilId, String name, String parentCilId) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DelegueAssigned(String regionCode, String delegueSubject, String delegueUsername, LocalDate since) {
    }

    @Inject
    Inbox inbox;
    @Inject
    TerritoryReadModel readModel;

    @Incoming("territories-reference")
    @Blocking
    public void onReference(String record) {
        inbox.handleOnce("partnerships-territories-reference", record, this::apply);
    }

    @Incoming("territories-events")
    @Blocking
    public void onEvent(String record) {
        inbox.handleOnce("partnerships-territories-events", record, this::apply);
    }

    void apply(CloudEvent event) {
        if (TERRITORY_REGISTERED.equals(event.type())) {
            TerritoryRegistered t = inbox.dataAs(event, TerritoryRegistered.class);
            require(event, t.territoryId(), "territoryId");
            require(event, t.kind(), "kind");
            require(event, t.code(), "code");
            readModel.upsertTerritory(new TerritoryReadModel.TerritoryRow(t.territoryId(), t.kind(), t.code(),
                    t.name(), t.regionCode(), Boolean.TRUE.equals(t.retired())));
        } else if (CIL_REGISTERED.equals(event.type())) {
            CilRegistered c = inbox.dataAs(event, CilRegistered.class);
            require(event, c.cilId(), "cilId");
            readModel.upsertCil(new TerritoryReadModel.CilRow(c.cilId(), c.name(), c.parentCilId()));
        } else if (DELEGUE_ASSIGNED.equals(event.type())) {
            DelegueAssigned d = inbox.dataAs(event, DelegueAssigned.class);
            require(event, d.regionCode(), "regionCode");
            require(event, d.delegueSubject(), "delegueSubject");
            readModel.assignDelegue(d.regionCode(), d.delegueSubject(), d.delegueUsername(), d.since());
        }
    }

    private static void require(CloudEvent event, String value, String field) {
        if (value == null || value.isBlank()) {
            throw new MalformedEventException("event " + event.id() + " (" + event.type() + ") has no " + field);
        }
    }
}
