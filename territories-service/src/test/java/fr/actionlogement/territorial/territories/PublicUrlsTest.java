package fr.actionlogement.territorial.territories;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

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

/** Location and Link name the URL the caller used: the service's own, or the gateway's public one it forwards. */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "territories"))
class PublicUrlsTest {

    static final String API = "/api/territories";
    static final String PUBLIC = "https://api.example.org:8443";

    @TestHTTPResource("/")
    URI base;

    private final String uesl = TestTokens.uesl();

    /** What the gateway sends: the scheme, host and port its caller used. */
    private RequestSpecification viaGateway() {
        return given().auth().oauth2(uesl).header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "api.example.org").header("X-Forwarded-Port", "8443")
                .header("X-Forwarded-For", "203.0.113.7");
    }

    private Response defineBasin(RequestSpecification spec) {
        String slug = "url-" + UUID.randomUUID().toString().substring(0, 8);
        return spec.contentType(ContentType.JSON).body("""
                {"slug":"%s","name":"Bassin %s","wave":2,"epciSirens":["246300701"],"tension":"B1",
                 "tensionSource":"Zonage ABC 2014","protocolId":"protocole-cadre-2013"}""".formatted(slug, slug))
                .post(API + "/basins");
    }

    @Test
    @DisplayName("a created basin's Location is the API's base URL and its path, the context path once; following it answers 200")
    void locationIsBasePlusPathOnce() {
        Response created = defineBasin(given().auth().oauth2(uesl));
        created.then().statusCode(201);
        String location = created.header("Location");
        assertThat(location).isEqualTo(base.resolve(API + "/basins/" + created.path("id")).toString());
        given().auth().oauth2(uesl).get(location).then().statusCode(200).body("id", is(created.<String> path("id")));
    }

    @Test
    @DisplayName("with the gateway's X-Forwarded-Proto/Host/Port, Location and paging Link carry the public URL")
    void forwardedHeadersGiveThePublicUrl() {
        Response created = defineBasin(viaGateway());
        created.then().statusCode(201);
        assertThat(created.header("Location")).isEqualTo(PUBLIC + API + "/basins/" + created.path("id"));

        Response page = viaGateway().get(API + "/basins?wave=1&size=5&page=1");
        page.then().statusCode(200);
        assertThat(page.headers().getValues("Link")).containsExactlyInAnyOrder(
                "<" + PUBLIC + API + "/basins?wave=1&size=5&page=2>; rel=\"next\"",
                "<" + PUBLIC + API + "/basins?wave=1&size=5&page=0>; rel=\"prev\"");
    }
}
