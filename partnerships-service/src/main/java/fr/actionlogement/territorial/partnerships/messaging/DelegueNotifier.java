package fr.actionlogement.territorial.partnerships.messaging;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import fr.actionlogement.territorial.buildingblocks.events.CloudEvent;
import fr.actionlogement.territorial.buildingblocks.inbox.Inbox;
import fr.actionlogement.territorial.buildingblocks.inbox.MalformedEventException;
import fr.actionlogement.territorial.partnerships.persistence.NotificationEntity;
import fr.actionlogement.territorial.partnerships.persistence.TerritoryReadModel;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * the délégué territorial of the authority's region receives every submitted draft. Fed by this service's own
 * PartnershipSubmitted events, so a notification exists only for a committed submission.
 */
@ApplicationScoped
public class DelegueNotifier {

    @Inject
    Inbox inbox;
    @Inject
    TerritoryReadModel readModel;
    @Inject
    Clock clock;

    @Incoming("partnerships-own")
    @Blocking
    public void onPartnershipEvent(String record) {
        inbox.handleOnce("partnerships-delegue-inbox", record, this::apply);
    }

    void apply(CloudEvent event) {
        if (!PartnershipEvents.SUBMITTED.equals(event.type())) {
            return;
        }
        PartnershipEvents.PartnershipSubmitted s = inbox.dataAs(event, PartnershipEvents.PartnershipSubmitted.class);
        if (s.agreementId() == null || s.collectiviteId() == null || s.partyType() == null) {
            throw new MalformedEventException("event " + event.id() + " lacks agreementId, collectiviteId or partyType");
        }
        NotificationEntity n = new NotificationEntity();
        n.id = UUID.randomUUID();
        n.eventId = event.id();
        n.regionCode = s.regionCode();
        // The délégué in office when the draft arrives; without one, any délégué of the region sees it.
        n.delegueSubject = readModel.delegueOf(s.regionCode()).map(TerritoryReadModel.DelegueRow::subject)
                .orElse(null);
        n.agreementId = s.agreementId();
        n.partyType = s.partyType();
        n.cilId = s.cilId();
        n.collectiviteId = s.collectiviteId();
        n.summary = "Draft agreement submitted by " + (s.partyType().isCil() ? "CIL " + s.cilId() : s.partyType())
                + " with " + (s.authorityName() == null ? s.collectiviteId() : s.authorityName()) + ": " + s.object()
                + (s.exclusivity() ? " (exclusivity clause)" : "");
        n.createdAt = event.time() != null ? event.time() : OffsetDateTime.now(clock);
        n.persist();
    }
}
