package fr.actionlogement.territorial.gateway.openapi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import fr.actionlogement.territorial.gateway.api.Problem;
import fr.actionlogement.territorial.gateway.config.GatewayConfig;

/**
 * The services' OpenAPI documents as the gateway serves them: tried through the gateway (server "/"), with Keycloak's
 * OAuth2 authorization-code flow so Swagger UI can log a person in; and one merged document for client generators,
 * paths under each service's /api/&lt;context&gt; prefix and clashing component names prefixed with the context.
 */
@ApplicationScoped
public class OpenApiDocuments {

    public static final String OAUTH_SCHEME = "keycloak";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");

    private final String keycloakUrl;
    private final String realmName;
    private final ObjectMapper json;

    @Inject
    public OpenApiDocuments(GatewayConfig config, ObjectMapper json) {
        this(config.openapi().keycloakUrl(), config.openapi().realm(), json);
    }

    /**
     * Outside the running gateway: the build merges the services' stored documents with this same code
     * ({@link MergedDocumentWriter}).
     */
    public OpenApiDocuments(String keycloakUrl, String realm, ObjectMapper json) {
        this.keycloakUrl = keycloakUrl;
        this.realmName = realm;
        this.json = json;
    }

    /** Keycloak's endpoints for the realm, as the browser reaches them. */
    public ObjectNode oauthScheme() {
        String realm = keycloakUrl.replaceAll("/+$", "") + "/realms/" + realmName + "/protocol/openid-connect";
        ObjectNode scheme = json.createObjectNode();
        scheme.put("type", "oauth2");
        scheme.put("description", "Keycloak realm " + realmName
                + ": authorization code with PKCE for people (client swagger-ui or the SPA), client credentials for partner systems");
        ObjectNode flows = scheme.putObject("flows");
        ObjectNode code = flows.putObject("authorizationCode");
        code.put("authorizationUrl", realm + "/auth");
        code.put("tokenUrl", realm + "/token");
        code.putObject("scopes").put("openid", "OpenID Connect");
        ObjectNode client = flows.putObject("clientCredentials");
        client.put("tokenUrl", realm + "/token");
        client.putObject("scopes");
        return scheme;
    }

    /** One service's document, made usable from the gateway. */
    public ObjectNode forGateway(String service, JsonNode original) {
        ObjectNode doc = original.deepCopy();
        ArrayNode servers = doc.putArray("servers");
        servers.addObject().put("url", "/").put("description", "The gateway");
        prefixPaths(service, doc);
        addOauth(doc);
        addGatewayProblems(doc);
        return doc;
    }

    /** What the gateway itself answers on every proxied operation: rate limit, and an unreachable or slow service. */
    private void addGatewayProblems(ObjectNode doc) {
        ObjectNode components = (ObjectNode) doc.get("components");
        ObjectNode headers = components.has("headers") && components.get("headers").isObject()
                ? (ObjectNode) components.get("headers")
                : components.putObject("headers");
        ObjectNode retryAfter = headers.putObject("Retry-After");
        retryAfter.put("description", "Seconds to wait before retrying");
        retryAfter.putObject("schema").put("type", "integer");
        boolean problemSchema = components.path("schemas").has("Problem");
        doc.path("paths").forEach(item -> item.fields().forEachRemaining(op -> {
            if (!METHODS.contains(op.getKey()) || !op.getValue().isObject()) {
                return;
            }
            ObjectNode operation = (ObjectNode) op.getValue();
            ObjectNode responses = operation.has("responses") ? (ObjectNode) operation.get("responses")
                    : operation.putObject("responses");
            gatewayProblem(responses, "429", "Rate limit exhausted: come back after Retry-After", true, problemSchema);
            gatewayProblem(responses, "502", "The service failed mid-answer or answered something unusable", false,
                    problemSchema);
            gatewayProblem(responses, "503", "The service (or the token issuer) cannot be reached", true,
                    problemSchema);
            gatewayProblem(responses, "504", "The service did not answer within its route timeout", false,
                    problemSchema);
        }));
    }

    private void gatewayProblem(ObjectNode responses, String status, String description, boolean retryAfter,
            boolean problemSchema) {
        if (responses.has(status)) {
            return;
        }
        ObjectNode response = responses.putObject(status);
        response.put("description", description);
        if (retryAfter) {
            response.putObject("headers").putObject("Retry-After").put("$ref", "#/components/headers/Retry-After");
        }
        ObjectNode schema = response.putObject("content").putObject(Problem.MEDIA_TYPE).putObject("schema");
        if (problemSchema) {
            schema.put("$ref", "#/components/schemas/Problem");
        } else {
            schema.put("type", "object");
        }
    }

    /**
     * @param documents by service, each already passed through {@link #forGateway}
     * @param missing the services whose document could not be read (listed in {@code x-missing-services})
     */
    public ObjectNode merge(Map<String, JsonNode> documents, List<String> missing) {
        ObjectNode merged = json.createObjectNode();
        merged.put("openapi", "3.1.0");
        ObjectNode info = merged.putObject("info");
        info.put("title", "Action Logement - territorial partnerships API");
        info.put("version", "1.0.0");
        info.put("description", "Every service's API through the gateway, in one document for client generators. "
                + "Component names that differ between services are prefixed with the service's context.");
        merged.putArray("servers").addObject().put("url", "/").put("description", "The gateway");
        ArrayNode tags = merged.putArray("tags");
        ObjectNode paths = merged.putObject("paths");
        ObjectNode components = merged.putObject("components");
        Map<String, String> tagNames = new LinkedHashMap<>();
        Set<String> operationIds = new java.util.HashSet<>();
        List<String> conflicts = new ArrayList<>();

        for (Map.Entry<String, JsonNode> e : documents.entrySet()) {
            String service = e.getKey();
            ObjectNode doc = (ObjectNode) e.getValue().deepCopy();
            String prefix = Character.toUpperCase(service.charAt(0)) + service.substring(1);
            Map<String, String> renames = new HashMap<>();
            JsonNode theirs = doc.path("components");
            // First decide the names, then rewrite this document's references, then copy.
            theirs.fieldNames().forEachRemaining(type -> {
                if (!theirs.get(type).isObject()) {
                    return;
                }
                JsonNode ours = components.path(type);
                theirs.get(type).fieldNames().forEachRemaining(name -> {
                    JsonNode existing = ours.get(name);
                    if (existing != null && !existing.equals(theirs.get(type).get(name))) {
                        String renamed = prefix + name;
                        for (int i = 2; ours.has(renamed); i++) {
                            renamed = prefix + name + i;
                        }
                        renames.put("#/components/" + type + "/" + name, "#/components/" + type + "/" + renamed);
                    }
                });
            });
            rewriteRefs(doc, renames);
            JsonNode rewritten = doc.path("components");
            rewritten.fieldNames().forEachRemaining(type -> {
                if (!rewritten.get(type).isObject()) {
                    return;
                }
                ObjectNode target = components.has(type) ? (ObjectNode) components.get(type) : components.putObject(type);
                rewritten.get(type).fields().forEachRemaining(c -> {
                    String renamed = renames.get("#/components/" + type + "/" + c.getKey());
                    String name = renamed == null ? c.getKey() : renamed.substring(renamed.lastIndexOf('/') + 1);
                    if (!target.has(name)) {
                        target.set(name, c.getValue());
                    }
                });
            });
            for (JsonNode tag : doc.path("tags")) {
                if (tag.has("name") && !tagNames.containsKey(tag.get("name").asText())) {
                    tagNames.put(tag.get("name").asText(), service);
                    tags.add(tag);
                }
            }
            doc.path("paths").fields().forEachRemaining(p -> {
                if (paths.has(p.getKey())) {
                    conflicts.add(p.getKey());
                    return;
                }
                JsonNode item = p.getValue();
                item.fields().forEachRemaining(op -> {
                    if (METHODS.contains(op.getKey()) && op.getValue().isObject()) {
                        ObjectNode operation = (ObjectNode) op.getValue();
                        String id = operation.path("operationId").asText(null);
                        if (id != null && !operationIds.add(id)) {
                            String unique = service + prefix(id);
                            operation.put("operationId", unique);
                            operationIds.add(unique);
                        }
                    }
                });
                paths.set(p.getKey(), item);
            });
            if (doc.has("security") && !merged.has("security")) {
                merged.set("security", doc.get("security"));
            }
            // The services share their contact and licence; the merged document says them once.
            for (String field : List.of("contact", "license")) {
                if (doc.path("info").has(field) && !info.has(field)) {
                    info.set(field, doc.path("info").get(field));
                }
            }
        }
        ObjectNode schemes = components.has("securitySchemes") ? (ObjectNode) components.get("securitySchemes")
                : components.putObject("securitySchemes");
        schemes.set(OAUTH_SCHEME, oauthScheme());
        ArrayNode missingNode = merged.putArray("x-missing-services");
        missing.forEach(missingNode::add);
        if (!conflicts.isEmpty()) {
            ArrayNode c = merged.putArray("x-path-conflicts");
            conflicts.forEach(c::add);
        }
        return merged;
    }

    private static String prefix(String operationId) {
        return Character.toUpperCase(operationId.charAt(0)) + operationId.substring(1);
    }

    private static void prefixPaths(String service, ObjectNode doc) {
        if (!doc.path("paths").isObject()) {
            doc.putObject("paths");
            return;
        }
        String base = "/api/" + service;
        ObjectNode paths = (ObjectNode) doc.get("paths");
        ObjectNode prefixed = doc.objectNode();
        paths.fields().forEachRemaining(p -> {
            String path = p.getKey();
            boolean under = path.equals(base) || path.startsWith(base + "/");
            prefixed.set(under ? path : base + (path.startsWith("/") ? path : "/" + path), p.getValue());
        });
        doc.set("paths", prefixed);
    }

    /** Swagger UI offers a login for every operation that needs a token: keycloak beside the services' bearer. */
    private void addOauth(ObjectNode doc) {
        ObjectNode components = doc.has("components") && doc.get("components").isObject()
                ? (ObjectNode) doc.get("components")
                : doc.putObject("components");
        ObjectNode schemes = components.has("securitySchemes") && components.get("securitySchemes").isObject()
                ? (ObjectNode) components.get("securitySchemes")
                : components.putObject("securitySchemes");
        schemes.set(OAUTH_SCHEME, oauthScheme());
        if (doc.has("security")) {
            withOauth(doc.get("security"));
        }
        doc.path("paths").forEach(item -> item.fields().forEachRemaining(op -> {
            if (METHODS.contains(op.getKey()) && op.getValue().has("security")) {
                withOauth(op.getValue().get("security"));
            }
        }));
    }

    private void withOauth(JsonNode security) {
        if (!(security instanceof ArrayNode requirements) || requirements.isEmpty()) {
            return; // absent or [] means open: leave it so
        }
        for (JsonNode r : requirements) {
            if (r.has(OAUTH_SCHEME)) {
                return;
            }
        }
        ObjectNode keycloak = json.createObjectNode();
        keycloak.putArray(OAUTH_SCHEME);
        requirements.insert(0, keycloak);
    }

    private static void rewriteRefs(JsonNode node, Map<String, String> renames) {
        if (renames.isEmpty()) {
            return;
        }
        if (node instanceof ObjectNode object) {
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.isTextual() && renames.containsKey(ref.asText())) {
                object.set("$ref", TextNode.valueOf(renames.get(ref.asText())));
            }
            for (Iterator<JsonNode> it = object.elements(); it.hasNext();) {
                rewriteRefs(it.next(), renames);
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(child -> rewriteRefs(child, renames));
        }
    }
}
