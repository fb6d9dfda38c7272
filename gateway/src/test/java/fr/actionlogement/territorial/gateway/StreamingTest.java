package fr.actionlogement.territorial.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.gateway.support.FakeUpstreams;
import fr.actionlogement.territorial.gateway.support.GatewayTestResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * 50 MB each way through the gateway (test JVM heap: 256 MB). Each side waits for the other to have seen the first
 * megabyte before sending the rest, which a proxy holding bodies whole could never allow.
 */
@QuarkusTest
@WithTestResource(GatewayTestResource.class)
class StreamingTest {

    @TestHTTPResource("/")
    URI gateway;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @DisplayName("a 50 MB upload reaches the service while the client is still sending it")
    void uploadIsStreamed() throws Exception {
        FakeUpstreams upstreams = FakeUpstreams.get();
        upstreams.uploadStarted = new CountDownLatch(1);
        AtomicBoolean serviceHadFirstMegabyte = new AtomicBoolean();
        InputStream body = new InputStream() {
            long sent;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0];
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (sent >= FakeUpstreams.BIG) {
                    return -1;
                }
                if (sent >= 2L * FakeUpstreams.MB && !serviceHadFirstMegabyte.get()) {
                    try {
                        serviceHadFirstMegabyte.set(upstreams.uploadStarted.await(20, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                int n = (int) Math.min(len, FakeUpstreams.BIG - sent);
                java.util.Arrays.fill(b, off, off + n, (byte) 'u');
                sent += n;
                return n;
            }
        };
        HttpRequest request = HttpRequest.newBuilder(gateway.resolve("/api/territories/upload"))
                .header("Authorization", "Bearer " + TestTokens.uesl()).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body),
                        FakeUpstreams.BIG))
                .timeout(Duration.ofSeconds(60)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(serviceHadFirstMegabyte).as("the service received bytes before the upload ended").isTrue();
        assertThat(upstreams.uploadedBytes.get()).isEqualTo(FakeUpstreams.BIG);
    }

    @Test
    @DisplayName("a 50 MB download (CSV export) reaches the client while the service is still sending it")
    void downloadIsStreamed() throws Exception {
        FakeUpstreams upstreams = FakeUpstreams.get();
        upstreams.downloadFirstRead = new CountDownLatch(1);
        upstreams.downloadStreamed.set(null);
        HttpRequest request = HttpRequest.newBuilder(gateway.resolve("/api/territories/download"))
                .header("Authorization", "Bearer " + TestTokens.uesl()).GET().timeout(Duration.ofSeconds(60)).build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/csv");
        long total = 0;
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0;) {
                total += n;
                upstreams.downloadFirstRead.countDown();
            }
        }
        assertThat(upstreams.downloadStreamed.get()).as("the client read bytes before the service finished").isTrue();
        assertThat(total).isEqualTo(FakeUpstreams.BIG);
    }
}
