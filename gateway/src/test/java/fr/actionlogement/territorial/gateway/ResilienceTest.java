package fr.actionlogement.territorial.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.gateway.support.FakeUpstreams;
import fr.actionlogement.territorial.gateway.support.GatewayTestResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(GatewayTestResource.class)
class ResilienceTest {

    private final FakeUpstreams upstreams = FakeUpstreams.get();

    @Test
    @DisplayName("a service slower than its route timeout gets a problem+json 504, after one attempt")
    void slowServiceTimesOut() {
        long start = System.nanoTime();
        given().auth().oauth2(TestTokens.uesl()).get("/api/territories/slow")
                .then().statusCode(504).contentType("application/problem+json")
                .body("type", equalTo("/problems/gateway-timeout"))
                .body("detail", containsString("territories did not answer within 3000 ms"))
                .body("requestId", notNullValue());
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(2900L, 11_000L);
        assertThat(upstreams.hits("GET", "/api/territories/slow")).isEqualTo(1);
    }

    @Test
    @DisplayName("a route with its own longer timeout (an export) may take longer than the service's default")
    void routeTimeoutOverridesTheServiceTimeout() {
        given().auth().oauth2(TestTokens.uesl()).get("/api/territories/slow-export")
                .then().statusCode(200).body("late", equalTo(true));
    }

    @Test
    @DisplayName("a service that is down gets a problem+json 503 with Retry-After, for reads and writes")
    void deadServiceIsUnavailable() {
        given().auth().oauth2(TestTokens.uesl()).get("/api/observatory/observations")
                .then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("type", equalTo("/problems/service-unavailable"))
                .body("detail", containsString("observatory is unreachable"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("gateway_upstream_failures_total{kind=\"unavailable\",service=\"observatory\"}"));
        given().auth().oauth2(TestTokens.uesl()).contentType("application/json").body("{\"x\":1}")
                .post("/api/observatory/studies")
                .then().statusCode(503).contentType("application/problem+json");
    }

    @Test
    @DisplayName("a GET refused with 503 is retried (bounded) and succeeds")
    void getIsRetried() {
        given().auth().oauth2(TestTokens.uesl()).get("/api/territories/flaky/read")
                .then().statusCode(200).body("attempt", equalTo(2));
        assertThat(upstreams.hits("GET", "/api/territories/flaky/read")).isEqualTo(2);
    }

    @Test
    @DisplayName("a POST is never retried: the service's 503 reaches the caller after one attempt")
    void postIsNotRetried() {
        given().auth().oauth2(TestTokens.uesl()).contentType("application/json").body("{}")
                .post("/api/territories/flaky/write")
                .then().statusCode(503);
        assertThat(upstreams.hits("POST", "/api/territories/flaky/write")).isEqualTo(1);
    }
}
