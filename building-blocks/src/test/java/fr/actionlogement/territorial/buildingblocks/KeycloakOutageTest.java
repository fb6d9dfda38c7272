package fr.actionlogement.territorial.buildingblocks;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.testsupport.FakeKeycloak;
import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A service validates tokens itself: when Keycloak cannot be reached it answers 503 problem+json with Retry-After,
 * like the gateway, and recovers by itself. The realm's discovery document and JWKS are served by
 * {@link FakeKeycloak} on a fixed port closed, then opened: a stopped, then restarted Keycloak to quarkus-oidc.
 */
@QuarkusTest
@WithTestResource(value = KeycloakOutageTest.KeycloakDown.class, initArgs = @ResourceArg(name = "database", value = "building_blocks"))
class KeycloakOutageTest {

    public static class KeycloakDown extends RealInfrastructureResource {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(super.start());
            FakeKeycloak keycloak = FakeKeycloak.get();
            keycloak.stop();
            config.remove("quarkus.oidc.public-key");
            config.put("quarkus.oidc.auth-server-url", keycloak.realmUrl);
            return config;
        }

        @Override
        public void stop() {
            FakeKeycloak.get().stop();
        }
    }

    private final FakeKeycloak keycloak = FakeKeycloak.get();

    @Test
    @DisplayName("started while Keycloak is down: 503 problem+json with Retry-After, then served once Keycloak is back")
    void unavailableThenRecovers() {
        String token = keycloak.token("key-1", "uesl-user", "uesl");
        Response down = given().auth().oauth2(token).get("/probes/0");
        down.then().statusCode(503).contentType("application/problem+json").header("Retry-After", notNullValue())
                .body("type", equalTo("/problems/service-unavailable"));
        assertThat(down.header("WWW-Authenticate")).isNull();

        keycloak.start();
        // Verified now: the probe answers for itself (no such note).
        given().auth().oauth2(token).get("/probes/0").then().statusCode(404);
        given().auth().oauth2(keycloak.token("key-1", "observer", "observateur")).get("/probes/0").then()
                .statusCode(403);
    }
}
