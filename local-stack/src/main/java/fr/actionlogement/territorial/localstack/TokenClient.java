package fr.actionlogement.territorial.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Gets real access tokens from a Keycloak realm: the password grant for demo users (through the local-only client
 * {@code territorial-local-cli}) and the client-credentials grant for partner systems.
 */
public final class TokenClient {

    /** Public client with direct access grants, present in the local realm only. */
    public static final String LOCAL_CLI_CLIENT = "territorial-local-cli";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String issuer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public TokenClient(String issuer) {
        this.issuer = issuer;
    }

    public String issuer() {
        return issuer;
    }

    public String password(String username, String password) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("client_id", LOCAL_CLI_CLIENT);
        form.put("username", username);
        form.put("password", password);
        form.put("scope", "openid");
        return token(form);
    }

    /** A demo user's token (every demo user's password is {@link DemoUsers#PASSWORD}; local only). */
    public String demoUser(String username) {
        return password(username, DemoUsers.PASSWORD);
    }

    public String clientCredentials(String clientId, String secret) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", clientId);
        form.put("client_secret", secret);
        return token(form);
    }

    private String token(Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest req = HttpRequest.newBuilder(URI.create(issuer + "/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != 200) {
                throw new IllegalStateException(
                        "Keycloak refused a token for " + form.get("client_id") + " (" + res.statusCode() + "): "
                                + res.body());
            }
            return JSON.readTree(res.body()).path("access_token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException("Keycloak at " + issuer + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
