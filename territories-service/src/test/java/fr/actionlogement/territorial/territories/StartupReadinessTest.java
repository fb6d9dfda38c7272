package fr.actionlogement.territorial.territories;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.territories.persistence.StartupTasks;
import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The production mode of the start-up tasks: on a thread of their own, with the readiness check saying when the
 * service can serve. A database of its own, so that no data year is in place before the test records one; the data
 * year to load is missing, so the tasks fail and the check must keep the service out of rotation.
 */
@QuarkusTest
@TestProfile(StartupReadinessTest.InBackground.class)
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "territories_startup"))
class StartupReadinessTest {

    public static class InBackground implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("territories.reference.startup-in-background", "true",
                    "territories.reference.location", "/nonexistent/reference-year");
        }
    }

    @Inject
    StartupTasks tasks;
    @Inject
    DataSource dataSource;

    @Test
    @DisplayName("A first start whose data year cannot be loaded is not ready; once a year is in place it serves it")
    void readinessFollowsTheReferenceYear() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (tasks.state() == StartupTasks.State.RUNNING && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(tasks.state()).isEqualTo(StartupTasks.State.FAILED);
        assertThat(tasks.failure()).contains("/nonexistent/reference-year");
        // The port is open (the tasks no longer hold the start) but the service is out of rotation.
        given().when().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'territories-startup' }.status", is("DOWN"))
                .body("checks.find { it.name == 'territories-startup' }.data.tasks", is("failed"));

        // A data year recorded as loaded (what a previous start left): served while the configured one fails.
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.executeUpdate("""
                    INSERT INTO reference_load (source, source_version, millesime, checksum, loaded_at, created, changed,
                                                retired, unchanged, duration_ms)
                    VALUES ('@etalab/decoupage-administratif', '6.0.0', 2026, 'recorded-by-a-previous-start', now(),
                            0, 0, 0, 0, 0)""");
        }
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("territories-startup"))
                .body("checks.find { it.name == 'territories-startup' }.status", is("UP"))
                .body("checks.find { it.name == 'territories-startup' }.data.failure",
                        containsString("/nonexistent/reference-year"));
    }
}
