package fr.actionlogement.territorial.observatory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.testsupport.EventFixture;
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
        EventFixture event = Fixtures.presenceEvent(cil, "EPCI:200046977", true, "2021-03-01");
        fx.send(event);
        fx.send(event);
        fx.awaitCount("SELECT count(*) FROM cil_presence WHERE cil_id = '" + cil + "' AND present", 1);
        fx.awaitCount("SELECT count(*) FROM inbox_processed_event WHERE event_id = '" + event.id() + "'", 1);
    }

    @Test
    @DisplayName("R-44 a malformed record goes to observatory-service.dlq.v1 and the next one is still applied")
    void malformedToDeadLetter() {
        Fixtures fx = new Fixtures(bootstrap, dataSource);
        // Poison on purpose: raw records no relay writes (without headers), on the key of the good record after them.
        String conv = "CONV-" + UUID.randomUUID();
        String garbage = "not a cloud event " + UUID.randomUUID();
        fx.sendRaw("conventions.events.v1", conv, garbage);
        String missing = Fixtures.envelope("conventions", "conventions-service", "ConventionSigned", conv,
                Map.of("version", 1));
        fx.sendRaw("conventions.events.v1", conv, missing);
        fx.send(Fixtures.conventionSigned(conv, "EPCI:200046977", "2024-06-01", List.of()));
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
        fx.send(Fixtures.territories("BasinDefined").subject(basin).with("basinId", basin).with("name", "Bassin")
                .with("wave", 1).with("epciSirens", List.of(h.epci().substring(5))));
        fx.awaitCount("SELECT count(*) FROM territory_ancestor WHERE ancestor_id = '" + basin + "'", 4);
    }

    @Test
    @DisplayName("R-44 a commune registered again under another EPCI moves in the closure; its row takes the new values")
    void reRegistrationMovesTheClosure() {
        Fixtures fx = new Fixtures(bootstrap, dataSource);
        Fixtures.Hierarchy h = fx.hierarchy();
        String region = h.region().substring("REGION:".length());
        String departement = h.departement().substring("DEPARTEMENT:".length());
        String otherEpci = "E2" + Fixtures.unique();
        fx.territory("EPCI:" + otherEpci, "EPCI", otherEpci, "Communauté de communes", region, departement, null);
        String code = h.commune1().substring("COMMUNE:".length());
        fx.territory(h.commune1(), "COMMUNE", code, "Ville nouvelle", region, departement, otherEpci);
        fx.awaitCount("SELECT count(*) FROM territory_ancestor WHERE territory_id = '" + h.commune1()
                + "' AND ancestor_id = 'EPCI:" + otherEpci + "'", 1);
        assertThat(fx.count("SELECT count(*) FROM territory_ancestor WHERE territory_id = '" + h.commune1()
                + "' AND ancestor_id = '" + h.epci() + "'")).isZero();
        assertThat(fx.count("SELECT count(*) FROM territory_ancestor WHERE territory_id = '" + h.commune1() + "'"))
                .isEqualTo(4); // itself, its EPCI, département, région
        assertThat(fx.count("SELECT count(*) FROM territory WHERE territory_id = '" + h.commune1()
                + "' AND name = 'Ville nouvelle' AND epci_siren = '" + otherEpci + "'")).isEqualTo(1);
    }
}
