package fr.actionlogement.territorial.buildingblocks;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.buildingblocks.probe.ProbeResource;
import fr.actionlogement.territorial.testsupport.FreePorts;
import fr.actionlogement.territorial.testsupport.KafkaTestClient;
import fr.actionlogement.territorial.testsupport.OtlpReceiver;
import fr.actionlogement.territorial.testsupport.OtlpReceiver.Kind;
import fr.actionlogement.territorial.testsupport.OtlpReceiver.ReceivedSpan;
import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * Tracing switched on as in the Kubernetes manifests, with an OTLP/HTTP receiver in the test as the collector: one
 * write yields the service's HTTP span, the relay's producer span (child of the trace context stored with the outbox
 * row) and the consumer's span (child of the relay's, from the record's {@code traceparent}), in one trace.
 */
@QuarkusTest
@TestProfile(TracingTest.TracingOn.class)
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "building_blocks"))
class TracingTest {

    /** The collector's port, chosen before the app starts and shared through a system property (class loaders). */
    private static final String PORT_PROPERTY = "tracing-test.collector-port";

    public static class TracingOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "false",
                    "quarkus.otel.exporter.otlp.traces.endpoint", "http://127.0.0.1:" + collectorPort(),
                    "quarkus.otel.bsp.schedule.delay", "200ms");
        }
    }

    static synchronized int collectorPort() {
        String port = System.getProperty(PORT_PROPERTY);
        if (port == null) {
            port = String.valueOf(FreePorts.next());
            System.setProperty(PORT_PROPERTY, port);
        }
        return Integer.parseInt(port);
    }

    private static OtlpReceiver collector;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @BeforeAll
    static void startCollector() {
        collector = new OtlpReceiver(collectorPort());
    }

    @AfterAll
    static void stopCollector() {
        collector.close();
    }

    @Test
    @DisplayName("a write, its outbox publication and its consumption share one trace; the record carries traceparent")
    void oneTraceFromRequestToConsumer() throws Exception {
        String id = given().auth().oauth2(TestTokens.uesl()).contentType(ContentType.JSON).body("{\"text\":\"traced\"}")
                .when().post("/probes").then().statusCode(201).extract().path("id").toString();

        ConsumerRecord<String, String> record = new KafkaTestClient(bootstrap)
                .await(ProbeResource.TOPIC, r -> id.equals(r.key()), 1, Duration.ofSeconds(30)).get(0);
        String traceparent = new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8);
        // version-traceid-spanid-flags, sampled
        assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        String traceId = traceparent.split("-")[1];
        String relaySpanId = traceparent.split("-")[2];

        List<ReceivedSpan> spans = collector.await(s -> find(s, traceId, Kind.CONSUMER).isPresent()
                && find(s, traceId, Kind.PRODUCER).isPresent() && find(s, traceId, Kind.SERVER).isPresent(),
                Duration.ofSeconds(30));
        List<ReceivedSpan> trace = spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
        assertThat(trace).as("spans of trace %s among %s", traceId, spans)
                .extracting(ReceivedSpan::kind).contains(Kind.SERVER, Kind.PRODUCER, Kind.CONSUMER);
        assertThat(trace).extracting(ReceivedSpan::service).containsOnly("building-blocks-probe");

        ReceivedSpan server = find(trace, traceId, Kind.SERVER).orElseThrow();
        ReceivedSpan relay = find(trace, traceId, Kind.PRODUCER).orElseThrow();
        ReceivedSpan consumer = find(trace, traceId, Kind.CONSUMER).orElseThrow();
        assertThat(server.name()).contains("POST");
        assertThat(relay.name()).isEqualTo(ProbeResource.TOPIC + " publish");
        assertThat(relay.spanId()).isEqualTo(relaySpanId);
        // The relay's span descends from the request's (the context stored with the outbox row), the consumer's
        // from the relay's (the record's traceparent).
        assertThat(ancestors(trace, relay)).contains(server.spanId());
        assertThat(consumer.parentSpanId()).isEqualTo(relay.spanId());
    }

    private static Optional<ReceivedSpan> find(List<ReceivedSpan> spans, String traceId, Kind kind) {
        return spans.stream().filter(s -> s.traceId().equals(traceId) && s.kind() == kind).findFirst();
    }

    private static List<String> ancestors(List<ReceivedSpan> trace, ReceivedSpan span) {
        java.util.ArrayList<String> ids = new java.util.ArrayList<>();
        for (String parent = span.parentSpanId(); !parent.isEmpty();) {
            ids.add(parent);
            String current = parent;
            parent = trace.stream().filter(s -> s.spanId().equals(current)).map(ReceivedSpan::parentSpanId)
                    .findFirst().orElse("");
        }
        return ids;
    }
}
