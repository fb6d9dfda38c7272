package fr.actionlogement.territorial.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import fr.actionlogement.territorial.gateway.support.FakeUpstreams;
import fr.actionlogement.territorial.gateway.support.GatewayTestResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The gateway rejects bad tokens before any service sees the request (the services check again). */
@QuarkusTest
@WithTestResource(GatewayTestResource.class)
class TokenRefusalTest {

    private final FakeUpstreams upstreams = FakeUpstreams.get();

    static Stream<Arguments> badTokens() {
        return Stream.of(
                Arguments.of("expired", TestTokens.expired()),
                Arguments.of("wrong issuer", TestTokens.wrongIssuer()),
                Arguments.of("wrong audience", TestTokens.wrongAudience()),
                Arguments.of("forged signature", TestTokens.forgedSignature()),
                Arguments.of("alg none", TestTokens.algNone()),
                Arguments.of("not a JWT", "not-a-token"));
    }

    @ParameterizedTest(name = "{0} token -> 401")
    @MethodSource("badTokens")
    @DisplayName("an invalid token gets a problem+json 401 at the gateway, and the service is never called")
    void invalidTokenIsRefusedEarly(String kind, String token) {
        int before = upstreams.hits("POST", "/api/territories/echo/refused");
        given().auth().oauth2(token).body("{}").contentType("application/json").post("/api/territories/echo/refused")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("type", equalTo("/problems/unauthorized")).body("status", equalTo(401));
        assertThat(upstreams.hits("POST", "/api/territories/echo/refused")).isEqualTo(before);
    }

    @Test
    @DisplayName("no token: 401 problem+json on the proxy and on the dashboard, service not called")
    void missingTokenIsRefused() {
        int before = upstreams.hits("GET", "/api/territories/echo/anonymous");
        given().get("/api/territories/echo/anonymous").then().statusCode(401)
                .contentType("application/problem+json").body("type", equalTo("/problems/unauthorized"));
        given().get("/api/dashboard/territories/EPCI:200046977").then().statusCode(401)
                .contentType("application/problem+json");
        assertThat(upstreams.hits("GET", "/api/territories/echo/anonymous")).isEqualTo(before);
    }

    @Test
    @DisplayName("every role's valid token passes the gateway (roles are decided by the services)")
    void everyRolePasses() {
        for (String token : new String[] { TestTokens.uesl(), TestTokens.admin(), TestTokens.cil("775685019"),
                TestTokens.collectivite("200046977"), TestTokens.delegue("84"), TestTokens.observateur() }) {
            given().auth().oauth2(token).get("/api/territories/echo/roles").then().statusCode(200);
        }
    }

    @Test
    @DisplayName("health, metrics, OpenAPI and Swagger UI are open")
    void openEndpointsNeedNoToken() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
        given().get("/q/swagger-ui/").then().statusCode(200);
        given().get("/openapi/territories").then().statusCode(200);
    }
}
