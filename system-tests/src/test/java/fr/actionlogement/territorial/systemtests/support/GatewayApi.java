package fr.actionlogement.territorial.systemtests.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.actionlogement.territorial.localstack.LocalStack;

/**
 * The public API as a client sees it: every call goes to the gateway, with a real Keycloak token of the identity
 * it is made as. Tokens are cached until shortly before they expire (journeys outlast a token's lifetime).
 *
 * <pre>
 * Reply r = api.as(Identity.UESL).idempotencyKey("k").post("/api/territories/cils", json).expect(201);
 * api.as(Identity.UESL).follow(r.location()).expect(200);
 * </pre>
 */
public final class GatewayApi {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final LocalStack stack;
    private final Map<Identity, Token> tokens = new ConcurrentHashMap<>();

    private record Token(String value, Instant expires) {
    }

    public GatewayApi(LocalStack stack) {
        this.stack = stack;
    }

    public LocalStack stack() {
        return stack;
    }

    public String baseUrl() {
        return stack.gatewayUrl();
    }

    /**
     * A valid access token for this identity, from the stack's Keycloak. Logins are made one at a time: callers on
     * several threads (the harness prepares conventions on eight) would otherwise log the same user in at once, and
     * Keycloak's brute-force protection then locks that user for a while ("Invalid user credentials").
     */
    public String token(Identity who) {
        Token t = tokens.get(who);
        if (fresh(t)) {
            return t.value();
        }
        synchronized (tokens) {
            t = tokens.get(who);
            if (!fresh(t)) {
                String value = who.isClient() ? stack.tokens().clientCredentials(who.name(), who.secret())
                        : stack.tokens().demoUser(who.name());
                t = new Token(value, expiry(value));
                tokens.put(who, t);
            }
            return t.value();
        }
    }

    private static boolean fresh(Token t) {
        return t != null && Instant.now().isBefore(t.expires().minusSeconds(30));
    }

    /** The claims of an identity's token (e.g. {@code sub}, {@code region}). */
    public JsonNode claims(Identity who) {
        String payload = token(who).split("\\.")[1];
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(payload));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Instant expiry(String token) {
        try {
            long exp = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1])).path("exp").asLong();
            return Instant.ofEpochSecond(exp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Call as(Identity who) {
        return new Call(who);
    }

    public Call anonymous() {
        return new Call(null);
    }

    /** JSON of a value (a Map, a List, a record...). */
    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh idempotency key: creating POSTs carry one, as a partner system retrying safely would. */
    public static String newKey() {
        return UUID.randomUUID().toString();
    }

    /** One request being built. */
    public final class Call {
        private final Identity who;
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Call(Identity who) {
            this.who = who;
            headers.put("Accept", "application/json");
        }

        public Call header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Call accept(String mediaType) {
            return header("Accept", mediaType);
        }

        public Call idempotencyKey(String key) {
            return header("Idempotency-Key", key);
        }

        public Call ifMatch(String etag) {
            return header("If-Match", etag);
        }

        public Reply get(String pathOrUrl) {
            return send("GET", pathOrUrl, null, null);
        }

        public Reply post(String path, String json) {
            return send("POST", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
        }

        public Reply put(String path, String json) {
            return send("PUT", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
        }

        public Reply post(String path, String contentType, byte[] body) {
            return send("POST", path, contentType, body);
        }

        /** A multipart/form-data upload of one file field. */
        public Reply upload(String path, String field, String fileName, String contentType, byte[] content) {
            String boundary = "----journey" + UUID.randomUUID().toString().replace("-", "");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
                    + fileName + "\"\r\nContent-Type: " + contentType + "\r\n\r\n";
            out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
            out.writeBytes(content);
            out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return send("POST", path, "multipart/form-data; boundary=" + boundary, out.toByteArray());
        }

        /**
         * GETs a URL the API handed out ({@code Location}, {@code Link}): it must lead back through the gateway, not
         * to a service's own port, so a client that follows it stays behind the single entry point.
         */
        public Reply follow(URI url) {
            assertThat(url.toString()).as("a link handed out by the API must point at the gateway")
                    .startsWith(baseUrl() + "/");
            return get(url.toString());
        }

        public Reply send(String method, String pathOrUrl, String contentType, byte[] body) {
            URI uri = URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : baseUrl() + pathOrUrl);
            HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(req::header);
            if (contentType != null) {
                req.header("Content-Type", contentType);
            }
            if (who != null) {
                req.header("Authorization", "Bearer " + token(who));
            }
            try {
                HttpRequest sent = req.build();
                HttpResponse<byte[]> res = HTTP.send(sent, HttpResponse.BodyHandlers.ofByteArray());
                return OpenApiContract.checked(baseUrl(), sent, body,
                        new Reply(method, uri, res.statusCode(), res.headers(), res.body()));
            } catch (IOException e) {
                throw new UncheckedIOException(method + " " + uri + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
