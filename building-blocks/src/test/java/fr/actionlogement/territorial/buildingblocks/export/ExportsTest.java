package fr.actionlogement.territorial.buildingblocks.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.buildingblocks.probe.ProbeResource;
import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The shared export limits ({@link Exports}) on the probe's streamed export, against the real PostgreSQL. The test
 * configuration: 2 exports per caller, a 1 s statement timeout, a 20 s maximum duration. Exports are held open by
 * {@link ProbeResource#exportGate} after their first row, so "in flight" is certain, and every wait has a deadline.
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "building_blocks"))
class ExportsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URI base;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void openTheGate() {
        ProbeResource.exportGate.countDown();
    }

    @Test
    @DisplayName("a caller's third concurrent export gets 429 problem+json with Retry-After; another caller is served; places come back")
    void concurrentExportsPerCaller() throws Exception {
        ProbeResource.exportGate = new CountDownLatch(1);
        String alice = TestTokens.user("export-alice").roles("uesl").sign();
        String bob = TestTokens.user("export-bob").roles("uesl").sign();
        List<HttpResponse<InputStream>> held = new ArrayList<>();
        List<BufferedReader> readers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            HttpResponse<InputStream> r = export(alice, "");
            assertThat(r.statusCode()).isEqualTo(200);
            BufferedReader reader = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
            // The first row is written: the export is running, and holds its place.
            assertThat(reader.readLine()).isEqualTo("statement_timeout=1s");
            assertThat(reader.readLine()).isEqualTo("1");
            held.add(r);
            readers.add(reader);
        }
        HttpResponse<InputStream> refused = export(alice, "");
        String problem = new String(refused.body().readAllBytes(), StandardCharsets.UTF_8);
        System.out.printf("ExportsTest: third concurrent export -> %d %s %s%n", refused.statusCode(),
                refused.headers().firstValue("Retry-After").orElse("-"), problem);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(problem).contains("/problems/too-many-requests");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();

        HttpResponse<InputStream> other = export(bob, "");
        assertThat(other.statusCode()).as("another caller is not limited by this one's exports").isEqualTo(200);

        ProbeResource.exportGate.countDown();
        for (BufferedReader reader : readers) {
            assertThat(reader.readLine()).isEqualTo("2");
            assertThat(reader.readLine()).isNull();
        }
        other.body().readAllBytes();
        // Both places are free again once the exports have ended.
        for (int i = 0; i < 2; i++) {
            HttpResponse<InputStream> again = export(alice, "");
            assertThat(again.statusCode()).isEqualTo(200);
            again.body().readAllBytes();
        }
    }

    @Test
    @DisplayName("an export's statement is cancelled after the statement timeout: 503 problem+json, and the pool's connections are not left with it")
    void statementTimeout() throws Exception {
        String carol = TestTokens.user("export-carol").roles("uesl").sign();
        long start = System.nanoTime();
        HttpResponse<InputStream> slow = export(carol, "?rows=1&sleep=10");
        String problem = new String(slow.body().readAllBytes(), StandardCharsets.UTF_8);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("ExportsTest: a 10 s statement under a 1 s timeout -> %d in %d ms %s%n", slow.statusCode(),
                millis, problem);
        assertThat(slow.statusCode()).isEqualTo(503);
        assertThat(problem).contains("/problems/service-unavailable");
        assertThat(millis).as("cancelled well before the statement's 10 s").isLessThan(8_000);

        // The connection went back to the pool without the export's timeout: a plain request may run longer.
        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(base.resolve("/probes/statement-timeout"))
                .header("Authorization", "Bearer " + carol).timeout(WAIT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(plain.body()).isEqualTo("0");
    }

    @Test
    @DisplayName("an export that outlasts the maximum duration is cut (the caller sees a broken answer, never a short complete one) and frees its place")
    void maximumDuration() throws Exception {
        String dave = TestTokens.user("export-dave").roles("uesl").sign();
        long start = System.nanoTime();
        // 1,000 rows, one every 100 ms: 100 s, far over the 20 s maximum.
        HttpResponse<InputStream> endless = export(dave, "?rows=1000&everyMillis=100");
        assertThat(endless.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> endless.body().readAllBytes()).isInstanceOf(IOException.class);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("ExportsTest: an endless export cut after %d ms%n", millis);
        assertThat(millis).isBetween(19_000L, 60_000L);
        for (int i = 0; i < 2; i++) {
            HttpResponse<InputStream> again = export(dave, "");
            assertThat(again.statusCode()).as("its place is free again").isEqualTo(200);
            again.body().readAllBytes();
        }
    }

    private HttpResponse<InputStream> export(String token, String query) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/probes/export" + query))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(90)).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()).get(WAIT.toSeconds(),
                TimeUnit.SECONDS);
    }
}
