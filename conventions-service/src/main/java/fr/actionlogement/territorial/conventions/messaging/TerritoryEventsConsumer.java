package fr.actionlogement.territorial.conventions.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import fr.actionlogement.territorial.buildingblocks.events.CloudEvent;
import fr.actionlogement.territorial.buildingblocks.events.EventCatalog;
import fr.actionlogement.territorial.buildingblocks.inbox.Inbox;
import fr.actionlogement.territorial.buildingblocks.inbox.MalformedEventException;
import fr.actionlogement.territorial.conventions.persistence.TerritoryReadModel;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Keeps the read model of territories-service's facts: idempotent through the inbox; a record it cannot read
 * goes to conventions-service.dlq.v1 (channel configuration) while the partition moves on.
 */
@ApplicationScoped
public class TerritoryEventsConsumer {

    static final String CONSUMER = "conventions-territories";
    private static final Logger LOG = Logger.getLogger(TerritoryEventsConsumer.class);

    @Inject
    Inbox inbox;
    @Inject
    TerritoryReadModel readModel;

    @Incoming("territories-reference")
    @Blocking
    public void onReference(String record) {
        if (record == null) {
            return; // a tombstone of the compacted topic: territories are retired by a flag, never deleted
        }
        inbox.handleOnce(CONSUMER, record, this::apply);
    }

    @Incoming("territories-events")
    @Blocking
    public void onEvent(String record) {
        inbox.handleOnce(CONSUMER, record, this::apply);
    }

    private void apply(CloudEvent event) {
        String type = event.type();
        if (!type.startsWith(EventCatalog.TYPE_PREFIX + "territories.")) {
            throw new MalformedEventException("event " + event.id() + " of type " + type + " is not a territories event");
        }
        if (!type.endsWith(".v1")) {
            LOG.warnf("Skipping event %s of unsupported version %s", event.id(), type);
            return;
        }
        switch (EventCatalog.nameOf(type)) {
            case "TerritoryRegistered" -> readModel.apply(valid(inbox.dataAs(event,
                    TerritoryFactsData.TerritoryRegistered.class), event,
                    d -> d.territoryId() != null
                            && d.kind() != null && d.name() != null && d.code() != null));
            case "CilRegistered" -> readModel.apply(valid(inbox.dataAs(event, TerritoryFactsData.CilRegistered.class),
                    event, d -> d.cilId() != null && d.name() != null));
            case "CilPresenceChanged" -> readModel.apply(valid(inbox.dataAs(event,
                    TerritoryFactsData.CilPresenceChanged.class), event,
                    d -> d.cilId() != null
                            && d.territoryId() != null && d.present() != null));
            case "RegionalConferenceChanged" -> readModel.apply(valid(inbox.dataAs(event,
                    TerritoryFactsData.RegionalConferenceChanged.class), event, d -> d.regionCode() != null));
            case "DelegueAssigned" -> readModel.apply(valid(inbox.dataAs(event,
                    TerritoryFactsData.DelegueAssigned.class), event,
                    d -> d.regionCode() != null
                            && d.delegueSubject() != null));
            case "BasinDefined" -> readModel.apply(valid(inbox.dataAs(event, TerritoryFactsData.BasinDefined.class),
                    event, d -> d.basinId() != null && d.name() != null));
            case "TerritorialConferenceInstalled" -> readModel.apply(valid(inbox.dataAs(event,
                    TerritoryFactsData.TerritorialConferenceInstalled.class), event,
                    d -> d.conferenceId() != null
                            && d.basinId() != null && d.installedOn() != null));
            default -> LOG.debugf("Ignoring %s: not needed by conventions", type);
        }
    }

    private static <T> T valid(T data, CloudEvent event, java.util.function.Predicate<T> required) {
        if (!required.test(data)) {
            throw new MalformedEventException("event " + event.id() + " (" + event.type() + ") lacks required fields");
        }
        return data;
    }
}
