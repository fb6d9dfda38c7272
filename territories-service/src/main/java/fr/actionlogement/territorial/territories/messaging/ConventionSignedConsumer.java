package fr.actionlogement.territorial.territories.messaging;

import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import fr.actionlogement.territorial.buildingblocks.audit.AuditLog;
import fr.actionlogement.territorial.buildingblocks.events.EventCatalog;
import fr.actionlogement.territorial.buildingblocks.inbox.Inbox;
import fr.actionlogement.territorial.buildingblocks.inbox.MalformedEventException;
import fr.actionlogement.territorial.territories.persistence.ConventionCoverageEntity;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Marks the territories and basins a signed convention covers (ConventionSigned on conventions.events.v1), once per
 * event id; other conventions events are not this service's concern.
 */
@ApplicationScoped
public class ConventionSignedConsumer {

    static final String CONSUMER = "territories-convention-coverage";
    static final String SIGNED = EventCatalog.type("conventions", "ConventionSigned", 1);

    /** This service's view of ConventionSigned: only what coverage needs. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ConventionSigned(String conventionId, String kind, String territoryId,
            List<String> coveredTerritoryIds, LocalDate signedOn) {
    }

    private final Inbox inbox;
    private final AuditLog audit;

    ConventionSignedConsumer(Inbox inbox, AuditLog audit) {
        this.inbox = inbox;
        this.audit = audit;
    }

    @Incoming("conventions-in")
    @Blocking
    public void consume(String record) {
        inbox.handleOnce(CONSUMER, record, event -> {
            if (!SIGNED.equals(event.type())) {
                return;
            }
            ConventionSigned signed = inbox.dataAs(event, ConventionSigned.class);
            if (signed.conventionId() == null || signed.conventionId().isBlank()) {
                throw new MalformedEventException("ConventionSigned " + event.id() + " has no conventionId");
            }
            Set<String> covered = new LinkedHashSet<>();
            if (signed.territoryId() != null) {
                covered.add(signed.territoryId());
            }
            if (signed.coveredTerritoryIds() != null) {
                covered.addAll(signed.coveredTerritoryIds());
            }
            for (String territoryId : covered) {
                ConventionCoverageEntity.record(signed.conventionId(), territoryId, signed.kind(), signed.signedOn());
            }
            audit.record("ConventionCoverage", signed.conventionId(), "COVERAGE_RECORDED", "ConventionSigned " + event.id(),
                    covered);
        });
    }
}
