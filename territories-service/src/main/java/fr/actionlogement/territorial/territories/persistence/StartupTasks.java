package fr.actionlogement.territorial.territories.persistence;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import fr.actionlogement.territorial.territories.config.TerritoriesConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * At start-up: load the configured data year (skipped when already applied), publish the seeded basins and give
 * each its conférence territoriale, then check overdue installations; the check runs again on a schedule.
 */
@ApplicationScoped
public class StartupTasks {

    private static final Logger LOG = Logger.getLogger(StartupTasks.class);

    private final TerritoriesConfig config;
    private final ReferenceLoader loader;
    private final BasinService basins;
    private final ConferenceService conferences;

    StartupTasks(TerritoriesConfig config, ReferenceLoader loader, BasinService basins, ConferenceService conferences) {
        this.config = config;
        this.loader = loader;
        this.basins = basins;
        this.conferences = conferences;
    }

    void onStart(@Observes @Priority(10) StartupEvent startup) {
        if (config.reference().loadAtStartup()) {
            loader.load(config.reference().location(), false);
        }
        int published = QuarkusTransaction.requiringNew().call(basins::publishUnpublished);
        if (published > 0) {
            LOG.infof("Published %d seeded basins", published);
        }
        checkOverdue();
    }

    @Scheduled(every = "${territories.conference.overdue-check-every:1h}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void checkOverdue() {
        if (config.conference().overdueCheckEnabled()) {
            conferences.raiseOverdue();
        }
    }
}
