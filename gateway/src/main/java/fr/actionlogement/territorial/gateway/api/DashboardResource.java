package fr.actionlogement.territorial.gateway.api;

import java.net.ConnectException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.actionlogement.territorial.gateway.config.GatewayConfig;
import fr.actionlogement.territorial.gateway.proxy.Correlation;
import fr.actionlogement.territorial.gateway.proxy.UpstreamCalls;
import fr.actionlogement.territorial.gateway.proxy.Upstreams;
import io.netty.channel.ConnectTimeoutException;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/**
 * Composite reads for front ends: one page assembled in parallel from the services' APIs, with the caller's token
 * (so each service's row-level rules apply to its part). A slow or failed part is reported in the body; it never
 * fails the page.
 */
@Path("/api/dashboard")
@Tag(name = "Dashboards", description = "Composite reads for front ends")
@Authenticated
public class DashboardResource {

    static final String TERRITORY_PART = "territory";
    // Territory ids of docs/events/README.md: KIND:code.
    private static final Pattern TERRITORY_ID = Pattern.compile("[A-Z]{3,12}:[A-Za-z0-9_-]{1,40}");
    private static final String EXAMPLE = """
            {"territoryId":"EPCI:200046977","generatedAt":"2026-11-23T14:00:00Z","complete":false,
             "parts":{"territory":{"status":"OK","httpStatus":200,"service":"territories","durationMs":12,"data":{"territoryId":"EPCI:200046977","name":"Métropole de Lyon"}},
                      "conventions":{"status":"OK","httpStatus":200,"service":"conventions","durationMs":30,"data":{"items":[]}},
                      "partnerships":{"status":"TIMEOUT","service":"partnerships","durationMs":2000,"detail":"partnerships did not answer within 2000 ms"},
                      "needs":{"status":"UNAVAILABLE","service":"observatory","durationMs":3,"detail":"observatory is unreachable"}}}""";

    @Inject
    GatewayConfig config;

    @Inject
    Upstreams upstreams;

    @Inject
    UpstreamCalls calls;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    @GET
    @Path("/territories/{territoryId}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getTerritoryDashboard", summary = "A territory's dashboard", description = "The territory, its conference status and deadline, its conventions with objective progress, "
            + "its partnerships awaiting approval and its latest observed needs, read in parallel from the "
            + "services with the caller's token. Each part has its own timeout and reports its own status.")
    @SecurityRequirement(name = "keycloak")
    @APIResponse(responseCode = "200", description = "The dashboard; parts that failed say so", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DashboardView.class), examples = @ExampleObject(name = "partial", value = EXAMPLE)))
    @APIResponse(responseCode = "400", description = "Not a territory id", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No valid bearer token", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "The territories service does not know this territory", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Rate limit exceeded (see Retry-After)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<DashboardView> territory(
            @Parameter(description = "Territory id, KIND:code", example = "EPCI:200046977") @PathParam("territoryId") String territoryId,
            RoutingContext ctx) {
        if (!TERRITORY_ID.matcher(territoryId).matches()) {
            throw new ProblemException(Problem.Type.VALIDATION,
                    "territoryId: expected KIND:code, e.g. EPCI:200046977 or COMMUNE:69123");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", ctx.request().getHeader("Authorization"));
        headers.put(Correlation.HEADER, Correlation.requestId(ctx));
        headers.put(Correlation.TRACEPARENT, ctx.request().getHeader(Correlation.TRACEPARENT));
        headers.put("Accept", MediaType.APPLICATION_JSON);

        Map<String, GatewayConfig.Dashboard.Part> parts = new TreeMap<>(config.dashboard().parts());
        List<String> names = new ArrayList<>(parts.keySet());
        List<Future<DashboardView.Part>> futures = new ArrayList<>();
        for (String name : names) {
            futures.add(fetch(parts.get(name), territoryId, headers));
        }
        Future<DashboardView> view = Future.join(futures).map(all -> {
            Map<String, DashboardView.Part> result = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                result.put(names.get(i), futures.get(i).result());
            }
            DashboardView.Part territory = result.get(TERRITORY_PART);
            if (territory != null && territory.status() == DashboardView.Status.NOT_FOUND) {
                throw new ProblemException(Problem.Type.NOT_FOUND, "Territory " + territoryId + " not found");
            }
            boolean complete = result.values().stream().allMatch(p -> p.status() == DashboardView.Status.OK);
            return new DashboardView(territoryId, Instant.now(clock), complete, result);
        });
        return Uni.createFrom().completionStage(view.toCompletionStage());
    }

    private Future<DashboardView.Part> fetch(GatewayConfig.Dashboard.Part part, String territoryId,
            Map<String, String> headers) {
        var up = upstreams.get(part.service());
        if (up.isEmpty()) {
            return Future.succeededFuture(new DashboardView.Part(DashboardView.Status.UNAVAILABLE, null, part.service(),
                    0, null, null, "Service " + part.service() + " is not configured"));
        }
        long start = System.nanoTime();
        String uri = part.path().replace("{territoryId}", territoryId)
                .replace("{territoryCode}", territoryId.substring(territoryId.indexOf(':') + 1));
        return calls.get(up.get(), uri, headers, part.timeout())
                .map(answer -> answered(part.service(), answer))
                .otherwise(e -> failed(part.service(), e, (System.nanoTime() - start) / 1_000_000));
    }

    private DashboardView.Part answered(String service, UpstreamCalls.Answer answer) {
        JsonNode body = readJson(answer);
        int status = answer.status();
        if (status >= 200 && status < 300) {
            return new DashboardView.Part(DashboardView.Status.OK, status, service, answer.durationMs(), body, null, null);
        }
        DashboardView.Status s = status == 404 ? DashboardView.Status.NOT_FOUND
                : status == 401 || status == 403 ? DashboardView.Status.FORBIDDEN : DashboardView.Status.ERROR;
        return new DashboardView.Part(s, status, service, answer.durationMs(), null, body, service + " answered " + status);
    }

    private static DashboardView.Part failed(String service, Throwable e, long durationMs) {
        if (e instanceof TimeoutException) {
            return new DashboardView.Part(DashboardView.Status.TIMEOUT, null, service, durationMs, null, null,
                    e.getMessage());
        }
        boolean unreachable = e instanceof ConnectException || e instanceof ConnectTimeoutException
                || e.getCause() instanceof ConnectException;
        return new DashboardView.Part(DashboardView.Status.UNAVAILABLE, null, service, durationMs, null, null,
                unreachable ? service + " is unreachable" : service + " failed: " + e.getClass().getSimpleName());
    }

    private JsonNode readJson(UpstreamCalls.Answer answer) {
        if (answer.body() == null || answer.body().length() == 0) {
            return null;
        }
        try {
            return json.readTree(answer.body().getBytes());
        } catch (java.io.IOException e) {
            return json.getNodeFactory().textNode(answer.body().toString());
        }
    }
}
