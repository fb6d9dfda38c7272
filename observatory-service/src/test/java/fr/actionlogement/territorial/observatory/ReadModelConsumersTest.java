package fr.actionlogement.territorial.observatory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "observatory"))
class ReadModelConsumersTest {

    @Inject
    DataSource dataSource;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    @DisplayName("R-40 CilPresenceChanged keeps the presence read model; a redelivered event is applied once")
    void presenceApplied() {
        Fixtures fx = new Fixtures(bootstrap, dataSource);
        String cil = "5" + String.format("%08d", Math.abs(UUID.randomUUID().hashCode()) % 100_000_000);
        String event = Fixtures.envelope("territories", "territories-service", "CilPresenceChanged", cil,
                Map.of("cilId", cil, "territoryId", "EPCI:200046977", "present", true, "since", "2021-03-01"));
        fx.send("territories.events.v1", cil, event);
        fx.send("territories.events.v1", cil, event);
        fx.awaitCount("SELECT count(*) FROM cil_presence WHERE cil_id = '" + cil + "' AND present", 1);
        fx.awaitCount("SELECT count(*) FROM inbox_processed_event WHERE event_id = '"
                + event.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1") + "'", 1);
    }

    @Test
    @DisplayName("R-44 a malformed record goes to observatory-service.dlq.v1 and the next one is still applied")
    void malformedToDeadLetter() {
        Fixtures fx = new Fixtures(bootstrap, dataSource);
        String garbage = "not a cloud event " + UUID.randomUUID();
        fx.send("conventions.events.v1", "c-bad", garbage);
        String missing = Fixtures.envelope("conventions", "conventions-service", "ConventionSigned", "c-bad",
                Map.of("version", 1));
        fx.send("conventions.events.v1", "c-bad", missing);
        String conv = "CONV-" + UUID.randomUUID();
        fx.send("conventions.events.v1", "c-bad", Fixtures.envelope("conventions", "conventions-service",
                "ConventionSigned", conv, Map.of("conventionId", conv, "version", 1, "kind", "TERRITORIALE",
                        "territoryId", "EPCI:200046977", "signedOn", "2024-06-01", "objectives", java.util.List.of())));
        fx.awaitCount("SELECT count(*) FROM convention WHERE convention_id = '" + conv + "'", 1);
        assertThat(fx.kafka().await("observatory-service.dlq.v1", r -> garbage.equals(r.value()), 1,
                Duration.ofSeconds(30))).hasSize(1);
        assertThat(fx.kafka().await("observatory-service.dlq.v1", r -> missing.equals(r.value()), 1,
                Duration.ofSeconds(30))).hasSize(1);
    }

    @Test
    @DisplayName("R-44 territories roll up: commune -> EPCI -> département -> région, whatever the arrival order")
    void hierarchyClosure() {
        Fixtures fx = new Fixtures(bootstrap, dataSource);
        Fixtures.Hierarchy h = fx.hierarchy();
        assertThat(fx.count("SELECT count(*) FROM territory_ancestor WHERE ancestor_id = '" + h.region() + "'"))
                .isEqualTo(5);
        assertThat(fx.count("SELECT count(*) FROM territory_ancestor WHERE ancestor_id = '" + h.epci() + "'"))
                .isEqualTo(3);
        // a basin over the EPCI covers its communes too
        String basin = "BASSIN:b" + Fixtures.unique().toLowerCase();
        fx.send("territories.events.v1", basin, Fixtures.envelope("territories", "territories-service", "BasinDefined",
                basin, Map.of("basinId", basin, "name", "Bassin", "wave", 1, "epciSirens",
                        java.util.List.of(h.epci().substring(5)))));
        fx.awaitCount("SELECT count(*) FROM territory_ancestor WHERE ancestor_id = '" + basin + "'", 4);
    }
}
