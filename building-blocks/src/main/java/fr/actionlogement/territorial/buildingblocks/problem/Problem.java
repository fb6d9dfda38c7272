package fr.actionlogement.territorial.buildingblocks.problem;

import java.net.URI;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * RFC 9457 problem details, the body of every error response ({@code application/problem+json}).
 *
 * @param rule the business rule (R-xx of the domain brief) that refused the request, when one did
 * @param errors the offending fields, for validation problems
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@Schema(name = "Problem", description = "RFC 9457 problem details")
public record Problem(
        @Schema(required = true, format = "uri-reference", description = "Problem type, a URI reference relative to the API; see docs/api-conventions.md", examples = "/problems/rule-violation") URI type,
        @Schema(required = true, examples = "Business rule violated") String title,
        @Schema(required = true, examples = "422") int status,
        @Schema(examples = "R-21: an agreement with an exclusivity clause needs the UESL's prior approval before signature") String detail,
        @Schema(format = "uri-reference", description = "The request path") URI instance,
        @Schema(description = "Rule id of the domain brief", examples = "R-21") String rule,
        @Schema(description = "Correlation id of the request (X-Request-Id)") String requestId,
        List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    @Schema(name = "FieldError")
    public record FieldError(
            @Schema(description = "JSON path of the field, or the query/header parameter name", examples = "signatories[0].cilId") String field,
            String message) {
    }
}
