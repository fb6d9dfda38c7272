package fr.actionlogement.territorial.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import fr.actionlogement.territorial.localstack.LocalStack;
import fr.actionlogement.territorial.systemtests.support.GatewayApi;
import fr.actionlogement.territorial.systemtests.support.Identity;
import fr.actionlogement.territorial.testsupport.OversizedBody;

/**
 * Issue 11's acceptance figure, on the packaged apps: a 50 MB JSON body sent through the gateway gets 413
 * problem+json, answered after a small part of it was sent (the service never buffers it), and the service's heap does
 * not grow by 50 MB. Prints {@code [request-size]} lines: the time to the answer, the bytes sent by then, and the
 * service's heap before and after (its {@code /q/metrics}). Time is printed, not asserted (a loaded machine makes any
 * bound a guess); the assertions are the 413, the bytes not read and the heap. Run alone:
 * {@code ./mvnw -B -ntp verify -pl system-tests -Dtest=RequestSizeTest} (see docs/api-conventions.md, "Request size").
 */
@ExtendWith(SystemStack.class)
@DisplayName("System: a 50 MB JSON body is refused with 413 before it is read, the heap untouched")
class RequestSizeTest {

    private static final long FIFTY_MB = 50L * 1024 * 1024;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "territories", "conventions", "partnerships", "observatory" })
    @DisplayName("50 MB declared JSON body through the gateway: 413 problem+json, not buffered, heap flat")
    void fiftyMegabytes(String service, LocalStack stack, GatewayApi api) throws Exception {
        String metrics = stack.url(service + "-service") + "/q/metrics";
        String path = switch (service) {
            case "territories" -> "/api/territories/cils";
            case "conventions" -> "/api/conventions/campaigns";
            case "partnerships" -> "/api/partnerships/agreements";
            default -> "/api/observatory/indicators";
        };
        double heapBefore = heapMb(metrics);
        URI gateway = URI.create(stack.gatewayUrl());
        OversizedBody.Answer a = OversizedBody.post(gateway, path,
                Map.of("Authorization", "Bearer " + api.token(Identity.UESL)), FIFTY_MB, false);
        double heapAfter = heapMb(metrics);
        System.out.printf("[request-size] %-12s 50 MB JSON body -> %s in %d ms, %.1f MB sent by then; heap %.1f MB"
                + " before, %.1f MB after (%+.1f MB)%n", service, a.status(), a.millis(), a.sent() / 1048576.0, heapBefore,
                heapAfter, heapAfter - heapBefore);
        assertThat(a.status()).startsWith("HTTP/1.1 413");
        assertThat(a.head()).containsIgnoringCase("content-type: application/problem+json");
        assertThat(a.body()).contains("/problems/payload-too-large");
        assertThat(a.sent()).as("answered before the body was sent: it is not read").isLessThan(FIFTY_MB);
        assertThat(heapAfter - heapBefore).as("heap growth, MB").isLessThan(50.0);
    }

    /** The service's used heap (all heap pools of jvm_memory_used_bytes), in MB. */
    private static double heapMb(String metricsUrl) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String text = http.send(HttpRequest.newBuilder(URI.create(metricsUrl)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum() / 1048576.0;
    }
}
