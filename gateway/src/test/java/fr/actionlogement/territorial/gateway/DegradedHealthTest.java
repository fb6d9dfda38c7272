package fr.actionlogement.territorial.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.gateway.support.GatewayTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** The Kubernetes setting: one service down leaves the gateway ready, and says so in the check's data. */
@QuarkusTest
@WithTestResource(GatewayTestResource.class)
@TestProfile(DegradedHealthTest.Degraded.class)
class DegradedHealthTest {

    public static class Degraded implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.health.upstreams-affect-readiness", "false");
        }
    }

    @Test
    @DisplayName("degraded mode: an unreachable service leaves readiness UP, its check reporting upstream DOWN")
    void unreachableServiceDegradesReadiness() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'observatory' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'observatory' }.data.upstream", equalTo("DOWN"))
                .body("checks.find { it.name == 'observatory' }.data.gateway", equalTo("degraded"))
                .body("checks.find { it.name == 'territories' }.data.upstream", equalTo("UP"));
    }
}
