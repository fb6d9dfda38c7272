package fr.actionlogement.territorial.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.gateway.support.FakeUpstreams;
import fr.actionlogement.territorial.gateway.support.GatewayTestResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(GatewayTestResource.class)
class DashboardTest {

    @Test
    @DisplayName("the territory dashboard is assembled in parallel; a slow part is TIMEOUT, a dead one UNAVAILABLE, the page still 200")
    void partialFailureIsReportedPerPart() {
        String token = TestTokens.delegue("84");
        long start = System.nanoTime();
        given().auth().oauth2(token).header("X-Request-Id", "dash-1")
                .get("/api/dashboard/territories/EPCI:200046977")
                .then().statusCode(200)
                .header("X-Request-Id", "dash-1")
                .body("territoryId", equalTo("EPCI:200046977"))
                .body("complete", equalTo(false))
                .body("parts.territory.status", equalTo("OK"))
                .body("parts.territory.data.name", equalTo("Métropole de Lyon"))
                .body("parts.conference.status", equalTo("OK"))
                .body("parts.conference.data.items[0].deadline", equalTo("2013-12-27"))
                .body("parts.conventions.status", equalTo("OK"))
                .body("parts.conventions.data.items[0].conventionId", equalTo("c-1"))
                .body("parts.conventions.data.query", containsString("territoryId=EPCI:200046977"))
                .body("parts.partnerships.status", equalTo("TIMEOUT"))
                .body("parts.partnerships.detail", containsString("1000 ms"))
                .body("parts.needs.status", equalTo("UNAVAILABLE"))
                .body("parts.needs.service", equalTo("observatory"));
        // The partnerships service takes 10 s: the page does not wait for it.
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(9000);
        // Each part was read with the caller's own token and the request's correlation id.
        var seen = FakeUpstreams.get().lastHeaders.get("/api/conventions");
        assertThat(seen.get("authorization")).containsExactly("Bearer " + token);
        assertThat(seen.get("x-request-id")).containsExactly("dash-1");
        assertThat(FakeUpstreams.get().lastQuery.get("/api/partnerships/agreements"))
                .isEqualTo("collectiviteId=200046977&pendingApproval=true");
    }

    @Test
    @DisplayName("a territory the territories service does not know is a problem+json 404")
    void unknownTerritoryIs404() {
        given().auth().oauth2(TestTokens.uesl()).get("/api/dashboard/territories/EPCI:000000000")
                .then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("/problems/not-found"));
    }

    @Test
    @DisplayName("a malformed territory id is a problem+json 400 naming the field, and no service is called")
    void malformedTerritoryIdIs400() {
        given().auth().oauth2(TestTokens.uesl()).get("/api/dashboard/territories/not an id")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("/problems/validation"))
                .body("detail", containsString("territoryId"));
    }
}
