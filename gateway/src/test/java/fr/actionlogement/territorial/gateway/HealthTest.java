package fr.actionlogement.territorial.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.gateway.support.GatewayTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(GatewayTestResource.class)
class HealthTest {

    @Test
    @DisplayName("readiness has one check per service; an unreachable service is DOWN and so is the gateway's readiness")
    void readinessAggregatesTheServices() {
        given().get("/q/health/ready").then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'territories' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'conventions' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'partnerships' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'observatory' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'observatory' }.data.upstream", equalTo("DOWN"));
    }

    @Test
    @DisplayName("liveness does not depend on the services")
    void livenessIsTheGatewayAlone() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
