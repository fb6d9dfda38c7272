package fr.actionlogement.territorial.observatory.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

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

    private final DataSource dataSource;
    private final AuditLog audit;
    private final Idempotency idempotency;

    @Context
    UriInfo uriInfo;

    IndicatorResource(DataSource dataSource, AuditLog audit, Idempotency idempotency) {
        this.dataSource = dataSource;
        this.audit = audit;
        this.idempotency = idempotency;
    }

    @GET
    @Operation(operationId = "listIndicators", summary = "The catalogue of indicators, by code")
    @APIResponse(responseCode = "200", description = "Every indicator", content = @Content(schema = @Schema(implementation = Indicator[].class)))
    public List<Indicator> list() {
        return query("SELECT code, label, unit, definition, aggregation, version FROM indicator ORDER BY code", null);
    }

    @GET
    @Path("/{code}")
    @Operation(operationId = "getIndicator", summary = "One indicator of the catalogue")
    @APIResponse(responseCode = "200", description = "The indicator", content = @Content(schema = @Schema(implementation = Indicator.class)))
    public Response get(@PathParam("code") String code) {
        Indicator i = query("SELECT code, label, unit, definition, aggregation, version FROM indicator WHERE code = ?", code)
                .stream().findFirst().orElseThrow(() -> ProblemException.notFound("Indicator", code));
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
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO indicator (code, label, unit, definition, aggregation) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT DO NOTHING""")) {
                ps.setString(1, r.code());
                ps.setString(2, r.label());
                ps.setString(3, r.unit());
                ps.setString(4, r.definition());
                ps.setString(5, r.aggregation());
                if (ps.executeUpdate() == 0) {
                    throw ProblemException.conflict(null, "indicator " + r.code() + " already exists");
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            audit.record("Indicator", r.code(), "ADDED", null, r);
            Indicator i = new Indicator(r.code(), r.label(), r.unit(), r.definition(), r.aggregation(), 0);
            return Response.created(Locations.of(uriInfo, "indicators", r.code())).tag(ETags.of(0)).entity(i)
                    .build();
        });
    }

    private List<Indicator> query(String sql, String arg) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (arg != null) {
                ps.setString(1, arg);
            }
            List<Indicator> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Indicator(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getLong(6)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
