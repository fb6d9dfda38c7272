package fr.actionlogement.territorial.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import fr.actionlogement.territorial.localstack.LocalStack;
import fr.actionlogement.territorial.systemtests.support.AsyncApiContract;
import fr.actionlogement.territorial.systemtests.support.Awaits;
import fr.actionlogement.territorial.systemtests.support.EventBacklog;

/**
 * After the walkthrough and the journeys (class order, see {@link JourneyOrder}), and before any fault is injected:
 * every event the services published was consumed (no consumer group lags) and none was dead-lettered. A consumer
 * that could not read what the relay sends would show here even if no journey step waited for that event. Every
 * record the consumers read is then checked against {@code docs/events/asyncapi.yaml} ({@link AsyncApiContract}).
 */
@ExtendWith(SystemStack.class)
@org.junit.jupiter.api.Order(JourneyOrder.EVENTS_SETTLED)
@DisplayName("System: after the journeys, no consumer group lags, every dead-letter topic is empty, every record matches the AsyncAPI document")
class EventsSettledTest {

    @Test
    @DisplayName("every service's consumer group has caught up with every topic, no record was dead-lettered, and every record is described by the AsyncAPI document")
    void noLagNoDeadLetters(LocalStack stack) {
        try (EventBacklog kafka = new EventBacklog(stack.kafkaBootstrapServers())) {
            // One consumer group per consuming service, named after it (quarkus.application.name).
            assertThat(kafka.consumerGroups()).contains("territories-service", "conventions-service",
                    "partnerships-service", "observatory-service");
            // Offsets are committed periodically: the last records of the journeys may still be uncommitted.
            Awaits.journey("events settled");
            Awaits.until("every consumer group has no lag", Duration.ofMinutes(3), kafka::lags, Map::isEmpty);
            Map<String, Long> deadLetters = kafka.records(LocalStack.dlqTopics());
            System.out.println("[events] dead-letter records per topic: " + deadLetters);
            assertThat(deadLetters).as("records in the dead-letter topics").allSatisfy(
                    (topic, records) -> assertThat(records).as(topic).isZero());
            Map<String, Long> published = kafka.records(LocalStack.EVENT_TOPICS);
            System.out.println("[events] end offsets per event topic: " + published);
        }
        // What the consumers read, as partners would read it: every record of every event topic, against the
        // AsyncAPI document (envelope, data schema, headers, key).
        List<String> mismatches = AsyncApiContract.checkTopics(stack.kafkaBootstrapServers(), LocalStack.EVENT_TOPICS);
        System.out.println("[asyncapi] " + AsyncApiContract.figures());
        assertThat(mismatches).as("records that do not match docs/events/asyncapi.yaml").isEmpty();
        Awaits.figures().forEach(f -> System.out.printf("[figure] %-24s %6d ms  %s%n", f.journey(), f.millis(),
                f.effect()));
    }
}
