package fr.actionlogement.territorial.conventions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.testsupport.EventFixture;
import fr.actionlogement.territorial.testsupport.KafkaTestClient;
import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The read model of territories-service's facts, fed on the real topics with stored copies of the records its relay
 * writes (test-support's EventFixture, headers included); only poison records are made by hand.
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "conventions"))
class TerritoryReadModelTest extends ConventionsTestBase {

    @Test
    @DisplayName("R-34 facts are applied from both topics; a later presence change replaces the earlier one")
    void factsAreApplied() {
        World w = world();
        assertThat(count("SELECT count(*) FROM rm_cil WHERE cil_id = '" + w.filialeOfPresent() + "' AND parent_cil_id = '"
                + w.cilPresent() + "'")).isEqualTo(1);
        presence(w.cilPresent(), w.territoryId(), false);
        awaitRows("SELECT count(*) FROM rm_cil_presence WHERE cil_id = '" + w.cilPresent() + "' AND NOT present");
        // The CIL is no longer present: it cannot sign without the UESL's concertation.
        String id = proposed(w);
        transition(id, "negotiation", Map.of()).then().statusCode(200);
        revise(id, validContent(w)).then().statusCode(422).body("rule", org.hamcrest.Matchers.is("R-07"));
    }

    @Test
    @DisplayName("a duplicate delivery is applied once (inbox)")
    void duplicatesAppliedOnce() {
        String cil = digits(9);
        EventFixture record = cilRegisteredEvent(cil, "Premier nom", null);
        KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        kafka.send(record);
        kafka.send(record.with("name", "Rejoué")); // the same event id again
        String marker = digits(9);
        cilRegistered(marker, "marker", null);
        awaitRows("SELECT count(*) FROM rm_cil WHERE cil_id = '" + marker + "'");
        assertThat(count("SELECT count(*) FROM rm_cil WHERE cil_id = '" + cil + "' AND name = 'Premier nom'"))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM inbox_processed_event WHERE event_id = '" + record.id() + "'"))
                .isEqualTo(1);
    }

    @Test
    @DisplayName("malformed records go to conventions-service.dlq.v1 and the next record is processed")
    void malformedToDeadLetter() {
        KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        // The bad records share the key of the good one that follows, so they are on its partition, before it.
        String next = digits(9);
        // Poison on purpose: raw records no relay writes (sent with send, without headers).
        String garbage = "not a cloud event " + UUID.randomUUID();
        kafka.send(EVENTS_TOPIC, next, garbage);
        String missing = envelope(UUID.randomUUID().toString(), "fr.actionlogement.territories.CilPresenceChanged.v1",
                next, Map.of("cilId", "123"));
        kafka.send(EVENTS_TOPIC, next, missing);
        String wrongShape = envelope(UUID.randomUUID().toString(), "fr.actionlogement.territories.BasinDefined.v1",
                next, Map.of("basinId", "BASSIN:x", "name", "x", "epciSirens", "not-a-list"));
        kafka.send(EVENTS_TOPIC, next, wrongShape);
        // A real territories event this context does not use.
        EventFixture unused = territories("ConferenceInstallationOverdue").subject(next);
        kafka.send(unused);
        kafka.send(cilRegisteredEvent(next, "après", null));
        awaitRows("SELECT count(*) FROM rm_cil WHERE cil_id = '" + next + "'");
        List<String> dead = kafka.await("conventions-service.dlq.v1", r -> r.value().equals(garbage)
                || r.value().equals(missing) || r.value().equals(wrongShape), 3, Duration.ofSeconds(30))
                .stream().map(r -> r.value()).toList();
        assertThat(dead).containsExactlyInAnyOrder(garbage, missing, wrongShape);
        // An event type this context does not use is skipped, not dead-lettered.
        assertThat(kafka.readAll("conventions-service.dlq.v1", r -> r.value().equals(unused.value()),
                Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    @DisplayName("a tombstone on the compacted reference topic is skipped, not dead-lettered")
    void tombstoneSkipped() {
        KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        String key = "EPCI:" + digits(9);
        // A raw tombstone on purpose: the relay never writes one, compaction tooling may.
        kafka.send(REFERENCE_TOPIC, key, null);
        String next = "EPCI:" + digits(9);
        territoryRegistered(next, "EPCI", next.substring(5), "Après", "84");
        awaitRows("SELECT count(*) FROM rm_territory WHERE territory_id = '" + next + "'");
        assertThat(kafka.readAll("conventions-service.dlq.v1", r -> key.equals(r.key()), Duration.ofSeconds(2)))
                .isEmpty();
    }

    @Test
    @DisplayName("R-15 a basin's facts: its EPCIs and its installed conférence territoriale")
    void basinAndConference() {
        World w = world();
        String basin = "BASSIN:r" + digits(6);
        basinDefined(basin, "Bassin", List.of(w.epciSiren()));
        conferenceInstalled("CT-" + digits(6), basin);
        assertThat(count("SELECT count(*) FROM rm_territorial_conference WHERE basin_id = '" + basin + "'"))
                .isEqualTo(1);
    }
}
