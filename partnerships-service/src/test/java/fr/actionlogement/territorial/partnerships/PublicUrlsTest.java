package fr.actionlogement.territorial.partnerships;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import java.net.URI;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Location and Link name the URL the caller used: the service's own, or the gateway's public one it forwards. */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "partnerships"))
class PublicUrlsTest extends PartnershipsTestSupport {

    static final String PUBLIC = "https://api.example.org:8443";

    @TestHTTPResource("/")
    URI base;

    /** What the gateway sends: the scheme, host and port its caller used. */
    private static RequestSpecification viaGateway(String token) {
        return given().auth().oauth2(token).header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "api.example.org:8443").header("X-Forwarded-For", "203.0.113.7");
    }

    @Test
    @DisplayName("a created agreement's Location is the API's base URL and its path, the context path once; following it answers 200")
    void locationIsBasePlusPathOnce() {
        World w = world();
        var created = create(w, false, null);
        String location = created.header("Location");
        assertThat(location).isEqualTo(base.resolve(BASE + "/agreements/" + created.path("id")).toString());
        given().auth().oauth2(w.cilToken()).get(location).then().statusCode(200).body("id", is(created.<Object> path("id")));
    }

    @Test
    @DisplayName("with the gateway's X-Forwarded-Proto/Host, Location and paging Link carry the public URL")
    void forwardedHeadersGiveThePublicUrl() {
        World w = world();
        Response created = viaGateway(w.cilToken()).contentType(ContentType.JSON).body(agreementJson(w, false, null))
                .post(BASE + "/agreements");
        created.then().statusCode(201);
        assertThat(created.header("Location")).isEqualTo(PUBLIC + BASE + "/agreements/" + created.path("id"));
        create(w, false, null);
        create(w, false, null);

        Response page = viaGateway(w.cilToken()).get(BASE + "/agreements?cilId=" + w.cil() + "&size=1&page=1");
        page.then().statusCode(200);
        assertThat(page.headers().getValues("Link")).containsExactlyInAnyOrder(
                "<" + PUBLIC + BASE + "/agreements?cilId=" + w.cil() + "&size=1&page=2>; rel=\"next\"",
                "<" + PUBLIC + BASE + "/agreements?cilId=" + w.cil() + "&size=1&page=0>; rel=\"prev\"");
    }
}
