package fr.actionlogement.territorial.territories.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import fr.actionlogement.territorial.territories.persistence.ReferenceLoader;
import fr.actionlogement.territorial.territories.persistence.StartupTasks;

/**
 * Ready once the start-up tasks are done, or earlier when a data year of the reference is already in place (a
 * restart): the service then serves that year while the tasks check, and if needed load, the configured one. A
 * first start on an empty database is ready only when its first year is loaded.
 */
@Readiness
@ApplicationScoped
public class StartupReadiness implements HealthCheck {

    private final StartupTasks tasks;
    private final ReferenceLoader loader;
    private volatile boolean referenceInPlace;

    StartupReadiness(StartupTasks tasks, ReferenceLoader loader) {
        this.tasks = tasks;
        this.loader = loader;
    }

    @Override
    public HealthCheckResponse call() {
        StartupTasks.State state = tasks.state();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("territories-startup")
                .withData("tasks", state.name().toLowerCase());
        if (state == StartupTasks.State.FAILED) {
            response.withData("failure", tasks.failure());
        }
        return response.status(state == StartupTasks.State.DONE || referenceInPlace()).build();
    }

    private boolean referenceInPlace() {
        if (!referenceInPlace) {
            referenceInPlace = loader.anyYearLoaded(); // once true it stays true
        }
        return referenceInPlace;
    }
}
