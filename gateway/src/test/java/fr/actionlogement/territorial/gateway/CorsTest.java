package fr.actionlogement.territorial.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.gateway.support.FakeUpstreams;
import fr.actionlogement.territorial.gateway.support.GatewayTestResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(GatewayTestResource.class)
class CorsTest {

    @Test
    @DisplayName("a configured SPA origin's preflight is answered by the gateway, without a token or a service call")
    void preflightFromAConfiguredOrigin() {
        int before = FakeUpstreams.get().hits("OPTIONS", "/api/territories/echo/cors");
        given().header("Origin", "http://localhost:5173")
                .header("Access-Control-Request-Method", "PUT")
                .header("Access-Control-Request-Headers", "authorization,if-match,content-type")
                .options("/api/territories/echo/cors")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", "http://localhost:5173")
                .header("Access-Control-Allow-Methods", containsString("PUT"))
                .header("Access-Control-Allow-Headers", containsString("If-Match"));
        assertThat(FakeUpstreams.get().hits("OPTIONS", "/api/territories/echo/cors")).isEqualTo(before);
    }

    @Test
    @DisplayName("another origin gets no CORS permission")
    void otherOriginsAreNotAllowed() {
        given().header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "GET")
                .options("/api/territories/echo/cors")
                .then().statusCode(403).header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    @DisplayName("an actual cross-origin call carries the CORS headers and exposes X-Request-Id and ETag")
    void actualCallExposesHeaders() {
        given().auth().oauth2(TestTokens.uesl()).header("Origin", "http://localhost:5173")
                .get("/api/territories/echo/cors")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo("http://localhost:5173"))
                .header("Access-Control-Expose-Headers", containsString("X-Request-Id"))
                .header("Access-Control-Expose-Headers", containsString("ETag"));
    }
}
