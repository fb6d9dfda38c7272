package fr.actionlogement.territorial.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.gateway.support.FakeUpstreams;
import fr.actionlogement.territorial.gateway.support.GatewayTestResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
@WithTestResource(GatewayTestResource.class)
class ProxyRoutingTest {

    private final FakeUpstreams upstreams = FakeUpstreams.get();

    @TestHTTPResource("/")
    URI gateway;

    @Test
    @DisplayName("routes /api/<context>/** to that service unchanged: method, path, query, body, status and headers")
    void routesToTheServiceUnchanged() {
        String token = TestTokens.uesl();
        given().urlEncodingEnabled(false).auth().oauth2(token).contentType("application/json").body("{\"a\":1}")
                .post("/api/territories/echo/deep/path?x=1&y=%C3%A9")
                .then().statusCode(200)
                .body("method", equalTo("POST"))
                .body("path", equalTo("/api/territories/echo/deep/path"))
                .body("query", equalTo("x=1&y=%C3%A9"))
                .body("bodyBytes", equalTo(7))
                .header("ETag", "\"7\"")
                .header("X-Upstream", "fake");
        Map<String, List<String>> seen = upstreams.lastHeaders.get("/api/territories/echo/deep/path");
        assertThat(seen.get("authorization")).containsExactly("Bearer " + token);
        assertThat(seen.get("x-forwarded-for")).isNotEmpty();
        assertThat(seen.get("x-forwarded-proto")).containsExactly("http");
    }

    @Test
    @DisplayName("a GET with a body (which has no meaning) over HTTP/2 is answered at once, not held until the route timeout")
    void getWithABody() throws Exception {
        // java.net.http upgrades the connection to HTTP/2 (h2c) on a first request without a body. When the body's
        // last frame was read before the proxy resumed the request, resume() threw (the request had ended) and the
        // service never got the end of its request: a 504 after the route timeout, then again on each retry. That
        // depends on timing (the fuzzing system test hit it under load); this pins the behaviour, not the race.
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        String token = TestTokens.uesl();
        HttpRequest first = HttpRequest.newBuilder(gateway.resolve("/api/territories/echo/warm-up"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).GET().build();
        assertThat(client.send(first, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        long started = System.nanoTime();
        HttpRequest withBody = HttpRequest.newBuilder(gateway.resolve("/api/territories/echo/get-with-body"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .method("GET", HttpRequest.BodyPublishers.ofString("9223372036854775807")).build();
        HttpResponse<String> answer = client.send(withBody, HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("\"method\":\"GET\"");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    @DisplayName("a service's own error (problem+json 422) reaches the caller as it is")
    void passesServiceErrorsThrough() {
        given().auth().oauth2(TestTokens.uesl()).get("/api/territories/refuse")
                .then().statusCode(422).contentType("application/problem+json").body("rule", equalTo("R-32"));
    }

    @Test
    @DisplayName("X-Request-Id and traceparent from the caller reach the service and come back")
    void propagatesCorrelationIds() {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        given().auth().oauth2(TestTokens.uesl()).header("X-Request-Id", "req-42.abc")
                .header("traceparent", traceparent)
                .get("/api/territories/echo/ids")
                .then().statusCode(200).header("X-Request-Id", "req-42.abc");
        Map<String, List<String>> seen = upstreams.lastHeaders.get("/api/territories/echo/ids");
        assertThat(seen.get("x-request-id")).containsExactly("req-42.abc");
        assertThat(seen.get("traceparent")).containsExactly(traceparent);
    }

    @Test
    @DisplayName("without X-Request-Id (or with an unsafe one) the gateway makes one, sends it to the service and returns it")
    void generatesARequestId() {
        Response r = given().auth().oauth2(TestTokens.uesl()).header("X-Request-Id", "bad id\twith spaces")
                .get("/api/territories/echo/generated");
        r.then().statusCode(200).header("X-Request-Id", notNullValue());
        String id = r.header("X-Request-Id");
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(upstreams.lastHeaders.get("/api/territories/echo/generated").get("x-request-id")).containsExactly(id);
    }

    @Test
    @DisplayName("a declared body over the gateway's limit is a problem+json 413 and the service is not called")
    void oversizedBodyIs413() throws Exception {
        String token = TestTokens.uesl();
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/territories/echo/huge HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: text/csv\r\nContent-Length: 100000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith("HTTP/1.1 413");
            StringBuilder headers = new StringBuilder();
            int length = 0;
            for (String line; (line = in.readLine()) != null && !line.isEmpty();) {
                headers.append(line).append('\n');
                if (line.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            char[] body = new char[length];
            for (int read = 0; read < length;) {
                read += in.read(body, read, length - read);
            }
            assertThat(headers.toString()).containsIgnoringCase("content-type: application/problem+json");
            assertThat(new String(body)).contains("/problems/payload-too-large");
        }
        assertThat(upstreams.hits("POST", "/api/territories/echo/huge")).isZero();
    }

    @Test
    @DisplayName("a chunked body is counted while it streams: past the limit, 413 problem+json and the upload is cut")
    void oversizedChunkedBodyIs413() throws Exception {
        String token = TestTokens.uesl();
        long limit = GatewayTestResource.MAX_BODY_MB * FakeUpstreams.MB;
        long total = 2 * limit;
        AtomicLong sent = new AtomicLong();
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            long start = System.nanoTime();
            out.write(("POST /api/territories/upload HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            Thread writer = Thread.ofVirtual().start(() -> {
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, (byte) 'c');
                byte[] prefix = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                try {
                    while (sent.get() < total) {
                        out.write(prefix);
                        out.write(chunk);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        sent.addAndGet(chunk.length);
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (java.io.IOException closed) {
                    // the gateway closed the connection: expected
                }
            });
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String status = in.readLine();
            long millis = (System.nanoTime() - start) / 1_000_000;
            StringBuilder answer = new StringBuilder();
            int length = 0;
            for (String line; (line = in.readLine()) != null && !line.isEmpty();) {
                answer.append(line).append('\n');
                if (line.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            char[] body = new char[length];
            for (int read = 0; read < length;) {
                read += in.read(body, read, length - read);
            }
            answer.append(body);
            System.out.printf("ProxyRoutingTest: chunked %d MB body, limit %d MB -> %s in %d ms, %d MB sent by then%n",
                    total / FakeUpstreams.MB, limit / FakeUpstreams.MB, status, millis, sent.get() / FakeUpstreams.MB);
            assertThat(status).startsWith("HTTP/1.1 413");
            assertThat(answer.toString()).containsIgnoringCase("content-type: application/problem+json")
                    .containsIgnoringCase("connection: close").contains("/problems/payload-too-large");
            // The gateway closes the connection: the rest of the body is never read.
            assertThat(in.read()).isEqualTo(-1);
            socket.close();
            writer.join(10_000);
            assertThat(sent.get()).isLessThan(total);
        }
    }

    @Test
    @DisplayName("a path no service serves is a problem+json 404, never a default page")
    void unknownApiIsAProblem404() {
        given().auth().oauth2(TestTokens.uesl()).get("/api/unknown/things")
                .then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("/problems/not-found")).body("requestId", notNullValue());
    }
}
