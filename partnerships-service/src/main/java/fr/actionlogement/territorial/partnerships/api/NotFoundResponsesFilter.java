package fr.actionlogement.territorial.partnerships.api;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Every operation on one agreement or notification may answer 404: unknown, or not visible to the caller (row-level
 * rules answer 404 so that existence does not leak). Runs after the building blocks' problem responses.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class NotFoundResponsesFilter implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (!path.contains("{id}")) {
                return;
            }
            item.getOperations().values().forEach(op -> {
                if (op.getResponses() != null && !op.getResponses().hasAPIResponse("404")) {
                    op.getResponses().addAPIResponse("404", OASFactory.createAPIResponse()
                            .description("Unknown, or not visible to the caller")
                            .content(OASFactory.createContent().addMediaType("application/problem+json",
                                    OASFactory.createMediaType().schema(
                                            OASFactory.createSchema().ref("#/components/schemas/Problem")))));
                }
            });
        });
    }
}
