package fr.actionlogement.territorial.observatory.api;

import java.time.Clock;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import fr.actionlogement.territorial.buildingblocks.api.ETags;
import fr.actionlogement.territorial.buildingblocks.api.Idempotency;
import fr.actionlogement.territorial.buildingblocks.api.Locations;
import fr.actionlogement.territorial.buildingblocks.audit.AuditLog;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;
import fr.actionlogement.territorial.buildingblocks.security.Roles;
import fr.actionlogement.territorial.observatory.persistence.IndicatorEntity;
import io.quarkus.panache.common.Sort;
import io.quarkus.security.Authenticated;

@Path("/indicators")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Indicators", description = "Catalogue of the indicators observations are recorded against (R-43)")
@Authenticated
public class IndicatorResource {

    @Schema(name = "Indicator")
    public record Indicator(
            @Schema(examples = "DEMANDES_LOGEMENT_SALARIES") String code,
            @Schema(examples = "Demandes de logement des salariés") String label,
            @Schema(examples = "demandes") String unit,
            String definition,
            @Schema(description = "How values combine across territories and months", examples = "SUM", enumeration = {
                    "SUM", "AVERAGE" }) String aggregation,
            long version){
    }

    @Schema(name = "IndicatorRequest")
    public record IndicatorRequest(
            @NotBlank @Pattern(regexp = ObservationModels.INDICATOR, message = "must be UPPER_SNAKE_CASE") @Schema(examples = "LOGEMENTS_TEMPORAIRES_JEUNES") String code,
            @NotBlank @Size(max = 200) @Schema(examples = "Logements temporaires pour jeunes") String label,
            @NotBlank @Size(max = 50) @Schema(examples = "logements") String unit,
            @NotBlank @Size(max = 2000) @Schema(examples = "Furnished dwellings offered to young employees for less than a year") String definition,
            @NotNull @Pattern(regexp = "SUM|AVERAGE", message = "must be SUM or AVERAGE") @Schema(enumeration = {
                    "SUM", "AVERAGE" }) String aggregation){
    }

    private final AuditLog audit;
    private final Idempotency idempotency;
    private final Clock clock;

    @Context
    UriInfo uriInfo;

    IndicatorResource(AuditLog audit, Idempotency idempotency, Clock clock) {
        this.audit = audit;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    @GET
    @Operation(operationId = "listIndicators", summary = "The catalogue of indicators, by code")
    @APIResponse(responseCode = "200", description = "Every indicator", content = @Content(schema = @Schema(implementation = Indicator[].class)))
    public List<Indicator> list() {
        return IndicatorEntity.<IndicatorEntity> listAll(Sort.by("code")).stream().map(IndicatorResource::view).toList();
    }

    @GET
    @Path("/{code}")
    @Operation(operationId = "getIndicator", summary = "One indicator of the catalogue")
    @APIResponse(responseCode = "200", description = "The indicator", content = @Content(schema = @Schema(implementation = Indicator.class)))
    public Response get(@PathParam("code") String code) {
        Indicator i = IndicatorEntity.<IndicatorEntity> findByIdOptional(code).map(IndicatorResource::view)
                .orElseThrow(() -> ProblemException.notFound("Indicator", code));
        return Response.ok(i).tag(ETags.of(i.version())).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN })
    @Operation(operationId = "addIndicator", summary = "Add an indicator to the catalogue (UESL)")
    @APIResponse(responseCode = "201", description = "Added", content = @Content(schema = @Schema(implementation = Indicator.class)))
    public Response add(@Valid @NotNull IndicatorRequest r, @HeaderParam(Idempotency.HEADER) String key) {
        return idempotency.once(key, "addIndicator", r, () -> {
            if (IndicatorEntity.findById(r.code()) != null) {
                throw ProblemException.conflict(null, "indicator " + r.code() + " already exists");
            }
            IndicatorEntity e = new IndicatorEntity();
            e.code = r.code();
            e.label = r.label();
            e.unit = r.unit();
            e.definition = r.definition();
            e.aggregation = r.aggregation();
            e.createdAt = clock.instant();
            e.persist();
            IndicatorEntity.flush(); // two requests racing past the check above: the loser's unique violation is a 409
            audit.record("Indicator", r.code(), "ADDED", null, r);
            Indicator i = view(e);
            return Response.created(Locations.of(uriInfo, "indicators", r.code())).tag(ETags.of(i.version())).entity(i)
                    .build();
        });
    }

    private static Indicator view(IndicatorEntity e) {
        return new Indicator(e.code, e.label, e.unit, e.definition, e.aggregation, e.version);
    }
}
