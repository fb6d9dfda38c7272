package fr.actionlogement.territorial.buildingblocks.probe;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import fr.actionlogement.territorial.buildingblocks.inbox.Inbox;
import io.smallrye.reactive.messaging.annotations.Blocking;

/** Applies probe events through the inbox, as every service consumer does. */
@ApplicationScoped
public class ProbeConsumer {

    @Inject
    Inbox inbox;
    @Inject
    EntityManager em;

    @Incoming("probe-in")
    @Blocking
    public void consume(String record) {
        inbox.handleOnce("probe-consumer", record, event -> em
                .createNativeQuery("INSERT INTO probe_applied (event_id, payload) VALUES (?1, ?2)")
                .setParameter(1, event.id()).setParameter(2, event.data().toString()).executeUpdate());
    }
}
