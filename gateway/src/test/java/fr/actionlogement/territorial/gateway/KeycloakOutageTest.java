package fr.actionlogement.territorial.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import fr.actionlogement.territorial.gateway.support.FakeUpstreams;
import fr.actionlogement.territorial.gateway.support.GatewayTestResource;
import fr.actionlogement.territorial.testsupport.FakeKeycloak;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Keycloak unreachable: the gateway cannot tell a good token from a bad one, so it answers 503 problem+json with
 * Retry-After (not 401, which would make a client throw its token away), and recovers by itself when Keycloak
 * returns. The realm's discovery document and JWKS are served by {@link FakeKeycloak} on a fixed port that is
 * closed and reopened: to quarkus-oidc that is exactly a stopped and restarted Keycloak (connection refused, then the
 * same URLs answering again).
 */
@QuarkusTest
@WithTestResource(KeycloakOutageTest.KeycloakDown.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeycloakOutageTest {

    /** The gateway's test world, verifying tokens against a Keycloak that is down when the gateway starts. */
    public static class KeycloakDown extends GatewayTestResource {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(super.start());
            FakeKeycloak keycloak = FakeKeycloak.get();
            keycloak.stop();
            config.remove("quarkus.oidc.public-key");
            config.put("quarkus.oidc.auth-server-url", keycloak.realmUrl);
            // A token naming a key the gateway has not seen makes it fetch the JWKS again (at most this often).
            config.put("quarkus.oidc.token.forced-jwk-refresh-interval", "1s");
            return config;
        }

        @Override
        public void stop() {
            FakeKeycloak.get().stop();
        }
    }

    private final FakeKeycloak keycloak = FakeKeycloak.get();
    private final FakeUpstreams upstreams = FakeUpstreams.get();

    private Response call(String token) {
        return given().auth().oauth2(token).get("/api/territories/echo/keycloak");
    }

    private static void assertUnavailable(Response r) {
        r.then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("type", equalTo("/problems/service-unavailable")).body("status", equalTo(503));
        assertThat(r.header("WWW-Authenticate")).isNull();
        assertThat(Integer.parseInt(r.header("Retry-After"))).isPositive();
    }

    @Test
    @Order(1)
    @DisplayName("started while Keycloak is down: a token gets 503 problem+json with Retry-After, the service is not called")
    void startedWithoutKeycloak() {
        int before = upstreams.hits("GET", "/api/territories/echo/keycloak");
        assertUnavailable(call(keycloak.token("key-1", "uesl-user", "uesl")));
        given().auth().oauth2(keycloak.token("key-1", "uesl-user", "uesl")).get("/api/dashboard/territories/EPCI:200046977")
                .then().statusCode(503).contentType("application/problem+json").header("Retry-After", notNullValue());
        // No token at all needs no Keycloak: still 401.
        given().get("/api/territories/echo/keycloak").then().statusCode(401);
        assertThat(upstreams.hits("GET", "/api/territories/echo/keycloak")).isEqualTo(before);
    }

    @Test
    @Order(2)
    @DisplayName("Keycloak back: the next request is verified and passes, without restarting the gateway")
    void recoversWhenKeycloakReturns() {
        keycloak.start();
        call(keycloak.token("key-1", "uesl-user", "uesl")).then().statusCode(200);
        assertThat(keycloak.fetches("/certs")).isPositive();
    }

    @Test
    @Order(3)
    @DisplayName("Keycloak down again: tokens signed with cached keys keep working, bad ones are still 401")
    void cachedKeysKeepWorking() {
        keycloak.stop();
        call(keycloak.token("key-1", "uesl-user", "uesl")).then().statusCode(200);
        String tampered = keycloak.token("key-1", "uesl-user", "uesl");
        tampered = tampered.substring(0, tampered.lastIndexOf('.') + 1) + "AAAA"
                + tampered.substring(tampered.lastIndexOf('.') + 5);
        call(tampered).then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    @Order(4)
    @DisplayName("Keycloak down and a token signed with a new key: 503 (its key cannot be fetched), then 200 once Keycloak is back")
    void unknownKeyWhileDownIsUnavailable() throws Exception {
        String kid = keycloak.rotate();
        Thread.sleep(1100); // past the forced JWKS refresh interval
        assertUnavailable(call(keycloak.token(kid, "uesl-user", "uesl")));
        keycloak.start();
        Thread.sleep(1100);
        call(keycloak.token(kid, "uesl-user", "uesl")).then().statusCode(200);
    }
}
