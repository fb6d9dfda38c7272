package fr.actionlogement.territorial.territories.persistence;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import fr.actionlogement.territorial.territories.config.TerritoriesConfig;
import fr.actionlogement.territorial.territories.messaging.ReferenceTopic;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * At start-up: create the compacted reference topic when missing, load the configured data year (skipped when
 * already applied), publish the seeded basins and give each its conférence territoriale, then check overdue
 * installations; the check runs again on a schedule.
 *
 * <p>
 * The tasks run on a thread of their own (issue 13: they were a third of a restart's critical path, the data year's
 * checksum alone 150–600 ms), and {@code StartupReadiness} keeps the service out of rotation until they are done,
 * or, on a restart, only until a data year is known to be in place: the previous year is served while a new one is
 * loaded in its single transaction.
 */
@ApplicationScoped
public class StartupTasks {

    private static final Logger LOG = Logger.getLogger(StartupTasks.class);

    public enum State {
        RUNNING,
        DONE,
        FAILED
    }

    private final TerritoriesConfig config;
    private final ReferenceTopic referenceTopic;
    private final ReferenceLoader loader;
    private final BasinService basins;
    private final ConferenceService conferences;
    private volatile State state = State.RUNNING;
    private volatile String failure;

    StartupTasks(TerritoriesConfig config, ReferenceTopic referenceTopic, ReferenceLoader loader, BasinService basins,
            ConferenceService conferences) {
        this.config = config;
        this.referenceTopic = referenceTopic;
        this.loader = loader;
        this.basins = basins;
        this.conferences = conferences;
    }

    void onStart(@Observes @Priority(10) StartupEvent startup) {
        if (config.reference().startupInBackground()) {
            Thread.ofPlatform().daemon().name("territories-startup").start(this::runReportingFailure);
        } else {
            run();
        }
    }

    public State state() {
        return state;
    }

    /** Why the tasks failed, when they did. */
    public String failure() {
        return failure;
    }

    private void runReportingFailure() {
        try {
            run();
        } catch (RuntimeException e) {
            failure = e.toString();
            state = State.FAILED;
            LOG.error("Start-up tasks failed; the readiness check territories-startup says whether the service serves",
                    e);
        }
    }

    private void run() {
        long t0 = System.nanoTime();
        if (config.reference().createTopic()) {
            referenceTopic.ensureCompacted();
        }
        if (config.reference().loadAtStartup()) {
            loader.load(config.reference().location(), false);
        }
        int published = QuarkusTransaction.requiringNew().call(basins::publishUnpublished);
        if (published > 0) {
            LOG.infof("Published %d seeded basins", published);
        }
        checkOverdue();
        state = State.DONE;
        LOG.infof("Start-up tasks done in %d ms", (System.nanoTime() - t0) / 1_000_000);
    }

    @Scheduled(every = "${territories.conference.overdue-check-every:1h}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void checkOverdue() {
        if (config.conference().overdueCheckEnabled()) {
            conferences.raiseOverdue();
        }
    }
}
