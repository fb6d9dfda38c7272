package fr.actionlogement.territorial.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.actionlogement.territorial.gateway.support.GatewayTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

@QuarkusTest
@WithTestResource(GatewayTestResource.class)
class OpenApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEYCLOAK = "http://keycloak.test:8180/realms/action-logement/protocol/openid-connect";

    @Test
    @DisplayName("the merged document is valid OpenAPI 3.1: parsed without errors, every $ref resolves, operationIds unique, paths under /api/<context>")
    void mergedDocumentIsValid() throws Exception {
        String body = given().get("/openapi/merged").then().statusCode(200).extract().asString();
        JsonNode doc = JSON.readTree(body);

        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(body, null, options);
        assertThat(parsed.getMessages()).as("parser messages").isEmpty();
        assertThat(parsed.getOpenAPI().getPaths()).isNotEmpty();

        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
        }
        Set<String> ids = new HashSet<>();
        doc.get("paths").fields().forEachRemaining(p -> {
            assertThat(p.getKey()).matches("/api/(territories|conventions|partnerships|observatory)(/.*)?");
            p.getValue().forEach(op -> assertThat(ids.add(op.get("operationId").asText()))
                    .as("unique " + op.get("operationId")).isTrue());
        });
    }

    @Test
    @DisplayName("merging prefixes paths, keeps identical components once and renames clashing ones after their context")
    void componentsAreDeconflicted() throws Exception {
        JsonNode doc = JSON.readTree(given().get("/openapi/merged").then().statusCode(200).extract().asString());
        JsonNode schemas = doc.at("/components/schemas");
        // conventions comes first (sorted): its Page keeps the name; territories' different Page is renamed.
        assertThat(schemas.has("Page")).isTrue();
        assertThat(schemas.has("TerritoriesPage")).isTrue();
        assertThat(doc.at("/paths/~1api~1territories~1territories/get/responses/200/content/application~1json/schema/$ref")
                .asText()).isEqualTo("#/components/schemas/TerritoriesPage");
        // Problem is the same in conventions and territories: one copy; partnerships' differs.
        assertThat(schemas.has("TerritoriesProblem")).isFalse();
        assertThat(schemas.has("PartnershipsProblem")).isTrue();
        // partnerships serves /agreements: prefixed with its context.
        assertThat(doc.at("/paths").has("/api/partnerships/agreements")).isTrue();
        assertThat(doc.at("/paths/~1api~1territories~1territories/get/operationId").asText()).isEqualTo("territoriesList");
        assertThat(doc.at("/x-missing-services/0").asText()).isEqualTo("observatory");
        assertThat(doc.at("/components/securitySchemes/keycloak/flows/authorizationCode/authorizationUrl").asText())
                .isEqualTo(KEYCLOAK + "/auth");
    }

    @Test
    @DisplayName("strict=true refuses a partial merge with a problem+json 503")
    void strictMergeNeedsEveryService() {
        given().get("/openapi/merged?strict=true").then().statusCode(503).contentType("application/problem+json")
                .body("type", equalTo("/problems/service-unavailable"));
    }

    @Test
    @DisplayName("a service's document is served through the gateway with the gateway as server and the Keycloak login")
    void serviceDocumentForSwaggerUi() {
        given().get("/openapi/territories").then().statusCode(200)
                .body("servers[0].url", equalTo("/"))
                .body("components.securitySchemes.keycloak.type", equalTo("oauth2"))
                .body("components.securitySchemes.keycloak.flows.authorizationCode.tokenUrl", equalTo(KEYCLOAK + "/token"))
                .body("paths.'/api/territories/territories'.get.security[0]", org.hamcrest.Matchers.hasKey("keycloak"))
                // what the gateway itself answers: rate limit with Retry-After, and a failing, unreachable or slow service
                .body("paths.'/api/territories/territories'.get.responses", org.hamcrest.Matchers.allOf(
                        org.hamcrest.Matchers.hasKey("429"), org.hamcrest.Matchers.hasKey("502"),
                        org.hamcrest.Matchers.hasKey("503"), org.hamcrest.Matchers.hasKey("504")))
                .body("paths.'/api/territories/territories'.get.responses.'429'.headers.'Retry-After'.'$ref'",
                        equalTo("#/components/headers/Retry-After"))
                .body("paths.'/api/territories/territories'.get.responses.'504'.content", org.hamcrest.Matchers
                        .hasKey("application/problem+json"));
        given().get("/openapi/observatory").then().statusCode(503).contentType("application/problem+json");
        given().get("/openapi/nothing").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    @DisplayName("Swagger UI lists every service's document and logs in with authorization code + PKCE as client swagger-ui")
    void swaggerUiIsConfigured() {
        String config = given().get("/q/swagger-ui/").then().statusCode(200).extract().asString();
        assertThat(config).contains("/openapi/merged", "/openapi/territories", "/openapi/conventions",
                "/openapi/partnerships", "/openapi/observatory", "swagger-ui", "usePkceWithAuthorizationCodeGrant");
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/dashboard/territories/{territoryId}'.get.operationId", equalTo("getTerritoryDashboard"))
                .body("components.securitySchemes.keycloak.type", equalTo("oauth2"));
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                if (f.getKey().equals("$ref") && f.getValue().isTextual()) {
                    refs.add(f.getValue().asText());
                } else {
                    collectRefs(f.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, refs));
        }
    }
}
