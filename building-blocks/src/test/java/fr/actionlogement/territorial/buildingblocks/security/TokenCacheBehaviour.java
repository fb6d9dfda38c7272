package fr.actionlogement.territorial.buildingblocks.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.testsupport.FakeKeycloak;
import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.tokencache.CachedBearerMechanism;
import fr.actionlogement.territorial.tokencache.VerifiedTokenCache;

/**
 * The verified-token cache changes no answer: the same tokens give the same statuses, identities and roles with the
 * cache on ({@link TokenCacheTest}) and off ({@link TokenCacheOffTest}). Tokens are verified as in production:
 * quarkus-oidc fetches the realm's discovery document and JWKS from {@link FakeKeycloak} and checks RS256
 * signatures, issuer, audience and expiry.
 */
abstract class TokenCacheBehaviour {

    /** quarkus-oidc against the realm's discovery document and keys, instead of test-support's inline public key. */
    public static class Realm extends RealInfrastructureResource {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(super.start());
            FakeKeycloak.get().start();
            config.remove("quarkus.oidc.public-key");
            config.put("quarkus.oidc.auth-server-url", FakeKeycloak.get().realmUrl);
            return config;
        }
    }

    static final String CIL_ID = "784301275";

    final FakeKeycloak keycloak = FakeKeycloak.get();

    @Inject
    VerifiedTokenCache cache;

    @Inject
    CachedBearerMechanism shortcut;

    abstract boolean cacheOn();

    @BeforeEach
    void emptyCache() {
        cache.clear();
    }

    String cilToken(String subject, Duration lifetime) {
        return keycloak.token("key-1", subject, lifetime, Map.of("preferred_username", subject, "cil_id", CIL_ID),
                Roles.CIL);
    }

    @Test
    @DisplayName("a token presented again keeps its subject, roles, claims and party keys, and its role checks")
    void sameIdentityEveryTime() {
        String cil = cilToken("cil-anne", Duration.ofMinutes(5));
        String uesl = keycloak.token("key-1", "uesl-bob", Roles.UESL);
        long hits = cache.hits();
        long shortcuts = shortcut.shortcuts();
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(cil).get("/me").then().statusCode(200).body("subject", equalTo("cil-anne"))
                    .body("username", equalTo("cil-anne")).body("roles", contains(Roles.CIL))
                    .body("cilId", equalTo(CIL_ID)).body("collectiviteId", nullValue())
                    .body("partyKeys", containsInAnyOrder(PartyKey.cil(CIL_ID), PartyKey.filiale(CIL_ID)));
            // @RolesAllowed("uesl"): refused to the CIL user, let through for the UESL user (no such note).
            given().auth().oauth2(cil).get("/probes/0").then().statusCode(403);
            given().auth().oauth2(uesl).get("/probes/0").then().statusCode(404);
            given().auth().oauth2(uesl).get("/me").then().statusCode(200).body("subject", equalTo("uesl-bob"))
                    .body("roles", contains(Roles.UESL)).body("partyKeys", org.hamcrest.Matchers.empty());
        }
        if (cacheOn()) {
            // 12 requests, 2 tokens: each verified once, answered from the cache the 10 other times.
            assertThat(cache.hits() - hits).as("hits (misses %d, stored %d)", cache.misses(), cache.stored()).isEqualTo(10);
            // Each of them without quarkus-oidc's mechanism (which would parse the token again).
            assertThat(shortcut.shortcuts() - shortcuts).isEqualTo(10);
        } else {
            assertThat(cache.hits()).isZero();
            assertThat(shortcut.shortcuts()).isZero();
        }
    }

    @Test
    @DisplayName("a tampered token is refused right after the genuine one was accepted (signature, payload)")
    void tamperedTokenRefused() {
        String genuine = keycloak.token("key-1", "uesl-carl", Roles.UESL);
        given().auth().oauth2(genuine).get("/probes/0").then().statusCode(404);
        given().auth().oauth2(genuine).get("/probes/0").then().statusCode(404);

        String[] parts = genuine.split("\\.");
        // Signature changed: one character of it flipped.
        String sig = parts[2];
        char c = sig.charAt(sig.length() / 2);
        String flipped = sig.substring(0, sig.length() / 2) + (c == 'A' ? 'B' : 'A') + sig.substring(sig.length() / 2 + 1);
        String badSignature = parts[0] + "." + parts[1] + "." + flipped;
        // Payload changed (a role added), the genuine signature kept.
        String payload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("\"uesl\"", "\"uesl\",\"admin\"");
        String badPayload = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes())
                + "." + parts[2];
        // The genuine signature on a different token of the same user.
        String otherToken = keycloak.token("key-1", "uesl-carl", Duration.ofMinutes(7), Map.of(), Roles.UESL);
        String grafted = otherToken.substring(0, otherToken.lastIndexOf('.') + 1) + parts[2];

        for (String bad : new String[] { badSignature, badPayload, grafted }) {
            given().auth().oauth2(bad).get("/probes/0").then().statusCode(401)
                    .contentType("application/problem+json");
            given().auth().oauth2(bad).get("/me").then().statusCode(401);
        }
        given().auth().oauth2(genuine).get("/me").then().statusCode(200).body("subject", equalTo("uesl-carl"));
    }

    @Test
    @DisplayName("a token is refused once it has expired, though it was accepted (and cached) before")
    void expiredTokenRefused() throws InterruptedException {
        String shortLived = cilToken("cil-dora", Duration.ofSeconds(3));
        long exp = Instant.now().getEpochSecond() + 3;
        given().auth().oauth2(shortLived).get("/me").then().statusCode(200).body("subject", equalTo("cil-dora"));
        given().auth().oauth2(shortLived).get("/me").then().statusCode(200).body("subject", equalTo("cil-dora"));

        // Past its exp (whole seconds) by a margin: a wait for the outcome, not a timed assertion.
        while (Instant.now().getEpochSecond() <= exp + 1) {
            Thread.sleep(250);
        }
        long hits = cache.hits();
        given().auth().oauth2(shortLived).get("/me").then().statusCode(401);
        given().auth().oauth2(shortLived).get("/probes/0").then().statusCode(401);
        assertThat(cache.hits()).as("an expired token is never answered from the cache").isEqualTo(hits);
    }

    @Test
    @DisplayName("two users' tokens, interleaved, never get each other's identity")
    void noCrossTalk() {
        String anne = cilToken("cil-erin", Duration.ofMinutes(5));
        String frank = keycloak.token("key-1", "collectivite-frank", Duration.ofMinutes(5),
                Map.of("preferred_username", "collectivite-frank", "collectivite_id", "200046977"), Roles.COLLECTIVITE);
        for (int i = 0; i < 4; i++) {
            given().auth().oauth2(anne).get("/me").then().statusCode(200).body("subject", equalTo("cil-erin"))
                    .body("roles", contains(Roles.CIL)).body("collectiviteId", nullValue())
                    .body("partyKeys", containsInAnyOrder(PartyKey.cil(CIL_ID), PartyKey.filiale(CIL_ID)));
            given().auth().oauth2(frank).get("/me").then().statusCode(200)
                    .body("subject", equalTo("collectivite-frank")).body("roles", contains(Roles.COLLECTIVITE))
                    .body("cilId", nullValue()).body("collectiviteId", equalTo("200046977"))
                    .body("partyKeys", contains(PartyKey.collectivite("200046977")));
        }
    }

    @Test
    @DisplayName("the Authorization scheme is read as quarkus-oidc reads it: any case, nothing but Bearer")
    void schemeAsQuarkusOidcReadsIt() {
        String token = keycloak.token("key-1", "uesl-gina", Roles.UESL);
        given().auth().oauth2(token).get("/me").then().statusCode(200).body("subject", equalTo("uesl-gina"));
        long shortcuts = shortcut.shortcuts();
        given().header("Authorization", "bearer " + token).get("/me").then().statusCode(200)
                .body("subject", equalTo("uesl-gina"));
        given().header("Authorization", "BEARER " + token).get("/probes/0").then().statusCode(404);
        assertThat(shortcut.shortcuts() - shortcuts).isEqualTo(cacheOn() ? 2 : 0);
        // The cached token under another scheme, or glued to it, is no bearer token: refused, as without the cache.
        given().header("Authorization", "Basic " + token).get("/me").then().statusCode(401);
        given().header("Authorization", "Bearer" + token).get("/me").then().statusCode(401);
        given().header("Authorization", "Bearer ").get("/me").then().statusCode(401);
        // quarkus-oidc takes everything after the first space: with two, the token starts with a space and is refused.
        given().header("Authorization", "Bearer  " + token).get("/me").then().statusCode(401);
        assertThat(shortcut.shortcuts() - shortcuts).isEqualTo(cacheOn() ? 2 : 0);
    }

    @Test
    @DisplayName("no token and a garbage token are refused as before")
    void missingAndGarbage() {
        given().get("/me").then().statusCode(401);
        given().auth().oauth2("not-a-jwt").get("/me").then().statusCode(401);
        given().auth().oauth2("a.b.c").get("/me").then().statusCode(401);
    }
}
