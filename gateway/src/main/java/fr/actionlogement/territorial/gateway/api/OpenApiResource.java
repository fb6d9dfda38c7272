package fr.actionlogement.territorial.gateway.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.actionlogement.territorial.gateway.config.GatewayConfig;
import fr.actionlogement.territorial.gateway.openapi.OpenApiDocuments;
import fr.actionlogement.territorial.gateway.proxy.UpstreamCalls;
import fr.actionlogement.territorial.gateway.proxy.Upstreams;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;

/** The services' OpenAPI documents, served through the gateway for Swagger UI and client generators; open. */
@Path("/openapi")
@Tag(name = "OpenAPI", description = "Every service's OpenAPI document, and all of them merged")
@PermitAll
public class OpenApiResource {

    @Inject
    Upstreams upstreams;

    @Inject
    UpstreamCalls calls;

    @Inject
    OpenApiDocuments documents;

    @Inject
    GatewayConfig config;

    @Inject
    ObjectMapper json;

    @GET
    @Path("/merged")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getMergedOpenApi", summary = "Every service's API in one OpenAPI 3.1 document", description = "For client generators. A service that cannot be read is left out and named in "
            + "x-missing-services, unless strict=true, which then answers 503.")
    @APIResponse(responseCode = "200", description = "The merged document", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT)))
    @APIResponse(responseCode = "503", description = "strict=true and a service's document could not be read", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<JsonNode> merged(
            @Parameter(description = "Fail rather than leave out a service that cannot be read") @QueryParam("strict") boolean strict) {
        Map<String, Future<JsonNode>> fetches = new LinkedHashMap<>();
        upstreams.all().keySet().forEach(name -> fetches.put(name, fetch(name)));
        Future<JsonNode> result = Future.join(new ArrayList<>(fetches.values())).transform(ignored -> {
            Map<String, JsonNode> docs = new LinkedHashMap<>();
            List<String> missing = new ArrayList<>();
            fetches.forEach((name, f) -> {
                if (f.succeeded()) {
                    docs.put(name, f.result());
                } else {
                    missing.add(name);
                }
            });
            if (strict && !missing.isEmpty()) {
                return Future.failedFuture(new ProblemException(Problem.Type.SERVICE_UNAVAILABLE,
                        "The OpenAPI document of " + String.join(", ", missing) + " could not be read"));
            }
            return Future.succeededFuture(documents.merge(docs, missing));
        });
        return Uni.createFrom().completionStage(result.toCompletionStage());
    }

    @GET
    @Path("/{service}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getServiceOpenApi", summary = "One service's OpenAPI document, as tried through the gateway")
    @APIResponse(responseCode = "200", description = "The service's document with the gateway as server and Keycloak login", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT)))
    @APIResponse(responseCode = "404", description = "No such service", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "The service's document could not be read", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<JsonNode> service(
            @Parameter(description = "The service's context", example = "territories") @PathParam("service") String service) {
        if (upstreams.get(service).isEmpty()) {
            throw new ProblemException(Problem.Type.NOT_FOUND, "No service named " + service);
        }
        Future<JsonNode> doc = fetch(service).recover(e -> Future.failedFuture(new ProblemException(
                Problem.Type.SERVICE_UNAVAILABLE, "The OpenAPI document of " + service + " could not be read: "
                        + e.getMessage())));
        return Uni.createFrom().completionStage(doc.toCompletionStage());
    }

    private Future<JsonNode> fetch(String service) {
        Upstreams.Upstream up = upstreams.get(service).orElseThrow();
        return calls.get(up, "/q/openapi?format=json", Map.of("Accept", MediaType.APPLICATION_JSON),
                config.openapi().timeout()).compose(answer -> {
                    if (answer.status() != 200) {
                        return Future.failedFuture(new IOException(service + " answered " + answer.status()));
                    }
                    try {
                        return Future.succeededFuture(documents.forGateway(service, json.readTree(answer.body().getBytes())));
                    } catch (IOException e) {
                        return Future.failedFuture(e);
                    }
                });
    }
}
