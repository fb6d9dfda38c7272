package fr.actionlogement.territorial.buildingblocks;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.UUID;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Location and Link name the URL the caller used: the service's own, or the one the gateway forwards. */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "building_blocks"))
class PublicUrlsTest {

    @TestHTTPResource("/")
    URI base;

    private final String uesl = TestTokens.uesl();

    private RequestSpecification as() {
        return given().auth().oauth2(uesl).contentType(ContentType.JSON);
    }

    private static RequestSpecification viaGateway(RequestSpecification spec) {
        return spec.header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "api.example.org:8443")
                .header("X-Forwarded-For", "203.0.113.7");
    }

    @Test
    @DisplayName("a create answers Location = the request's base URL + the resource's path, and it can be followed")
    void locationIsTheRequestBasePlusPath() {
        Response created = as().body("{\"text\":\"located\"}").post("/probes");
        created.then().statusCode(201);
        String id = created.path("id").toString();
        assertThat(created.header("Location")).isEqualTo(base.resolve("/probes/" + id).toString());
        given().auth().oauth2(uesl).get(created.header("Location")).then().statusCode(200);
    }

    @Test
    @DisplayName("behind the gateway (X-Forwarded-Proto/Host, or Host and Port apart) Location names the public URL")
    void locationHonoursForwardedHeaders() {
        Response created = viaGateway(as()).body("{\"text\":\"forwarded\"}").post("/probes");
        created.then().statusCode(201);
        assertThat(created.header("Location")).isEqualTo("https://api.example.org:8443/probes/" + created.path("id"));

        Response apart = as().header("X-Forwarded-Proto", "http").header("X-Forwarded-Host", "gateway.internal")
                .header("X-Forwarded-Port", "8080").body("{\"text\":\"port apart\"}").post("/probes");
        apart.then().statusCode(201);
        assertThat(apart.header("Location")).isEqualTo("http://gateway.internal:8080/probes/" + apart.path("id"));
    }

    @Test
    @DisplayName("an idempotent replay names the host the retry came through, not the first request's")
    void replayedLocationFollowsTheRetry() {
        String key = UUID.randomUUID().toString();
        String body = "{\"text\":\"retried\"}";
        Response first = as().header("Idempotency-Key", key).body(body).post("/probes");
        first.then().statusCode(201);
        Response retry = viaGateway(as()).header("Idempotency-Key", key).body(body).post("/probes");
        retry.then().statusCode(201).header("Idempotent-Replayed", "true");
        assertThat(first.header("Location")).isEqualTo(base.resolve("/probes/" + first.path("id")).toString());
        assertThat(retry.header("Location")).isEqualTo("https://api.example.org:8443/probes/" + first.path("id"));
    }

    @Test
    @DisplayName("paging Link rel=next/prev keep the path and filters and name the public URL")
    void pagingLinksHonourForwardedHeaders() {
        for (int i = 0; i < 3; i++) {
            as().body("{\"text\":\"page " + i + "\"}").post("/probes").then().statusCode(201);
        }
        Response page = viaGateway(given().auth().oauth2(uesl)).get("/probes?size=1&sort=id&page=1");
        page.then().statusCode(200);
        assertThat(page.headers().getValues("Link")).containsExactlyInAnyOrder(
                "<https://api.example.org:8443/probes?size=1&sort=id&page=2>; rel=\"next\"",
                "<https://api.example.org:8443/probes?size=1&sort=id&page=0>; rel=\"prev\"");

        Response direct = given().auth().oauth2(uesl).get("/probes?size=1");
        assertThat(direct.header("Link")).isEqualTo("<" + base.resolve("/probes?size=1&page=1") + ">; rel=\"next\"");
    }
}
