package fr.actionlogement.territorial.buildingblocks.openapi;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;

/**
 * Completes a service's OpenAPI document with what the building blocks do on the wire, so generated clients see it
 * without each resource repeating it: problem+json error responses (docs/api-conventions.md), {@code If-Match}
 * required where {@code ETags.requireMatch} answers 428 without it, the response headers ({@code ETag},
 * {@code Location}, {@code Link}, {@code X-Total-Count}), realm roles as roles rather than OAuth2 scopes, and
 * {@code null} declared on every optional property, since Jackson writes absent values as {@code null}.
 * Registered with {@code mp.openapi.filter}.
 */
public class ProblemResponsesFilter implements OASFilter {

    static final String PROBLEM = "Problem";
    private static final String PROBLEM_REF = "#/components/schemas/" + PROBLEM;
    private static final String IF_MATCH = "If-Match";
    /** Operation extension listing the realm roles allowed to call it (from {@code @RolesAllowed}). */
    static final String ROLES_EXTENSION = "x-roles";
    /**
     * On a PUT that creates its resource when absent and needs If-Match only once it exists (e.g. a region's conference
     * or délégué): {@code @Extension(name = "x-creates-when-absent", value = "true")}. Its If-Match stays optional, so
     * a generated client can create the resource; 412 and 428 are still declared.
     */
    public static final String CREATES_WHEN_ABSENT = "x-creates-when-absent";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        licence(openAPI);
        ensureProblemSchema(openAPI);
        ensureHeaders(openAPI.getComponents());
        Set<String> versioned = versionedResources(openAPI);
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            boolean hasId = path.getKey().contains("{");
            for (Map.Entry<PathItem.HttpMethod, Operation> op : path.getValue().getOperations().entrySet()) {
                Operation operation = op.getValue();
                APIResponses responses = operation.getResponses();
                if (responses == null) {
                    responses = OASFactory.createAPIResponses();
                    operation.setResponses(responses);
                }
                boolean read = op.getKey() == PathItem.HttpMethod.GET || op.getKey() == PathItem.HttpMethod.HEAD;
                boolean guarded = requireIfMatch(operation);
                rolesAsRoles(operation);
                problem(responses, "400", "Invalid request (the offending fields are named)");
                problem(responses, "401", "Missing or invalid bearer token");
                problem(responses, "403", "The caller's role or tenant does not allow this");
                if (hasId) {
                    problem(responses, "404", "No such resource, or not visible to the caller");
                }
                problem(responses, "406", "The Accept header asks for a representation this operation does not have");
                problem(responses, "500", "Unexpected error (quote the X-Request-Id)");
                if (!read) {
                    problem(responses, "409", "Conflicts with the current state");
                    problem(responses, "422", "A business rule refused the request (the rule id is named), "
                            + "or an Idempotency-Key was reused with another request");
                }
                if (operation.getRequestBody() != null) {
                    problem(responses, "415", "Unsupported media type");
                }
                if (guarded) {
                    problem(responses, "412", "If-Match does not match the current ETag: read again, then retry");
                    problem(responses, "428", "If-Match header missing");
                }
                responseHeaders(responses, read && versioned.contains(path.getKey()) || guarded, openAPI);
            }
        }
        declareNulls(openAPI);
    }

    /**
     * OpenAPI 3.1 wants a licence to say which one, by SPDX expression or URL: the API is proprietary and its terms are
     * not published, which SPDX writes as a LicenseRef.
     */
    private static void licence(OpenAPI openAPI) {
        var license = openAPI.getInfo() == null ? null : openAPI.getInfo().getLicense();
        if (license != null && license.getUrl() == null && license.getIdentifier() == null) {
            license.setIdentifier("LicenseRef-Proprietary");
        }
    }

    /** Paths whose resource carries a version: those an If-Match operation changes, and their transitions' parent. */
    private static Set<String> versionedResources(OpenAPI openAPI) {
        Set<String> versioned = new HashSet<>();
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            boolean guarded = path.getValue().getOperations().values().stream().anyMatch(o -> ifMatch(o) != null);
            if (guarded) {
                versioned.add(path.getKey());
                String parent = path.getKey().substring(0, Math.max(0, path.getKey().lastIndexOf('/')));
                if (parent.endsWith("}")) {
                    versioned.add(parent);
                }
            }
        }
        return versioned;
    }

    private static Parameter ifMatch(Operation operation) {
        if (operation.getParameters() == null) {
            return null;
        }
        return operation.getParameters().stream()
                .filter(p -> p.getIn() == Parameter.In.HEADER && IF_MATCH.equalsIgnoreCase(p.getName()))
                .findFirst().orElse(null);
    }

    /** {@code ETags.requireMatch} answers 428 when the header is missing: for a client it is required. */
    private static boolean requireIfMatch(Operation operation) {
        Parameter p = ifMatch(operation);
        if (p == null) {
            return false;
        }
        boolean createsWhenAbsent = operation.getExtensions() != null
                && operation.getExtensions().containsKey(CREATES_WHEN_ABSENT);
        p.setRequired(!createsWhenAbsent);
        if (p.getDescription() == null) {
            p.setDescription(createsWhenAbsent
                    ? "Omit it to create the resource when absent; once it exists, the ETag as last read: missing is 428,"
                            + " stale is 412"
                    : "The ETag of the resource as last read; missing is 428, stale is 412");
        }
        return true;
    }

    /**
     * Realm roles are not OAuth2 scopes (a token carries them in realm_access.roles): they move from the security
     * requirement to the {@code x-roles} extension and the description.
     */
    private static void rolesAsRoles(Operation operation) {
        if (operation.getSecurity() == null) {
            return;
        }
        List<String> roles = new ArrayList<>();
        List<SecurityRequirement> plain = new ArrayList<>();
        for (SecurityRequirement requirement : operation.getSecurity()) {
            SecurityRequirement copy = OASFactory.createSecurityRequirement();
            if (requirement.getSchemes() != null) {
                requirement.getSchemes().forEach((scheme, scopes) -> {
                    if (scopes != null) {
                        scopes.stream().filter(r -> !roles.contains(r)).forEach(roles::add);
                    }
                    copy.addScheme(scheme);
                });
            }
            plain.add(copy);
        }
        operation.setSecurity(plain);
        if (!roles.isEmpty()
                && (operation.getExtensions() == null || !operation.getExtensions().containsKey(ROLES_EXTENSION))) {
            operation.addExtension(ROLES_EXTENSION, roles);
            String line = "Realm roles allowed: " + String.join(", ", roles) + ".";
            operation.setDescription(operation.getDescription() == null ? line : operation.getDescription() + "\n\n" + line);
        }
    }

    private static void responseHeaders(APIResponses responses, boolean etag, OpenAPI openAPI) {
        for (Map.Entry<String, APIResponse> e : responses.getAPIResponses().entrySet()) {
            APIResponse response = e.getValue();
            if (e.getKey().equals("201")) {
                header(response, "Location");
            }
            if (etag && (e.getKey().equals("200") || e.getKey().equals("201"))) {
                header(response, "ETag");
            }
            if (e.getKey().equals("200") && isPage(response, openAPI)) {
                header(response, "X-Total-Count");
                header(response, "Link");
            }
        }
    }

    private static boolean isPage(APIResponse response, OpenAPI openAPI) {
        if (response.getContent() == null || response.getContent().getMediaTypes() == null) {
            return false;
        }
        for (MediaType media : response.getContent().getMediaTypes().values()) {
            Schema schema = media.getSchema();
            if (schema != null && schema.getRef() != null) {
                schema = openAPI.getComponents().getSchemas()
                        .get(schema.getRef().substring(schema.getRef().lastIndexOf('/') + 1));
            }
            if (schema != null && schema.getProperties() != null && schema.getProperties().containsKey("items")
                    && schema.getProperties().containsKey("totalItems")) {
                return true;
            }
        }
        return false;
    }

    private static void header(APIResponse response, String name) {
        if (response.getHeaders() == null || !response.getHeaders().containsKey(name)) {
            response.addHeader(name, OASFactory.createHeader().ref("#/components/headers/" + name));
        }
    }

    private static void ensureHeaders(Components components) {
        Schema string = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        addHeader(components, "ETag", "Version of the resource (a strong entity tag, e.g. \"3\"): send it back in If-Match",
                string);
        addHeader(components, "Location", "URI of the created resource", string);
        addHeader(components, "Link", "RFC 8288 links to the neighbour pages: rel=\"next\", rel=\"prev\"", string);
        addHeader(components, "X-Total-Count", "Number of items matching the filters, over all pages",
                OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).format("int64"));
    }

    private static void addHeader(Components components, String name, String description, Schema schema) {
        if (components.getHeaders() == null || !components.getHeaders().containsKey(name)) {
            Header header = OASFactory.createHeader().description(description).schema(schema);
            components.addHeader(name, header);
        }
    }

    /**
     * Jackson writes a record's absent values as {@code null}: every property a schema does not require is declared
     * nullable, so a generated client accepts what the server sends. Required properties are never null.
     */
    private static void declareNulls(OpenAPI openAPI) {
        if (openAPI.getComponents().getSchemas() == null) {
            return;
        }
        for (Map.Entry<String, Schema> named : openAPI.getComponents().getSchemas().entrySet()) {
            if (named.getKey().equals(PROBLEM)) {
                continue; // problem+json omits empty members (Problem is NON_EMPTY)
            }
            Schema schema = named.getValue();
            if (schema.getProperties() == null) {
                continue;
            }
            List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
            for (Map.Entry<String, Schema> property : new ArrayList<>(schema.getProperties().entrySet())) {
                if (!required.contains(property.getKey())) {
                    schema.addProperty(property.getKey(), nullable(property.getValue()));
                }
            }
        }
    }

    private static Schema nullable(Schema property) {
        List<Schema.SchemaType> types = property.getType();
        if (property.getRef() == null && property.getEnumeration() == null && types != null && !types.isEmpty()) {
            if (!types.contains(Schema.SchemaType.NULL)) {
                property.addType(Schema.SchemaType.NULL);
            }
            return property;
        }
        if (property.getRef() == null && property.getEnumeration() == null) {
            return property; // free-form: null is already allowed
        }
        if (property.getAnyOf() != null) {
            return property;
        }
        // A reference or an enumeration: null as an alternative keeps the referenced schema intact.
        Schema alternative = OASFactory.createSchema();
        if (property.getRef() != null) {
            alternative.ref(property.getRef());
            property.setRef(null);
        } else {
            alternative.type(property.getType()).enumeration(property.getEnumeration());
            alternative.format(property.getFormat());
            property.setType(null);
            property.setEnumeration(null);
            property.setFormat(null);
        }
        property.anyOf(List.of(alternative, OASFactory.createSchema().addType(Schema.SchemaType.NULL)));
        return property;
    }

    private static void ensureProblemSchema(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        if (openAPI.getComponents().getSchemas() != null
                && openAPI.getComponents().getSchemas().containsKey(PROBLEM)) {
            return;
        }
        Schema string = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        Schema fieldError = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .addProperty("field", string).addProperty("message", string);
        openAPI.getComponents().addSchema(PROBLEM, OASFactory.createSchema()
                .description("RFC 9457 problem details; members without a value are omitted")
                .addType(Schema.SchemaType.OBJECT)
                .addRequired("type").addRequired("title").addRequired("status")
                .addProperty("type", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description(
                                "Relative URI of the problem type, e.g. /problems/rule-violation (docs/api-conventions.md)"))
                .addProperty("title", string)
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
                .addProperty("detail", string).addProperty("instance", string)
                .addProperty("rule", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("Rule id of the domain brief, e.g. R-21"))
                .addProperty("requestId", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("Correlation id (X-Request-Id) to quote to support"))
                .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(fieldError)
                        .description("The offending fields of a validation problem")));
    }

    /** Declares a problem+json response, or gives a body to one declared without (e.g. SmallRye's own 401/403). */
    private static void problem(APIResponses responses, String code, String description) {
        APIResponse existing = responses.getAPIResponse(code);
        if (existing != null && existing.getContent() != null && existing.getContent().getMediaTypes() != null
                && !existing.getContent().getMediaTypes().isEmpty()) {
            return;
        }
        APIResponse response = existing != null ? existing : OASFactory.createAPIResponse().description(description);
        response.content(OASFactory.createContent().addMediaType("application/problem+json",
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM_REF))));
        if (existing == null) {
            responses.addAPIResponse(code, response);
        }
    }
}
