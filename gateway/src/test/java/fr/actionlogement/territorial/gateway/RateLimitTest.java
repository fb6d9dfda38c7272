package fr.actionlogement.territorial.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.gateway.support.FakeUpstreams;
import fr.actionlogement.territorial.gateway.support.GatewayTestResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
@WithTestResource(GatewayTestResource.class)
class RateLimitTest {

    @Test
    @DisplayName("a client over its limit gets 429 with Retry-After, the service is not called; other clients are unaffected")
    void overTheLimitIs429() {
        // This client id has a limit of 3 per hour in the test configuration.
        String partner = TestTokens.user("partner-service-account").roles("uesl")
                .claim("azp", GatewayTestResource.RATE_LIMITED_CLIENT).sign();
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(partner).get("/api/territories/echo/limited").then().statusCode(200)
                    .header("X-RateLimit-Limit", "3");
        }
        int hits = FakeUpstreams.get().hits("GET", "/api/territories/echo/limited");
        Response refused = given().auth().oauth2(partner).get("/api/territories/echo/limited");
        refused.then().statusCode(429).contentType("application/problem+json")
                .body("type", equalTo("/problems/too-many-requests"));
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 3600L);
        assertThat(FakeUpstreams.get().hits("GET", "/api/territories/echo/limited")).isEqualTo(hits);

        given().auth().oauth2(TestTokens.uesl()).get("/api/territories/echo/limited").then().statusCode(200);
    }
}
