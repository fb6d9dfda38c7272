package fr.actionlogement.territorial.territories.api;

import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import fr.actionlogement.territorial.buildingblocks.api.ETags;
import fr.actionlogement.territorial.buildingblocks.api.Idempotency;
import fr.actionlogement.territorial.buildingblocks.api.Locations;
import fr.actionlogement.territorial.buildingblocks.api.PageParams;
import fr.actionlogement.territorial.buildingblocks.api.PageRequest;
import fr.actionlogement.territorial.buildingblocks.audit.AuditEntry;
import fr.actionlogement.territorial.buildingblocks.audit.AuditLog;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;
import fr.actionlogement.territorial.buildingblocks.security.Roles;
import fr.actionlogement.territorial.territories.domain.Basin;
import fr.actionlogement.territorial.territories.persistence.BasinService;
import io.quarkus.security.Authenticated;

/** employment basins, read by everyone, defined by the UESL and admins. */
@Path("/basins")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Basins", description = "Employment basins / urban areas, roll-out waves and tension (R-31)")
public class BasinResource {

    private static final Map<String, String> SORTS = Map.of("name", "name", "wave", "wave", "id", "id");

    @Schema(name = "BasinRequest")
    public record BasinRequest(
            @NotBlank @Size(max = 60) @Schema(description = "Lower-case words joined by '-'; ignored on update", examples = "saint-etienne") String slug,
            @NotBlank @Size(max = 200) @Schema(examples = "Saint-Étienne") String name,
            @Min(1) @Max(2) @Schema(examples = "2") int wave,
            @NotEmpty @Size(max = 200) @Schema(examples = "[\"244200770\"]") java.util.List<@Pattern(regexp = "\\d{9}", message = "must be a 9-digit SIREN") String> epciSirens,
            @Size(max = 5) @Schema(description = "Zonage ABC: Abis, A, B1, B2, C", examples = "B1") String tension,
            @Size(max = 200) @Schema(examples = "Zonage ABC 2014") String tensionSource,
            @Size(max = 60) @Schema(description = "Framework protocol whose wave sets the conference deadline", examples = "protocole-cadre-2013") String protocolId) {

        BasinService.BasinCommand command() {
            return new BasinService.BasinCommand(slug, name, wave, epciSirens, tension, tensionSource, protocolId);
        }
    }

    @Schema(name = "BasinPage", requiredProperties = { "items", "page", "size", "totalItems", "totalPages" })
    public record BasinPage(java.util.List<BasinService.BasinView> items, int page, int size, long totalItems,
            int totalPages) {
    }

    private final BasinService basins;
    private final Idempotency idempotency;
    private final AuditLog audit;

    @Context
    UriInfo uriInfo;

    BasinResource(BasinService basins, Idempotency idempotency, AuditLog audit) {
        this.basins = basins;
        this.idempotency = idempotency;
        this.audit = audit;
    }

    @GET
    @Authenticated
    @Operation(operationId = "listBasins", summary = "List employment basins")
    @APIResponse(responseCode = "200", description = "One page of basins", content = @Content(schema = @Schema(implementation = BasinPage.class)))
    public Response list(@QueryParam("wave") @Min(1) @Max(2) Integer wave, @Valid @BeanParam PageParams pageParams,
            @Context UriInfo uri) {
        return basins.list(wave, PageRequest.of(pageParams, SORTS, "name")).toResponse(uri);
    }

    @GET
    @Path("/{id}")
    @Authenticated
    @Operation(operationId = "getBasin", summary = "Read a basin, with its EPCI, conference and convention coverage")
    @APIResponse(responseCode = "200", description = "The basin", content = @Content(schema = @Schema(implementation = BasinService.BasinView.class)))
    public Response get(@PathParam("id") @Parameter(example = "BASSIN:lyon") String id) {
        BasinService.BasinView b = find(id);
        return Response.ok(b).tag(ETags.of(b.version())).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN })
    @Operation(operationId = "defineBasin", summary = "Define a basin (UESL, admin)", description = "Publishes BasinDefined; with a protocol, creates the basin's conférence territoriale and "
            + "its installation deadline (R-32). Honours Idempotency-Key.")
    @APIResponse(responseCode = "201", description = "Defined", content = @Content(schema = @Schema(implementation = BasinService.BasinView.class)))
    public Response create(
            @Valid @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(name = "wave 2", value = """
                    {"slug":"saint-etienne","name":"Saint-Étienne","wave":2,"epciSirens":["244200770"],
                    "tension":"B2","tensionSource":"Zonage ABC 2014","protocolId":"protocole-cadre-2013"}"""))) BasinRequest request,
            @HeaderParam(Idempotency.HEADER) String key) {
        return idempotency.once(key, "defineBasin", request, () -> {
            BasinService.BasinView b = basins.create(request.command());
            return Response.created(Locations.of(uriInfo, "basins", b.id())).tag(ETags.of(b.version()))
                    .entity(b).build();
        });
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN })
    @Operation(operationId = "redefineBasin", summary = "Change a basin's name, wave, EPCI, tension (UESL, admin)", description = "Needs If-Match. Publishes BasinDefined; a new wave moves the pending conference deadline.")
    @APIResponse(responseCode = "200", description = "Redefined", content = @Content(schema = @Schema(implementation = BasinService.BasinView.class)))
    public Response update(@PathParam("id") String id, @NotNull @Valid BasinRequest request,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        BasinService.BasinView b = find(id);
        ETags.requireMatch(ifMatch, b.version());
        BasinService.BasinView after = basins.update(id, request.command());
        return Response.ok(after).tag(ETags.of(after.version())).build();
    }

    @GET
    @Path("/{id}/history")
    @Authenticated
    @Operation(operationId = "getBasinHistory", summary = "Audit trail of a basin")
    @APIResponse(responseCode = "200", description = "Audit entries, oldest first")
    public fr.actionlogement.territorial.buildingblocks.api.Page<AuditEntry> history(@PathParam("id") String id,
            @Valid @BeanParam PageParams page) {
        find(id);
        return audit.history("Basin", id, page);
    }

    private BasinService.BasinView find(String id) {
        String full = id.startsWith("BASSIN:") ? id : Basin.idOf(id);
        return basins.find(full).orElseThrow(() -> ProblemException.notFound("Basin", id));
    }
}
