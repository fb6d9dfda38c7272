package fr.actionlogement.territorial.territories.api;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import fr.actionlogement.territorial.buildingblocks.audit.AuditLog;
import fr.actionlogement.territorial.buildingblocks.problem.Problem;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemType;
import fr.actionlogement.territorial.buildingblocks.security.Roles;
import fr.actionlogement.territorial.territories.config.TerritoriesConfig;
import fr.actionlogement.territorial.territories.domain.TensionCsv;
import fr.actionlogement.territorial.territories.persistence.TerritoryRepository;

/** housing-market tension by commune, imported from a CSV (e.g. the official zonage ABC list). */
@Path("/tension-imports")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Basins")
public class TensionResource {

    @Schema(name = "TensionImportReport")
    public record Report(@Schema(examples = "Zonage ABC 2014") String source, int rows,
            @Schema(description = "Communes whose tension changed") int changed) {
    }

    private final TerritoryRepository territories;
    private final TerritoriesConfig config;
    private final AuditLog audit;

    TensionResource(TerritoryRepository territories, TerritoriesConfig config, AuditLog audit) {
        this.territories = territories;
        this.config = config;
        this.audit = audit;
    }

    @POST
    @Consumes({ "text/csv", MediaType.TEXT_PLAIN })
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN })
    @Operation(operationId = "importTension", summary = "Import tension by commune from a CSV (UESL, admin)", description = "Columns code_insee;zone (Abis, A, B1, B2, C), ';' or ',' separated, optional header. All "
            + "or nothing: any bad row (unknown commune, unknown zone, duplicate) gets a 422 listing every bad "
            + "line, and nothing is imported.")
    @APIResponse(responseCode = "200", description = "Imported", content = @Content(schema = @Schema(implementation = Report.class)))
    @APIResponse(responseCode = "422", description = "Row-level errors; nothing imported", content = @Content(mediaType = "application/problem+json"))
    public Report importCsv(
            @QueryParam("source") @NotBlank @Size(max = 200) @Parameter(description = "Where the zoning comes from", example = "Zonage ABC 2014") String source,
            @RequestBody(content = @Content(mediaType = "text/csv", examples = @ExampleObject(name = "zonage ABC", value = "code_insee;zone\n69123;A\n42218;B1\n"))) String body) {
        if (body == null || body.isBlank()) {
            throw ProblemException.invalid("body", "the CSV is empty");
        }
        if (body.getBytes(StandardCharsets.UTF_8).length > config.tension().maxCsvBytes()) {
            throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE,
                    "the CSV exceeds " + config.tension().maxCsvBytes() + " bytes");
        }
        TensionCsv.Parsed parsed = TensionCsv.parse(body, config.tension().maxCsvRows());
        List<TensionCsv.RowError> errors = new java.util.ArrayList<>(parsed.errors());
        Set<String> known = territories.existingCommunes(parsed.rows().stream().map(TensionCsv.Row::communeCode).toList());
        Map<String, String> zones = new LinkedHashMap<>();
        for (TensionCsv.Row row : parsed.rows()) {
            if (!known.contains(row.communeCode())) {
                errors.add(new TensionCsv.RowError(row.line(), "code_insee",
                        row.communeCode() + " is not a commune of the reference"));
            } else {
                zones.put(row.communeCode(), row.zone());
            }
        }
        if (!errors.isEmpty()) {
            errors.sort(java.util.Comparator.comparingInt(TensionCsv.RowError::line));
            throw new ProblemException(ProblemType.RULE_VIOLATION, 422,
                    "R-31: " + errors.size() + " bad row(s); nothing was imported", "R-31",
                    errors.stream().map(e -> new Problem.FieldError("line " + e.line()
                            + (e.field() == null ? "" : ": " + e.field()), e.message())).toList());
        }
        if (zones.isEmpty()) {
            throw ProblemException.invalid("body", "the CSV has no data row");
        }
        int changed = territories.setTension(zones, source);
        audit.record("TensionImport", source, "IMPORTED", null, Map.of("rows", zones.size(), "changed", changed));
        return new Report(source, zones.size(), changed);
    }
}
