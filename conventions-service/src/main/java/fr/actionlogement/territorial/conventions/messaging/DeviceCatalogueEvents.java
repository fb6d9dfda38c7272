package fr.actionlogement.territorial.conventions.messaging;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import fr.actionlogement.territorial.buildingblocks.events.DomainEvent;
import fr.actionlogement.territorial.buildingblocks.events.EventCatalog;
import fr.actionlogement.territorial.buildingblocks.outbox.Outbox;
import fr.actionlogement.territorial.conventions.domain.DeviceDefinition;

/**
 * a change of the UESL's device catalogue, published through the outbox in the transaction of the
 * change on {@link ConventionEvents#TOPIC}, keyed by device code (schema
 * docs/events/conventions/DeviceCatalogueChanged.v1.json).
 */
@ApplicationScoped
public class DeviceCatalogueEvents {

    static final String AGGREGATE = "DeviceCatalogue";

    /** {@code change}: ADDED or CHANGED; {@code revision}: the device's revision after the change (its ETag). */
    public record DeviceCatalogueChanged(String code, String label, String runBy, boolean contingent,
            List<String> productCodes, String change, long revision, String changedBy, Instant changedAt) {
    }

    @Inject
    Outbox outbox;

    public void changed(DeviceDefinition d, String change, long revision, String by, Instant at) {
        outbox.publish(new DomainEvent(ConventionEvents.TOPIC,
                EventCatalog.type(ConventionEvents.CONTEXT, "DeviceCatalogueChanged", 1), AGGREGATE, d.code(),
                new DeviceCatalogueChanged(d.code(), d.label(), d.runBy() == null ? null : d.runBy().name(),
                        d.contingent(), d.productCodes(), change, revision, by, at)));
    }
}
