package fr.actionlogement.territorial.observatory;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import java.net.URI;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
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
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "observatory"))
class PublicUrlsTest {

    static final String API = "/api/observatory";
    static final String PUBLIC = "https://api.example.org:8443";

    @TestHTTPResource("/")
    URI base;
    @Inject
    DataSource dataSource;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private final String uesl = TestTokens.uesl();

    /** What the gateway sends: the scheme, host and port its caller used. */
    private RequestSpecification viaGateway() {
        return given().auth().oauth2(uesl).header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "api.example.org:8443").header("X-Forwarded-For", "203.0.113.7");
    }

    private Response record(RequestSpecification spec, String territory, String period) {
        return spec.contentType(ContentType.JSON).body("""
                {"territoryId":"%s","indicator":"DEMANDES_LOGEMENT_SALARIES","publicPrioritaire":"JEUNES_SALARIES",
                 "period":"%s","value":12,"source":"CIL demand file"}""".formatted(territory, period))
                .post(API + "/observations");
    }

    @Test
    @DisplayName("a created indicator's Location is the API's base URL and its path, the context path once; following it answers 200")
    void locationIsBasePlusPathOnce() {
        String code = "URL_" + Fixtures.unique().toUpperCase().replaceAll("[^A-Z0-9]", "_");
        Response created = given().auth().oauth2(uesl).contentType(ContentType.JSON).body("""
                {"code":"%s","label":"Location test","unit":"logements","definition":"A test","aggregation":"SUM"}"""
                .formatted(code)).post(API + "/indicators");
        created.then().statusCode(201);
        String location = created.header("Location");
        assertThat(location).isEqualTo(base.resolve(API + "/indicators/" + code).toString());
        given().auth().oauth2(uesl).get(location).then().statusCode(200).body("code", is(code));
    }

    @Test
    @DisplayName("with the gateway's X-Forwarded-Proto/Host, Location and paging Link carry the public URL")
    void forwardedHeadersGiveThePublicUrl() {
        String territory = new Fixtures(bootstrap, dataSource).hierarchy().commune1();
        Response created = record(viaGateway(), territory, "2024-01");
        created.then().statusCode(201);
        assertThat(created.header("Location")).isEqualTo(PUBLIC + API + "/observations/" + created.path("id"));
        record(given().auth().oauth2(uesl), territory, "2024-02").then().statusCode(201);
        record(given().auth().oauth2(uesl), territory, "2024-03").then().statusCode(201);

        Response page = viaGateway().urlEncodingEnabled(false)
                .get(API + "/observations?territoryId=" + territory + "&size=1&page=1");
        page.then().statusCode(200);
        assertThat(page.headers().getValues("Link")).containsExactlyInAnyOrder(
                "<" + PUBLIC + API + "/observations?territoryId=" + territory + "&size=1&page=2>; rel=\"next\"",
                "<" + PUBLIC + API + "/observations?territoryId=" + territory + "&size=1&page=0>; rel=\"prev\"");
    }
}
