package fr.actionlogement.territorial.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import fr.actionlogement.territorial.localstack.DemoUsers;
import fr.actionlogement.territorial.localstack.LocalStack;
import fr.actionlogement.territorial.systemtests.support.OpenApiContract;

/**
 * Representative cells of the docs/security.md matrix, end to end: tokens from the real Keycloak (password grant
 * for the demo users, client credentials for a partner system), requests through the real gateway to the real
 * services. The services' own tests prove every cell with signed test tokens; these prove the realm, the gateway
 * and the services agree on issuer, audience, roles and claims.
 */
@ExtendWith(SystemStack.class)
@DisplayName("System: roles through the gateway with real Keycloak tokens")
class GatewaySecurityTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();
    private static LocalStack stack;

    @BeforeAll
    static void stack(LocalStack started) {
        stack = started;
    }

    @AfterAll
    static void contractFigures() {
        OpenApiContract.print("after the security tests");
    }

    @Test
    @DisplayName("a request without a token is refused by the gateway with a problem+json 401")
    void noTokenIs401() throws Exception {
        HttpResponse<String> res = send("GET", "/api/partnerships/agreements", null);
        assertThat(res.statusCode()).isEqualTo(401);
        assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/problem+json"));
    }

    @Test
    @DisplayName("a token that Keycloak did not sign is refused with 401")
    void forgedTokenIs401() throws Exception {
        String real = token("user:" + DemoUsers.UESL);
        String[] parts = real.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        HttpResponse<String> res = sendWith(forged, "GET", "/api/partnerships/agreements", null);
        assertThat(res.statusCode()).isEqualTo(401);
    }

    @Test
    @DisplayName("the open endpoints need no token: gateway readiness, the merged OpenAPI document")
    void openEndpoints() throws Exception {
        assertThat(send("GET", "/q/health/ready", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/openapi/merged", null).statusCode()).isEqualTo(200);
    }

    /** Cells of docs/security.md, section "System tests": identity, method, path, expected status. */
    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource({
            // reads every authenticated role may do
            "user:uesl.demo,          GET,  /api/observatory/indicators,    200",
            "user:observateur.demo,   GET,  /api/observatory/indicators,    200",
            "user:collectivite.lyon,  GET,  /api/conventions/templates,     200",
            "user:delegue.ara,        GET,  /api/conventions,               200",
            // row-level reads: each role sees its own rows of the same list
            "user:cil.demo,           GET,  /api/partnerships/agreements,   200",
            "user:collectivite.lyon,  GET,  /api/partnerships/agreements,   200",
            "user:delegue.ara,        GET,  /api/partnerships/agreements,   200",
            // refusals by role: 403 before anything is read or changed
            "user:observateur.demo,   GET,  /api/partnerships/agreements,   403",
            "user:observateur.demo,   GET,  /api/conventions/templates,     403",
            "user:observateur.demo,   POST, /api/observatory/indicators,    403",
            "user:collectivite.lyon,  POST, /api/conventions/templates,     403",
            "user:cil.demo,           POST, /api/conventions,               403",
            "user:cil.demo,           POST, /api/partnerships/agreements/00000000-0000-0000-0000-000000000001/exclusivity-approval, 403",
            // partner systems with client-credentials tokens
            "client:partner-cil-demo,       GET,  /api/partnerships/agreements, 200",
            "client:partner-metropole-lyon, GET,  /api/conventions/templates,   200",
            "client:partner-metropole-lyon, POST, /api/conventions/templates,   403",
    })
    @DisplayName("role matrix through the gateway")
    void roleMatrix(String identity, String method, String path, int expected) throws Exception {
        HttpResponse<String> res = sendWith(token(identity), method, path, "POST".equals(method) ? "{}" : null);
        assertThat(res.statusCode()).as("%s %s %s: %s", identity, method, path, res.body()).isEqualTo(expected);
    }

    @Test
    @DisplayName("a partner's client-credentials token carries its role and claim, and the services accept it")
    void partnerClientCredentials() throws Exception {
        String token = token("client:" + DemoUsers.PARTNER_METROPOLE_LYON.clientId());
        String payload = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertThat(payload).contains("\"collectivite_id\":\"200046977\"").contains("territorial-api")
                .contains("\"collectivite\"");
        assertThat(sendWith(token, "GET", "/api/partnerships/agreements", null).statusCode()).isEqualTo(200);
    }

    private static String token(String identity) {
        return TOKENS.computeIfAbsent(identity, id -> {
            String name = id.substring(id.indexOf(':') + 1);
            if (id.startsWith("client:")) {
                DemoUsers.Partner partner = DemoUsers.PARTNERS.stream().filter(p -> p.clientId().equals(name))
                        .findFirst().orElseThrow();
                return stack.tokens().clientCredentials(partner.clientId(), partner.secret());
            }
            return stack.tokens().demoUser(name);
        });
    }

    private static HttpResponse<String> send(String method, String path, String body)
            throws IOException, InterruptedException {
        return sendWith(null, method, path, body);
    }

    private static HttpResponse<String> sendWith(String token, String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            req.header("Content-Type", "application/json");
        }
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        HttpRequest sent = req.build();
        return OpenApiContract.checked(stack.gatewayUrl(), sent, body,
                HTTP.send(sent, HttpResponse.BodyHandlers.ofString()));
    }
}
