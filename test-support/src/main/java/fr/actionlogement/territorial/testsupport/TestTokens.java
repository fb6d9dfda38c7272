package fr.actionlogement.territorial.testsupport;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * Real RS256-signed tokens for service tests, shaped like the Keycloak realm's (realm_access.roles, cil_id,
 * collectivite_id, region). The service under test verifies them with quarkus-oidc against this JVM's public key:
 * security is never switched off. The key pair is made at start-up and never written anywhere.
 */
public final class TestTokens {

    public static final String ISSUER = "https://keycloak.test/realms/action-logement";
    public static final String AUDIENCE = "territorial-api";

    private static final KeyPair KEYS = generate();
    private static final KeyPair FORGER = generate();
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestTokens() {
    }

    /** The properties that make quarkus-oidc verify these tokens locally (no OIDC server). */
    public static Map<String, String> verificationConfig() {
        return Map.of(
                // An empty server URL means "none": the key below verifies tokens locally.
                "quarkus.oidc.auth-server-url", "",
                "quarkus.oidc.public-key", Base64.getEncoder().encodeToString(KEYS.getPublic().getEncoded()),
                "quarkus.oidc.token.issuer", ISSUER,
                "quarkus.oidc.token.audience", AUDIENCE);
    }

    public static Builder user(String subject) {
        return new Builder(subject);
    }

    public static String uesl() {
        return user("uesl-user").roles("uesl").sign();
    }

    public static String admin() {
        return user("admin-user").roles("admin").sign();
    }

    public static String cil(String cilId) {
        return user("cil-user-" + cilId).roles("cil").claim("cil_id", cilId).sign();
    }

    public static String collectivite(String collectiviteId) {
        return user("collectivite-user-" + collectiviteId).roles("collectivite").claim("collectivite_id", collectiviteId)
                .sign();
    }

    public static String delegue(String region) {
        return user("delegue-" + region).roles("delegue-territorial").claim("region", region).sign();
    }

    public static String observateur() {
        return user("observateur-user").roles("observateur").sign();
    }

    /** A token that fails verification in a given way, for the refusal matrix. */
    public static String expired() {
        return user("late").roles("uesl").issuedAt(Instant.now().minus(Duration.ofHours(2)))
                .expiresIn(Duration.ofHours(-1)).sign();
    }

    public static String wrongIssuer() {
        return user("elsewhere").roles("uesl").issuer("https://evil.example/realms/action-logement").sign();
    }

    public static String wrongAudience() {
        return user("other-api").roles("uesl").audience("some-other-api").sign();
    }

    public static String forgedSignature() {
        return user("forger").roles("uesl").signWith(FORGER.getPrivate());
    }

    /** An unsigned token ({@code alg: none}) with otherwise valid claims. */
    public static String algNone() {
        Builder b = user("unsigned").roles("uesl");
        Map<String, Object> claims = b.claimsMap();
        Base64.Encoder enc = Base64.getUrlEncoder().withoutPadding();
        try {
            return enc.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                    + enc.encodeToString(JSON.writeValueAsBytes(claims)) + ".";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static final class Builder {
        private final String subject;
        private final List<String> roles = new ArrayList<>();
        private final Map<String, Object> claims = new LinkedHashMap<>();
        private String issuer = ISSUER;
        private String audience = AUDIENCE;
        private Instant issuedAt = Instant.now();
        private Duration lifetime = Duration.ofMinutes(10);

        private Builder(String subject) {
            this.subject = subject;
        }

        public Builder roles(String... names) {
            roles.addAll(List.of(names));
            return this;
        }

        public Builder claim(String name, Object value) {
            claims.put(name, value);
            return this;
        }

        public Builder issuer(String value) {
            issuer = value;
            return this;
        }

        public Builder audience(String value) {
            audience = value;
            return this;
        }

        public Builder issuedAt(Instant value) {
            issuedAt = value;
            return this;
        }

        public Builder expiresIn(Duration value) {
            lifetime = value;
            return this;
        }

        public String sign() {
            return signWith(KEYS.getPrivate());
        }

        public String signWith(PrivateKey key) {
            JwtClaimsBuilder jwt = Jwt.claims(claimsMap());
            return jwt.jws().keyId("test-key").sign(key);
        }

        Map<String, Object> claimsMap() {
            Map<String, Object> all = new LinkedHashMap<>(claims);
            all.put("iss", issuer);
            all.put("aud", audience);
            all.put("sub", subject);
            all.put("preferred_username", subject);
            all.put("iat", issuedAt.getEpochSecond());
            all.put("exp", issuedAt.plus(lifetime).getEpochSecond());
            all.put("realm_access", Map.of("roles", List.copyOf(roles)));
            return all;
        }
    }
}
