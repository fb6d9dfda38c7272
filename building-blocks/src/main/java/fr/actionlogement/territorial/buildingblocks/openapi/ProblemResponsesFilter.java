package fr.actionlogement.territorial.buildingblocks.openapi;

import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Completes every operation of a service's OpenAPI document with the error responses the building blocks
 * produce (problem+json), so generated clients know the error shape without each resource repeating it.
 * Registered with {@code mp.openapi.filter}.
 */
public class ProblemResponsesFilter implements OASFilter {

    private static final String PROBLEM_REF = "#/components/schemas/Problem";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        ensureProblemSchema(openAPI);
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            PathItem item = path.getValue();
            // A POST on an existing resource (/{id}/sign) is a state transition, guarded like an update.
            boolean onResource = path.getKey().contains("{");
            for (Map.Entry<PathItem.HttpMethod, Operation> op : item.getOperations().entrySet()) {
                APIResponses responses = op.getValue().getResponses();
                if (responses == null) {
                    responses = OASFactory.createAPIResponses();
                    op.getValue().setResponses(responses);
                }
                add(responses, "400", "Invalid request (the offending fields are named)");
                add(responses, "401", "Missing or invalid bearer token");
                add(responses, "403", "The caller's role or tenant does not allow this");
                add(responses, "500", "Unexpected error (quote the X-Request-Id)");
                boolean write = op.getKey() != PathItem.HttpMethod.GET && op.getKey() != PathItem.HttpMethod.HEAD;
                if (write) {
                    add(responses, "409", "Conflicts with the current state");
                    add(responses, "415", "Unsupported media type");
                    add(responses, "422", "A business rule refused the request (the rule id is named)");
                }
                if (op.getKey() == PathItem.HttpMethod.PUT || op.getKey() == PathItem.HttpMethod.PATCH
                        || op.getKey() == PathItem.HttpMethod.DELETE
                        || (op.getKey() == PathItem.HttpMethod.POST && onResource)) {
                    add(responses, "412", "If-Match does not match the current ETag");
                    add(responses, "428", "If-Match header missing");
                }
            }
        }
    }

    private static void ensureProblemSchema(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        if (openAPI.getComponents().getSchemas() != null
                && openAPI.getComponents().getSchemas().containsKey("Problem")) {
            return;
        }
        Schema string = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        Schema fieldError = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .addProperty("field", string).addProperty("message", string);
        openAPI.getComponents().addSchema("Problem", OASFactory.createSchema()
                .description("RFC 9457 problem details").addType(Schema.SchemaType.OBJECT)
                .addProperty("type", string).addProperty("title", string)
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
                .addProperty("detail", string).addProperty("instance", string)
                .addProperty("rule", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("Rule id of the domain brief, e.g. R-21"))
                .addProperty("requestId", string)
                .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(fieldError)));
    }

    private static void add(APIResponses responses, String code, String description) {
        if (responses.hasAPIResponse(code)) {
            return;
        }
        responses.addAPIResponse(code, OASFactory.createAPIResponse().description(description)
                .content(OASFactory.createContent().addMediaType("application/problem+json",
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM_REF)))));
    }
}
