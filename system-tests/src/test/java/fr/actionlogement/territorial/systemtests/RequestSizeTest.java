package fr.actionlogement.territorial.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import fr.actionlogement.territorial.localstack.LocalStack;
import fr.actionlogement.territorial.systemtests.support.GatewayApi;
import fr.actionlogement.territorial.systemtests.support.Identity;

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
        Answer a = send(gateway, path, api.token(Identity.UESL));
        double heapAfter = heapMb(metrics);
        System.out.printf("[request-size] %-12s 50 MB JSON body -> %s in %d ms, %.1f MB sent by then; heap %.1f MB"
                + " before, %.1f MB after (%+.1f MB)%n", service, a.status, a.millis, a.sent / 1048576.0, heapBefore,
                heapAfter, heapAfter - heapBefore);
        assertThat(a.status).startsWith("HTTP/1.1 413");
        assertThat(a.head).containsIgnoringCase("content-type: application/problem+json");
        assertThat(a.body).contains("/problems/payload-too-large");
        assertThat(a.sent).as("answered before the body was sent: it is not read").isLessThan(FIFTY_MB);
        assertThat(heapAfter - heapBefore).as("heap growth, MB").isLessThan(50.0);
    }

    private record Answer(String status, String head, String body, long millis, long sent) {
    }

    /** POST with Content-Length: 50 MB, writing the body until the answer comes (or the connection is closed). */
    private static Answer send(URI base, String path, String token) throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            AtomicLong sent = new AtomicLong();
            long start = System.nanoTime();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\nAuthorization: Bearer " + token + "\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + FIFTY_MB + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            Thread writer = Thread.ofVirtual().start(() -> {
                byte[] chunk = new byte[64 * 1024];
                Arrays.fill(chunk, (byte) ' ');
                chunk[0] = '[';
                try {
                    while (sent.get() < FIFTY_MB) {
                        out.write(chunk);
                        sent.addAndGet(chunk.length);
                        chunk[0] = ' ';
                    }
                } catch (IOException closed) {
                    // the server closed the connection after its answer: expected
                }
            });
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            String text = "";
            int n;
            while ((n = in.read(buf)) > 0) {
                answer.write(buf, 0, n);
                text = answer.toString(StandardCharsets.UTF_8);
                int end = text.indexOf("\r\n\r\n");
                if (end > 0 && text.indexOf('}', end) > 0) {
                    break;
                }
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            long at = sent.get();
            socket.close();
            writer.join(10_000);
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            return new Answer(head.lines().findFirst().orElse(""), head, end < 0 ? "" : text.substring(end + 4),
                    millis, at);
        }
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
