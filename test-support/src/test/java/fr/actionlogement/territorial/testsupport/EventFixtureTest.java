package fr.actionlogement.territorial.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The stored records and their templating, without a broker (the producers' tests compare them with the relay's). */
class EventFixtureTest {

    @Test
    @DisplayName("every stored record is a structured CloudEvent with the relay's header, its data valid against docs/events")
    void storedRecordsAreValid() {
        for (Map.Entry<String, List<String>> context : EventFixture.RECORDED.entrySet()) {
            for (String name : context.getValue()) {
                EventFixture f = EventFixture.of(context.getKey(), name);
                assertThat(f.type()).isEqualTo("fr.actionlogement." + context.getKey() + "." + name + ".v1");
                assertThat(f.topic()).isEqualTo(context.getKey() + (name.equals("TerritoryRegistered") ? ".reference.v1"
                        : ".events.v1"));
                assertThat(f.headers()).containsExactly(
                        new EventFixture.Header("content-type", KafkaTestClient.CLOUDEVENTS_CONTENT_TYPE));
                assertThat(f.envelope().get("subject").asText()).isEqualTo(f.key());
                assertThat(EventContract.schemaErrors(context.getKey(), name, f.envelope().get("data")))
                        .as(context.getKey() + "/" + name).isEmpty();
            }
        }
    }

    @Test
    @DisplayName("each use is a new event; with() keeps the id, withNewId() changes it; the record carries the headers")
    void idsAndRecord() {
        EventFixture a = EventFixture.of("territories", "CilRegistered");
        EventFixture b = EventFixture.of("territories", "CilRegistered");
        assertThat(a.id()).isNotEqualTo(b.id());
        EventFixture renamed = a.subject("123456789").with("cilId", "123456789").with("name", "Nom");
        assertThat(renamed.id()).isEqualTo(a.id());
        assertThat(renamed.withNewId().id()).isNotEqualTo(a.id());
        assertThat(renamed.value()).contains("\"subject\":\"123456789\"", "\"cilId\":\"123456789\"",
                "\"name\":\"Nom\"");
        ProducerRecord<String, String> record = renamed.toProducerRecord();
        assertThat(record.key()).isEqualTo("123456789");
        assertThat(record.topic()).isEqualTo("territories.events.v1");
        assertThat(new String(record.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8))
                .isEqualTo(KafkaTestClient.CLOUDEVENTS_CONTENT_TYPE);
    }

    @Test
    @DisplayName("with() refuses a field the producer does not send, another JSON type, or an object of another shape")
    void withKeepsTheProducersShape() {
        EventFixture f = EventFixture.of("conventions", "ConventionSigned");
        assertThatThrownBy(() -> f.with("territoryIds", List.of())).hasMessageContaining("no data field");
        assertThatThrownBy(() -> f.with("version", "1")).hasMessageContaining("data.version is NUMBER");
        assertThatThrownBy(() -> f.with("objectives", List.of(Map.of("objectiveId", "o1"))))
                .hasMessageContaining("data.objectives[0] has the fields");
        // an object's fields are written in the producer's order, whatever the order given
        Map<String, Object> objective = new LinkedHashMap<>();
        objective.put("target", 5);
        objective.put("year", 2024);
        objective.put("publicPrioritaire", "JEUNES_SALARIES");
        objective.put("indicator", "CONSTRUCTION_NEUVE");
        objective.put("objectiveId", "o1");
        JsonNode written = f.with("objectives", List.of(objective)).envelope().get("data").get("objectives").get(0);
        assertThat(EventFixture.fieldNames(written)).containsExactly("objectiveId", "indicator", "publicPrioritaire",
                "year", "target");
    }

    @Test
    @DisplayName("the structural comparison names what differs: a renamed field, another JSON type, a missing header")
    void comparisonNamesDifferences() {
        JsonNode recorded = EventFixture.of("territories", "CilPresenceChanged").envelope().get("data");
        JsonNode renamed = ((com.fasterxml.jackson.databind.node.ObjectNode) recorded.deepCopy()).put("cil", "1");
        List<String> differences = new ArrayList<>();
        EventContract.compareShape(recorded, renamed, "data", differences);
        assertThat(differences).hasSize(1);
        assertThat(differences.get(0)).startsWith("data fields");
        differences.clear();
        JsonNode retyped = ((com.fasterxml.jackson.databind.node.ObjectNode) recorded.deepCopy()).put("present", "yes");
        EventContract.compareShape(recorded, retyped, "data", differences);
        assertThat(differences).containsExactly("data.present: recorded BOOLEAN, relay STRING");
        differences.clear();
        JsonNode nulled = ((com.fasterxml.jackson.databind.node.ObjectNode) recorded.deepCopy()).putNull("since");
        EventContract.compareShape(recorded, nulled, "data", differences);
        assertThat(differences).isEmpty();

        EventFixture stored = EventFixture.of("territories", "CilPresenceChanged");
        ConsumerRecord<String, String> withoutHeader = new ConsumerRecord<>(stored.topic(), 0, 0, stored.key(),
                stored.value());
        assertThatThrownBy(() -> EventContract.assertMatchesRecorded(withoutHeader)).hasMessageContaining("headers");
    }
}
