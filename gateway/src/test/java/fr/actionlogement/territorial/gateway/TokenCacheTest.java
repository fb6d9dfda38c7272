package fr.actionlogement.territorial.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.gateway.support.FakeUpstreams;
import fr.actionlogement.territorial.gateway.support.GatewayTestResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import fr.actionlogement.territorial.tokencache.CachedBearerMechanism;
import fr.actionlogement.territorial.tokencache.VerifiedTokenCache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The gateway's token check goes through the same verified-token cache as the services' (token-cache module): a token
 * verified once is answered from it, a tampered or expired one is still refused before any service is called.
 */
@QuarkusTest
@WithTestResource(GatewayTestResource.class)
class TokenCacheTest {

    private final FakeUpstreams upstreams = FakeUpstreams.get();

    @Inject
    VerifiedTokenCache cache;

    @Inject
    CachedBearerMechanism shortcut;

    @Test
    @DisplayName("a token verified once passes from the cache; the same token with its signature changed is refused")
    void cachedThenTampered() {
        String token = TestTokens.user("gateway-cache-user").roles("uesl").sign();
        long hits = cache.hits();
        long shortcuts = shortcut.shortcuts();
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(token).get("/api/territories/echo/cached").then().statusCode(200);
        }
        assertThat(cache.hits() - hits).isEqualTo(2);
        assertThat(shortcut.shortcuts() - shortcuts).as("hits that skipped quarkus-oidc's mechanism").isEqualTo(2);

        String sig = token.substring(token.lastIndexOf('.') + 1);
        char c = sig.charAt(sig.length() / 2);
        String tampered = token.substring(0, token.lastIndexOf('.') + 1) + sig.substring(0, sig.length() / 2)
                + (c == 'A' ? 'B' : 'A') + sig.substring(sig.length() / 2 + 1);
        int before = upstreams.hits("GET", "/api/territories/echo/tampered");
        given().auth().oauth2(tampered).get("/api/territories/echo/tampered").then().statusCode(401)
                .contentType("application/problem+json").body("type", equalTo("/problems/unauthorized"));
        assertThat(upstreams.hits("GET", "/api/territories/echo/tampered")).isEqualTo(before);
    }

    @Test
    @DisplayName("a token accepted and cached is refused once it has expired")
    void expired() throws InterruptedException {
        String token = TestTokens.user("gateway-short").roles("uesl").expiresIn(Duration.ofSeconds(3)).sign();
        long exp = Instant.now().getEpochSecond() + 3;
        given().auth().oauth2(token).get("/api/territories/echo/short").then().statusCode(200);
        given().auth().oauth2(token).get("/api/territories/echo/short").then().statusCode(200);
        while (Instant.now().getEpochSecond() <= exp + 1) {
            Thread.sleep(250);
        }
        given().auth().oauth2(token).get("/api/territories/echo/short").then().statusCode(401);
    }
}
