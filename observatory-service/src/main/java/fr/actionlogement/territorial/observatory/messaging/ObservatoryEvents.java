package fr.actionlogement.territorial.observatory.messaging;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import fr.actionlogement.territorial.buildingblocks.events.DomainEvent;
import fr.actionlogement.territorial.buildingblocks.events.EventCatalog;
import fr.actionlogement.territorial.buildingblocks.outbox.Outbox;
import fr.actionlogement.territorial.observatory.domain.FinancingShare;
import fr.actionlogement.territorial.observatory.domain.NeedsStudy;
import fr.actionlogement.territorial.observatory.domain.StudySource;

/**
 * The facts this context publishes on {@code observatory.events.v1}, through the outbox (call inside the
 * transaction of the change). Schemas: docs/events/observatory/.
 */
@ApplicationScoped
public class ObservatoryEvents {

    public static final String CONTEXT = "observatory";
    public static final String TOPIC = "observatory.events.v1";
    public static final String STUDY_COMMISSIONED = EventCatalog.type(CONTEXT, "NeedsStudyCommissioned", 1);
    public static final String STUDY_PUBLISHED = EventCatalog.type(CONTEXT, "NeedsStudyPublished", 1);
    public static final String OBSERVATIONS_PUBLISHED = EventCatalog.type(CONTEXT, "ObservationsPublished", 1);

    public record NeedsStudyCommissioned(UUID studyId, String title, String territoryId, String scale,
            List<String> topics, List<String> publicsPrioritaires, List<String> launchingCilIds,
            String operationalInterest, BigDecimal cost, List<FinancingShare> financing, List<StudySource> sources,
            LocalDate commissionedOn) {
    }

    public record NeedsStudyPublished(UUID studyId, String title, String territoryId, List<String> topics,
            List<String> publicsPrioritaires, List<String> launchingCilIds, String resultsSummary, String reportUri,
            boolean reportAttached, LocalDate publishedOn) {
    }

    public record ObservationsPublished(UUID batchId, String visibility, long observationCount,
            List<String> territoryIds, long territoryCount, List<String> indicators, List<String> publicsPrioritaires,
            String periodFrom, String periodTo, String producer, OffsetDateTime publishedAt) {
    }

    private final Outbox outbox;

    ObservatoryEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public void studyCommissioned(NeedsStudy s) {
        outbox.publish(new DomainEvent(TOPIC, STUDY_COMMISSIONED, "NeedsStudy", s.id().toString(),
                new NeedsStudyCommissioned(s.id(), s.title(), s.territoryId(), s.scale(), names(s.topics()),
                        names(s.publics()), s.launchingCilIds(), s.operationalInterest(), s.cost(), s.financing(),
                        s.sources(), s.commissionedOn())));
    }

    public void studyPublished(NeedsStudy s, boolean reportAttached) {
        outbox.publish(new DomainEvent(TOPIC, STUDY_PUBLISHED, "NeedsStudy", s.id().toString(),
                new NeedsStudyPublished(s.id(), s.title(), s.territoryId(), names(s.topics()), names(s.publics()),
                        s.launchingCilIds(), s.resultsSummary(), s.reportUri(), reportAttached, s.publishedOn())));
    }

    public void observationsPublished(ObservationsPublished e) {
        outbox.publish(new DomainEvent(TOPIC, OBSERVATIONS_PUBLISHED, "ObservationBatch", e.batchId().toString(), e));
    }

    private static List<String> names(java.util.Collection<? extends Enum<?>> values) {
        return values.stream().map(Enum::name).sorted().toList();
    }
}
