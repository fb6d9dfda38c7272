package fr.actionlogement.territorial.conventions;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Location and Link name the URL the caller used: the service's own, or the gateway's public one it forwards. */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "conventions"))
class PublicUrlsTest extends ConventionsTestBase {

    static final String PUBLIC = "https://api.example.org:8443";

    @TestHTTPResource("/")
    URI base;

    /** What the gateway sends: the scheme, host and port its caller used. */
    private RequestSpecification viaGateway() {
        return as(uesl).header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "api.example.org:8443")
                .header("X-Forwarded-For", "203.0.113.7");
    }

    private Response createCampaign(RequestSpecification spec) {
        String id = "c-" + digits(8);
        return spec.body(Map.of("campaignId", id, "name", "Campagne " + id, "year", 2011, "cap", 5,
                "evaluationYear", 2012)).post(BASE + "/campaigns");
    }

    @Test
    @DisplayName("a created campaign's Location is the API's base URL and its path, the context path once; following it answers 200")
    void locationIsBasePlusPathOnce() {
        Response created = createCampaign(as(uesl));
        created.then().statusCode(201);
        String location = created.header("Location");
        assertThat(location).isEqualTo(base.resolve(BASE + "/campaigns/" + created.path("campaignId")).toString());
        given().auth().oauth2(uesl).get(location).then().statusCode(200)
                .body("campaignId", is(created.<String> path("campaignId")));
    }

    @Test
    @DisplayName("with the gateway's X-Forwarded-Proto/Host, Location and paging Link carry the public URL")
    void forwardedHeadersGiveThePublicUrl() {
        Response created = createCampaign(viaGateway());
        created.then().statusCode(201);
        assertThat(created.header("Location")).isEqualTo(PUBLIC + BASE + "/campaigns/" + created.path("campaignId"));
        createCampaign(as(uesl)).then().statusCode(201);
        createCampaign(as(uesl)).then().statusCode(201);

        Response page = viaGateway().get(BASE + "/campaigns?year=2011&size=1&page=1");
        page.then().statusCode(200);
        assertThat(page.headers().getValues("Link")).containsExactlyInAnyOrder(
                "<" + PUBLIC + BASE + "/campaigns?year=2011&size=1&page=2>; rel=\"next\"",
                "<" + PUBLIC + BASE + "/campaigns?year=2011&size=1&page=0>; rel=\"prev\"");
    }
}
