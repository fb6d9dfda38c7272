package fr.actionlogement.territorial.partnerships;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.testsupport.EventFixture;
import fr.actionlogement.territorial.testsupport.KafkaTestClient;
import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "partnerships"))
class ReadModelTest extends PartnershipsTestSupport {

    @Test
    @DisplayName("R-23 a new DelegueAssigned replaces the region's délégué; a duplicate delivery is applied once")
    void delegueReplacedAndDuplicatesSkipped() {
        World w = world();
        String next = "delegue-" + UUID.randomUUID();
        assignDelegue(w.region(), next);
        awaitRow("SELECT count(*) FROM region_delegue WHERE region_code = '" + w.region() + "' AND delegue_subject = '" + next
                + "'");
        String cil = siren();
        EventFixture event = cilRegistered(cil, "A", null);
        KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        kafka.send(event);
        kafka.send(event);
        // A later event on the same key (same partition) is a barrier: once applied, both copies were seen.
        kafka.send(event.withNewId().with("name", "B"));
        awaitRow("SELECT count(*) FROM cil_ref WHERE cil_id = '" + cil + "' AND name = 'B'");
        assertThat(count("SELECT count(*) FROM inbox_processed_event WHERE event_id = '" + event.id() + "'"))
                .isEqualTo(1);
    }

    @Test
    @DisplayName("a malformed territory event goes to partnerships-service.dlq.v1 and the next one is applied")
    void malformedToDeadLetter() {
        KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        // Poison on purpose: raw records no relay writes (sent with send, without headers).
        String garbage = "not a cloud event " + UUID.randomUUID();
        kafka.send("territories.reference.v1", "COMMUNE:00000", garbage);
        String noId = """
                {"specversion":"1.0","id":"%s","source":"/territorial/territories-service",
                 "type":"fr.actionlogement.territories.TerritoryRegistered.v1","data":{"kind":"COMMUNE"}}"""
                .formatted(UUID.randomUUID());
        kafka.send("territories.reference.v1", "COMMUNE:00000", noId);
        String commune = insee();
        registerTerritory("COMMUNE", commune, "Next", "84", false);
        awaitRow("SELECT count(*) FROM territory_ref WHERE territory_id = 'COMMUNE:" + commune + "'");
        assertThat(kafka.await("partnerships-service.dlq.v1", r -> garbage.equals(r.value()), 1, Duration.ofSeconds(30)))
                .hasSize(1);
        assertThat(kafka.await("partnerships-service.dlq.v1", r -> r.value().contains("\"kind\":\"COMMUNE\"}"), 1,
                Duration.ofSeconds(30))).hasSize(1);
    }
}
