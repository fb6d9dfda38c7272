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

    /** While true, notes whose text starts with this prefix fail in the handler: a cause that is fixed later. */
    public static final String FIXABLE = "fixable";
    public static volatile boolean broken;

    @Incoming("probe-in")
    @Blocking
    public void consume(String record) {
        inbox.handleOnce("probe-consumer", record, event -> {
            if (broken && event.data().path("text").asText().startsWith(FIXABLE)) {
                throw new IllegalStateException("the probe consumer is broken until the test fixes it");
            }
            apply(event);
        });
    }

    private void apply(fr.actionlogement.territorial.buildingblocks.events.CloudEvent event) {
        em.createNativeQuery("INSERT INTO probe_applied (event_id, payload) VALUES (?1, ?2)")
                .setParameter(1, event.id()).setParameter(2, event.data().toString()).executeUpdate();
    }
}
