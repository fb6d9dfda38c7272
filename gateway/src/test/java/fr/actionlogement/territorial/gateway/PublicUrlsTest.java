package fr.actionlogement.territorial.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.gateway.support.FakeUpstreams;
import fr.actionlogement.territorial.gateway.support.GatewayTestResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The gateway tells the service the scheme, host and port its caller used, so Location and Link name the gateway
 * (or the ingress in front of it), and following them through the gateway works.
 */
@QuarkusTest
@WithTestResource(GatewayTestResource.class)
class PublicUrlsTest {

    private static final Pattern LINK = Pattern.compile("<([^>]+)>; rel=\"next\"");

    private final FakeUpstreams upstreams = FakeUpstreams.get();
    private final String token = TestTokens.uesl();

    @TestHTTPResource("/")
    URI gateway;

    private String gatewayBase() {
        return "http://" + gateway.getHost() + ":" + gateway.getPort();
    }

    @Test
    @DisplayName("a create through the gateway answers Location at the gateway's host, port and path; following it answers 200")
    void locationNamesTheGateway() {
        Response created = given().auth().oauth2(token).contentType("application/json").body("{}")
                .post("/api/territories/things");
        created.then().statusCode(201);
        assertThat(created.header("Location")).isEqualTo(gatewayBase() + "/api/territories/things/42");

        Map<String, List<String>> seen = upstreams.lastHeaders.get("/api/territories/things");
        assertThat(seen.get("x-forwarded-proto")).containsExactly("http");
        assertThat(seen.get("x-forwarded-host")).containsExactly(gateway.getHost() + ":" + gateway.getPort());
        assertThat(seen.get("x-forwarded-port")).containsExactly(String.valueOf(gateway.getPort()));

        int before = upstreams.hits("GET", "/api/territories/things/42");
        given().auth().oauth2(token).get(created.header("Location")).then().statusCode(200).body("id", equalTo(42));
        assertThat(upstreams.hits("GET", "/api/territories/things/42")).isEqualTo(before + 1);
    }

    @Test
    @DisplayName("a paging Link rel=next through the gateway names the gateway; following it answers 200")
    void linkNamesTheGateway() {
        Response page = given().auth().oauth2(token).get("/api/territories/things?size=1");
        page.then().statusCode(200);
        Matcher next = LINK.matcher(page.header("Link"));
        assertThat(next.find()).isTrue();
        assertThat(next.group(1)).isEqualTo(gatewayBase() + "/api/territories/things?size=1&page=1");
        given().auth().oauth2(token).urlEncodingEnabled(false).get(next.group(1)).then().statusCode(200);
    }

    @Test
    @DisplayName("behind an ingress (a trusted proxy) its X-Forwarded-Proto/Host survive the second hop")
    void ingressHeadersSurviveTwoHops() {
        Response created = given().auth().oauth2(token).contentType("application/json").body("{}")
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "api.example.org")
                .header("X-Forwarded-For", "203.0.113.7")
                .post("/api/territories/things");
        created.then().statusCode(201);
        assertThat(created.header("Location")).isEqualTo("https://api.example.org:443/api/territories/things/42");
        Map<String, List<String>> seen = upstreams.lastHeaders.get("/api/territories/things");
        assertThat(seen.get("x-forwarded-for")).singleElement().asString().startsWith("203.0.113.7, ");
        assertThat(seen.get("x-forwarded-port")).containsExactly("443");

        Response apart = given().auth().oauth2(token).contentType("application/json").body("{}")
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "api.example.org")
                .header("X-Forwarded-Port", "8443").post("/api/territories/things");
        assertThat(apart.header("Location")).isEqualTo("https://api.example.org:8443/api/territories/things/42");
    }

    @Test
    @DisplayName("forwarding headers the gateway does not read (Forwarded, X-Forwarded-Prefix) never reach a service")
    void otherForwardingHeadersAreDropped() {
        given().auth().oauth2(token).header("Forwarded", "host=evil.example;proto=https")
                .header("X-Forwarded-Prefix", "/evil")
                .header("X-Forwarded-Trusted-Proxy", "true")
                .get("/api/territories/echo/forwarding").then().statusCode(200);
        Map<String, List<String>> seen = upstreams.lastHeaders.get("/api/territories/echo/forwarding");
        assertThat(seen).doesNotContainKeys("forwarded", "x-forwarded-prefix", "x-forwarded-trusted-proxy");
        assertThat(seen.get("x-forwarded-proto")).containsExactly("http");
    }
}
