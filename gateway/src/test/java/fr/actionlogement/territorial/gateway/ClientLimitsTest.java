package fr.actionlogement.territorial.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.gateway.support.FakeUpstreams;
import fr.actionlogement.territorial.gateway.support.GatewayTestResource;
import fr.actionlogement.territorial.testsupport.FakeKeycloak;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The client's resource limits at the gateway: at most {@code max-concurrent} requests in flight per client, and a
 * per-address allowance of requests without a valid token, checked before any token is verified. Tokens are verified
 * against {@link FakeKeycloak}, whose discovery document names an introspection endpoint: a token that is not a JWT
 * must still never be sent there. Deterministic: requests are held open by the fake service until the test releases
 * them, and every wait has a deadline.
 */
@QuarkusTest
@WithTestResource(ClientLimitsTest.Limits.class)
class ClientLimitsTest {

    static final int MAX_CONCURRENT = 2;
    static final int UNAUTHENTICATED = 3;

    /** The gateway's test world with small limits and Keycloak's discovery (JWKS and introspection endpoint). */
    public static class Limits extends GatewayTestResource {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(super.start());
            FakeKeycloak keycloak = FakeKeycloak.get();
            keycloak.start();
            config.remove("quarkus.oidc.public-key");
            config.put("quarkus.oidc.auth-server-url", keycloak.realmUrl);
            config.put("gateway.rate-limit.max-concurrent", String.valueOf(MAX_CONCURRENT));
            config.put("gateway.rate-limit.unauthenticated.limit", String.valueOf(UNAUTHENTICATED));
            config.put("gateway.rate-limit.unauthenticated.period", "1h");
            config.put("gateway.services.territories.route-timeouts.\"/api/territories/hold\"", "60s");
            return config;
        }

        @Override
        public void stop() {
            FakeKeycloak.get().stop();
        }
    }

    private static final String HOLD = "/api/territories/hold";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final FakeKeycloak keycloak = FakeKeycloak.get();
    private final FakeUpstreams upstreams = FakeUpstreams.get();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TestHTTPResource("/")
    URI base;

    @AfterEach
    void releaseHeldRequests() {
        upstreams.holdReleased.countDown();
    }

    @Test
    @DisplayName("a client with max-concurrent requests in flight gets 429 problem+json with Retry-After; others are unaffected; it recovers when one ends")
    void concurrentRequestsPerClient() throws Exception {
        upstreams.holdReleased = new CountDownLatch(1);
        String alice = keycloak.token("key-1", "limits-alice", "uesl");
        String bob = keycloak.token("key-1", "limits-bob", "uesl");
        int before = upstreams.hits("GET", HOLD);

        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < MAX_CONCURRENT; i++) {
            held.add(send(alice, HOLD, null));
        }
        await("the held requests reach the service", () -> upstreams.hits("GET", HOLD) == before + MAX_CONCURRENT);

        HttpResponse<String> refused = send(alice, HOLD, null).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(refused.body()).contains("/problems/too-many-requests").contains("in flight");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(upstreams.hits("GET", HOLD)).as("the refused request never reached the service")
                .isEqualTo(before + MAX_CONCURRENT);

        HttpResponse<String> other = send(bob, "/api/territories/echo/limits", null).get(WAIT.toSeconds(),
                TimeUnit.SECONDS);
        assertThat(other.statusCode()).as("another client is not limited by this one's requests").isEqualTo(200);

        upstreams.holdReleased.countDown();
        for (CompletableFuture<HttpResponse<String>> f : held) {
            assertThat(f.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        // Both places are free again: MAX_CONCURRENT more at once are admitted.
        List<CompletableFuture<HttpResponse<String>>> again = new ArrayList<>();
        for (int i = 0; i < MAX_CONCURRENT; i++) {
            again.add(send(alice, HOLD, null));
        }
        for (CompletableFuture<HttpResponse<String>> f : again) {
            assertThat(f.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("a request whose caller goes away frees its place: no slot leaks on a cancelled request")
    void cancelledRequestsFreeTheirPlace() throws Exception {
        upstreams.holdReleased = new CountDownLatch(1);
        String carol = keycloak.token("key-1", "limits-carol", "uesl");
        int before = upstreams.hits("GET", HOLD);
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CONCURRENT; i++) {
                Socket socket = new Socket(base.getHost(), base.getPort());
                socket.setSoTimeout((int) WAIT.toMillis());
                OutputStream out = socket.getOutputStream();
                out.write(("GET " + HOLD + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + carol
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                sockets.add(socket);
            }
            await("the held requests reach the service", () -> upstreams.hits("GET", HOLD) == before + MAX_CONCURRENT);
            assertThat(send(carol, HOLD, null).get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(429);
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        // The callers are gone: their places are freed although the service has not answered them.
        await("a place is free again", () -> {
            try {
                HttpResponse<String> r = send(carol, "/api/territories/echo/limits", null).get(WAIT.toSeconds(),
                        TimeUnit.SECONDS);
                return r.statusCode() == 200;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // Nor is the service asked again on their behalf: a reset request is not a failure to retry. (The retries'
        // backoff is 10 ms in tests; a retry would have landed well within this second.)
        Thread.sleep(1000);
        assertThat(upstreams.hits("GET", HOLD)).as("no retry for a caller who has gone").isEqualTo(before + MAX_CONCURRENT);
    }

    @Test
    @DisplayName("an address without a valid token gets 429 after its allowance, before its token is verified; a non-JWT is never introspected")
    void unauthenticatedCallersPerAddress() throws Exception {
        int verifiedBefore = keycloak.fetches("/certs");
        int echoed = upstreams.hits("GET", "/api/territories/echo/anonymous");
        String noToken = "203.0.113.10";
        for (int i = 0; i < UNAUTHENTICATED; i++) {
            assertThat(send(null, "/api/territories/echo/anonymous", noToken).get(WAIT.toSeconds(), TimeUnit.SECONDS)
                    .statusCode()).isEqualTo(401);
        }
        HttpResponse<String> refused = send(null, "/api/territories/echo/anonymous", noToken).get(WAIT.toSeconds(),
                TimeUnit.SECONDS);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(refused.body()).contains("/problems/too-many-requests");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 3600L);
        // Even a valid token from that address waits: it is not verified at all until the allowance refills.
        String valid = keycloak.token("key-1", "limits-dave", "uesl");
        assertThat(send(valid, "/api/territories/echo/anonymous", noToken).get(WAIT.toSeconds(), TimeUnit.SECONDS)
                .statusCode()).isEqualTo(429);

        String badTokens = "203.0.113.11";
        // Not a JWT, a JWT signed by a key Keycloak never had, not a JWT again.
        for (String bad : List.of("not-a-jwt", TestTokens.forgedSignature(), "a.b.c")) {
            assertThat(send(bad, "/api/territories/echo/anonymous", badTokens).get(WAIT.toSeconds(),
                    TimeUnit.SECONDS).statusCode()).as(bad).isEqualTo(401);
        }
        assertThat(send("not-a-jwt", "/api/territories/echo/anonymous", badTokens).get(WAIT.toSeconds(),
                TimeUnit.SECONDS).statusCode()).isEqualTo(429);
        assertThat(keycloak.fetches("/introspect")).as("a token that is not a JWT, or not verifiable, is never introspected")
                .isZero();

        assertThat(send(valid, "/api/territories/echo/anonymous", "203.0.113.12").get(WAIT.toSeconds(),
                TimeUnit.SECONDS).statusCode()).as("another address is unaffected").isEqualTo(200);
        assertThat(upstreams.hits("GET", "/api/territories/echo/anonymous")).isEqualTo(echoed + 1);
        System.out.printf("ClientLimitsTest: JWKS fetched %d times, introspection %d times%n",
                keycloak.fetches("/certs") - verifiedBefore, keycloak.fetches("/introspect"));
    }

    private CompletableFuture<HttpResponse<String>> send(String token, String path, String forwardedFor) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(40)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (forwardedFor != null) {
            // The tests call from loopback, a trusted proxy: X-Forwarded-For sets the client address.
            request.header("X-Forwarded-For", forwardedFor);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not within " + WAIT + ": " + what);
            }
            Thread.sleep(50);
        }
    }
}
