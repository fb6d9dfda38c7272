package fr.actionlogement.territorial.gateway.api;

import java.time.Instant;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** A territory's page for front ends, assembled from the services; each part says how it fared. */
@Schema(name = "TerritoryDashboard", description = "A territory's dashboard, assembled from every service with the caller's token")
public record DashboardView(
        @Schema(examples = "EPCI:200046977") String territoryId,
        Instant generatedAt,
        @Schema(description = "true when every part answered OK") boolean complete,
        @Schema(description = "By part name: territory, conference, conventions, partnerships, needs") Map<String, Part> parts) {

    public enum Status {
        /** The service answered 2xx; {@code data} is its body. */
        OK,
        /** The service answered 404. */
        NOT_FOUND,
        /** The service refused this caller (401/403): row-level rules apply per part. */
        FORBIDDEN,
        /** The service answered another error; {@code problem} is its body. */
        ERROR,
        /** The service did not answer within the part's timeout. */
        TIMEOUT,
        /** The service could not be reached. */
        UNAVAILABLE
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "DashboardPart")
    public record Part(
            Status status,
            @Schema(description = "The service's HTTP status, when it answered", examples = "200") Integer httpStatus,
            @Schema(description = "The service that answered", examples = "conventions") String service,
            @Schema(examples = "35") long durationMs,
            @Schema(description = "The service's body, when it answered 2xx") JsonNode data,
            @Schema(description = "The service's problem, when it answered an error", implementation = Problem.class) JsonNode problem,
            @Schema(examples = "partnerships did not answer within 2000 ms") String detail) {
    }
}
