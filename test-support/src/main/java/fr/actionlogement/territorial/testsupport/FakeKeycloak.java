package fr.actionlogement.territorial.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.smallrye.jwt.build.Jwt;

/**
 * The two documents quarkus-oidc fetches from Keycloak (and a token endpoint answering with a role-less token),
 * served on a fixed loopback port that the test can close
 * and open again: {@code <realm>/.well-known/openid-configuration} and the JWKS it points to. Closing the socket
 * is what a stopped Keycloak looks like to the gateway (connection refused), and the keys can be rotated while it
 * is down, the way a realm rotates its signing key.
 */
public final class FakeKeycloak {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static FakeKeycloak instance;

    public final int port = FreePorts.next();
    public final String realmUrl = "http://127.0.0.1:" + port + "/realms/action-logement";
    /** Requests answered, by path: proves the gateway came back to fetch. */
    public final Map<String, AtomicInteger> fetches = new ConcurrentHashMap<>();

    private final Map<String, KeyPair> keys = new LinkedHashMap<>();
    private HttpServer server;

    private FakeKeycloak() {
        keys.put("key-1", generate());
    }

    public static synchronized FakeKeycloak get() {
        if (instance == null) {
            instance = new FakeKeycloak();
        }
        return instance;
    }

    public synchronized boolean running() {
        return server != null;
    }

    public synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    /** Closes the listening socket: connections are refused, as with a stopped Keycloak. */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** A new signing key the gateway has not seen yet (its JWKS is served from now on, alongside the old one). */
    public synchronized String rotate() {
        String kid = "key-" + (keys.size() + 1);
        keys.put(kid, generate());
        return kid;
    }

    /** A token like the realm's, signed with the given key. */
    public synchronized String token(String kid, String subject, String... roles) {
        return token(kid, subject, Duration.ofMinutes(10), Map.of(), roles);
    }

    /** A token like the realm's, signed with the given key, valid for {@code lifetime}, with extra claims. */
    public synchronized String token(String kid, String subject, Duration lifetime, Map<String, Object> extraClaims,
            String... roles) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>(extraClaims);
        claims.put("iss", TestTokens.ISSUER);
        claims.put("aud", TestTokens.AUDIENCE);
        claims.put("sub", subject);
        claims.put("azp", "territorial-spa");
        claims.put("iat", now);
        claims.put("exp", now + lifetime.toSeconds());
        claims.put("realm_access", Map.of("roles", List.of(roles)));
        return Jwt.claims(claims).jws().keyId(kid).sign(keys.get(kid).getPrivate());
    }

    public int fetches(String suffix) {
        return fetches.entrySet().stream().filter(e -> e.getKey().endsWith(suffix)).mapToInt(e -> e.getValue().get())
                .sum();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            fetches.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            String realmPath = "/realms/action-logement";
            if (path.equals(realmPath + "/.well-known/openid-configuration")) {
                send(ex, Map.of("issuer", TestTokens.ISSUER,
                        "jwks_uri", realmUrl + "/protocol/openid-connect/certs",
                        "token_endpoint", realmUrl + "/protocol/openid-connect/token",
                        // Named like Keycloak's, so a client allowed to introspect would call it (and be counted).
                        "introspection_endpoint", realmUrl + "/protocol/openid-connect/token/introspect",
                        "authorization_endpoint", realmUrl + "/protocol/openid-connect/auth"));
            } else if (path.equals(realmPath + "/protocol/openid-connect/certs")) {
                send(ex, Map.of("keys", jwks()));
            } else if (path.equals(realmPath + "/protocol/openid-connect/token") && "POST".equals(ex.getRequestMethod())) {
                // Enough for a launcher's "does the issuer hand out tokens" check: a token without any role, so it
                // opens nothing; tests sign the tokens they use with token(...).
                send(ex, Map.of("access_token", token("key-1", "fake-keycloak-user"), "token_type", "Bearer"));
            } else {
                ex.sendResponseHeaders(404, -1);
            }
        }
    }

    private synchronized List<Map<String, Object>> jwks() {
        List<Map<String, Object>> jwks = new ArrayList<>();
        keys.forEach((kid, pair) -> {
            RSAPublicKey pub = (RSAPublicKey) pair.getPublic();
            jwks.add(Map.of("kty", "RSA", "kid", kid, "use", "sig", "alg", "RS256",
                    "n", base64(pub.getModulus()), "e", base64(pub.getPublicExponent())));
        });
        return jwks;
    }

    private static void send(HttpExchange ex, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String base64(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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
}
