package fr.actionlogement.territorial.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.gateway.support.FakeUpstreams;
import fr.actionlogement.territorial.gateway.support.GatewayTestResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/** A caller that is not a trusted proxy cannot choose the public URL or the client address the gateway reports. */
@QuarkusTest
@WithTestResource(GatewayTestResource.class)
@TestProfile(UntrustedProxyTest.OnlyAnotherProxyTrusted.class)
class UntrustedProxyTest {

    public static class OnlyAnotherProxyTrusted implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // TEST-NET-1: the test's loopback connection is not a trusted proxy.
            return Map.of("quarkus.http.proxy.trusted-proxies", "192.0.2.1");
        }
    }

    @TestHTTPResource("/")
    URI gateway;

    @Test
    @DisplayName("X-Forwarded-* from an untrusted caller are ignored: Location names the gateway, X-Forwarded-For the caller")
    void untrustedForwardingHeadersAreIgnored() {
        Response created = given().auth().oauth2(TestTokens.uesl()).contentType("application/json").body("{}")
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "evil.example:443")
                .header("X-Forwarded-For", "203.0.113.7").post("/api/territories/things");
        created.then().statusCode(201);
        assertThat(created.header("Location"))
                .isEqualTo("http://" + gateway.getHost() + ":" + gateway.getPort() + "/api/territories/things/42");
        Map<String, List<String>> seen = FakeUpstreams.get().lastHeaders.get("/api/territories/things");
        assertThat(seen.get("x-forwarded-for")).singleElement().asString().doesNotContain("203.0.113.7");
    }
}
