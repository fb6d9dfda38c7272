package fr.actionlogement.territorial.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.localstack.LocalStack;
import fr.actionlogement.territorial.testsupport.FakeKeycloak;
import fr.actionlogement.territorial.testsupport.OtlpReceiver;
import fr.actionlogement.territorial.testsupport.OtlpReceiver.Kind;
import fr.actionlogement.territorial.testsupport.OtlpReceiver.ReceivedSpan;

/**
 * Tracing as the Kubernetes manifests switch it on, on a stack of its own (the shared one runs with tracing off, the
 * default): the packaged gateway and four services export to an OTLP/HTTP receiver in this test, the collector. One
 * write through the gateway (a CIL registered, whose event three services consume) must give one trace: the gateway's
 * server and client spans, territories-service's server span, its outbox relay's producer span and the consumers'
 * spans, each the child of the one before; and the JSON log lines written for it carry its trace id. Tokens come from
 * test-support's {@link FakeKeycloak} (no Keycloak process: only quarkus-oidc's discovery and keys are needed).
 */
class TracingSystemTest {

    private static final String TRACED_SERVICE = "territories-service";

    private static OtlpReceiver collector;
    private static FakeKeycloak keycloak;
    private static LocalStack stack;

    @BeforeAll
    static void startTracedStack() {
        Path root = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isRegularFile(root.resolve("gateway/target/quarkus-app/quarkus-run.jar")),
                () -> SystemStack.loud("TRACING SYSTEM TEST SKIPPED: the apps are not packaged (./mvnw -B -ntp install "
                        + "-DskipTests)"));
        collector = new OtlpReceiver();
        keycloak = FakeKeycloak.get();
        keycloak.start();
        Map<String, String> tracing = Map.of(
                "QUARKUS_OTEL_SDK_DISABLED", "false",
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", collector.endpoint,
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms",
                // The consumers' spans of the reference load at start-up (tens of thousands) must not fill the queue.
                "QUARKUS_OTEL_BSP_MAX_QUEUE_SIZE", "200000",
                "LOG_JSON", "true");
        Path data = Path.of(System.getProperty("system-tests.data", "target/stack")).toAbsolutePath()
                .resolveSibling("tracing-stack");
        LocalStack.Options.Builder options = LocalStack.Options.freePorts(root, data)
                .externalKeycloak("http://127.0.0.1:" + keycloak.port)
                .requireAllApps(true)
                .appTimeout(Duration.ofMinutes(5));
        LocalStack.APPS.forEach(app -> options.environment(app.name(), tracing));
        stack = LocalStack.start(options.build());
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        if (collector != null) {
            collector.close();
        }
        if (keycloak != null) {
            keycloak.stop();
        }
    }

    @Test
    @DisplayName("a write through the gateway: one trace from the gateway through the service, the outbox relay and Kafka into the consumers")
    void oneTracePerJourneyStep() throws Exception {
        // The caller's own trace context: the gateway continues it, so the whole step is found by this trace id.
        String traceId = HexFormat.of().formatHex(random(16));
        String callerSpan = HexFormat.of().formatHex(random(8));
        String siren = "9" + String.format("%08d", new SecureRandom().nextInt(100_000_000));
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest
                .newBuilder(URI.create(stack.gatewayUrl() + "/api/territories/cils"))
                .header("Authorization", "Bearer " + keycloak.token("key-1", "uesl-tracing", "uesl"))
                .header("Content-Type", "application/json")
                .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"id\":\"" + siren + "\",\"name\":\"CIL tracing test " + siren + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        // conventions, partnerships and observatory consume CilRegistered (docs/events/README.md).
        Predicate<List<ReceivedSpan>> complete = spans -> spans.stream()
                .filter(s -> s.traceId().equals(traceId) && s.kind() == Kind.CONSUMER).count() >= 3;
        List<ReceivedSpan> trace = collector.await(complete, Duration.ofSeconds(90)).stream()
                .filter(s -> s.traceId().equals(traceId)).toList();
        trace.forEach(s -> System.out.printf("[tracing] %-20s %-8s %-45s span %s parent %s%n", s.service(), s.kind(),
                s.name(), s.spanId(), s.parentSpanId()));

        ReceivedSpan gatewayServer = one(trace, "gateway", Kind.SERVER);
        ReceivedSpan gatewayClient = one(trace, "gateway", Kind.CLIENT);
        ReceivedSpan serviceServer = one(trace, TRACED_SERVICE, Kind.SERVER);
        ReceivedSpan relay = one(trace, TRACED_SERVICE, Kind.PRODUCER);
        assertThat(gatewayServer.parentSpanId()).as("the gateway continues the caller's trace").isEqualTo(callerSpan);
        assertThat(ancestors(trace, gatewayClient)).contains(gatewayServer.spanId());
        assertThat(serviceServer.parentSpanId()).as("the service's span is the gateway client span's child")
                .isEqualTo(gatewayClient.spanId());
        assertThat(relay.name()).isEqualTo("territories.events.v1 publish");
        assertThat(ancestors(trace, relay)).as("the relay's span descends from the request's (outbox row)")
                .contains(serviceServer.spanId());
        List<ReceivedSpan> consumers = trace.stream().filter(s -> s.kind() == Kind.CONSUMER).toList();
        assertThat(consumers).extracting(ReceivedSpan::service)
                .contains("conventions-service", "partnerships-service", "observatory-service");
        assertThat(consumers).as("every consumer's span is the relay span's child (the record's traceparent)")
                .allSatisfy(c -> assertThat(c.parentSpanId()).isEqualTo(relay.spanId()));

        // JSON logs carry the trace id: the gateway's access line for this request.
        String gatewayLog = Files.readString(stack.log("gateway"));
        assertThat(gatewayLog.lines().filter(l -> l.contains("/api/territories/cils") && l.contains(traceId)))
                .as("a JSON log line of the gateway with traceId %s", traceId).isNotEmpty()
                .allSatisfy(l -> assertThat(l).startsWith("{").contains("\"traceId\":\"" + traceId + "\"",
                        "\"spanId\":\""));
    }

    private static ReceivedSpan one(List<ReceivedSpan> trace, String service, Kind kind) {
        Optional<ReceivedSpan> span = trace.stream().filter(s -> s.service().equals(service) && s.kind() == kind)
                .findFirst();
        assertThat(span).as("a %s span of %s in %s", kind, service, trace).isPresent();
        return span.get();
    }

    private static List<String> ancestors(List<ReceivedSpan> trace, ReceivedSpan span) {
        List<String> ids = new ArrayList<>();
        for (String parent = span.parentSpanId(); !parent.isEmpty();) {
            ids.add(parent);
            String current = parent;
            parent = trace.stream().filter(s -> s.spanId().equals(current)).map(ReceivedSpan::parentSpanId)
                    .findFirst().orElse("");
        }
        return ids;
    }

    private static byte[] random(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
