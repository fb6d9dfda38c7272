package fr.actionlogement.territorial.conventions.api;

import java.util.Arrays;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hibernate.jpa.HibernateHints;

import com.fasterxml.jackson.databind.ObjectMapper;

import fr.actionlogement.territorial.buildingblocks.export.ExportFormat;
import fr.actionlogement.territorial.buildingblocks.export.Exports;
import fr.actionlogement.territorial.buildingblocks.export.StreamedExport;
import fr.actionlogement.territorial.buildingblocks.security.Roles;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.ConventionView;
import fr.actionlogement.territorial.conventions.persistence.ConventionEntity;
import fr.actionlogement.territorial.conventions.persistence.ConventionFilter;

/**
 * Streamed export of the conventions the caller may see, as CSV or JSON lines: the list's filters and visibility
 * ({@link Access#filter}, {@link ConventionEntity#exportQuery}), the shared writers and limits of building-blocks.
 */
@Path("/export")
@Tag(name = "Conventions")
public class ConventionExportResource {

    public static final List<String> COLUMNS = List.of("conventionId", "kind", "campaignId", "territoryId", "territoryName",
            "regionCode", "title", "status", "version", "periodStart", "periodEnd", "signedOn", "parties", "proposedAt",
            "updatedAt");

    static final String CSV_EXAMPLE = "conventionId,kind,campaignId,territoryId,territoryName,regionCode,title,status,version,"
            + "periodStart,periodEnd,signedOn,parties,proposedAt,updatedAt\r\n"
            + "0b8e...,CONVENTION_TERRITORIALE,9d2f...,EPCI:200046977,Métropole de Lyon,84,Charte territoriale de Lyon,SIGNED,1,2011,2013,2011-06-30,"
            + "CIL:775574166; COLLECTIVITE:200046977,2011-03-01T09:00:00Z,2011-06-30T10:00:00Z\r\n";

    @Inject
    Access access;
    @Inject
    Exports exports;
    @Inject
    ObjectMapper mapper;

    @GET
    @Produces({ ExportFormat.CSV_TYPE, ExportFormat.JSON_LINES_TYPE })
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.DELEGUE_TERRITORIAL, Roles.CIL, Roles.COLLECTIVITE })
    @Operation(operationId = "exportConventions", summary = "Export the conventions the caller may see, streamed (CSV or JSON lines)", description = "Same filters and the same visibility as the list (the UESL all, a délégué its region's, a CIL or authority those it signs or is partner of), "
            + "in proposal order, streamed from a database cursor. CSV (format=csv, or Accept: text/csv; the default) per RFC 4180, formula-safe: a text cell starting with = + - @, tab or CR is prefixed with a quote. "
            + "JSON lines (format=jsonl, or Accept: application/x-ndjson): one Convention per line, as the list's items. At most territorial.export.max-concurrent-per-caller exports of a caller at once (429).")
    @APIResponse(responseCode = "200", description = "The rows", content = {
            @Content(mediaType = ExportFormat.CSV_TYPE, schema = @Schema(type = SchemaType.STRING), example = CSV_EXAMPLE),
            @Content(mediaType = ExportFormat.JSON_LINES_TYPE, schema = @Schema(type = SchemaType.STRING, description = "One Convention (as the list's items, the Convention schema) per line, each a JSON object")) })
    @APIResponse(responseCode = "429", description = "Too many exports of this caller or of the service at once; Retry-After", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    public Response export(
            @QueryParam("territoryId") @Parameter(example = "EPCI:200046977") String territoryId,
            @QueryParam("status") @Pattern(regexp = "DRAFT|IN_NEGOTIATION|READY_FOR_SIGNATURE|SIGNED|EVALUATED|TERMINATED", message = "unknown status") String status,
            @QueryParam("cilId") @Parameter(description = "Conventions this CIL (or subsidiary) signs", example = "775574166") String cilId,
            @QueryParam("campaignId") String campaignId,
            @QueryParam("year") @Min(2000) @Max(2100) @Parameter(description = "Conventions whose period covers the year") Integer year,
            @QueryParam("format") @Parameter(description = "csv or jsonl; wins over Accept", schema = @Schema(enumeration = {
                    "csv", "jsonl" })) String format,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        ExportFormat fmt = ExportFormat.negotiate(format, accept);
        // Resolved now, on the request: the list's filter with the caller's visibility.
        ConventionFilter filter = access.filter(territoryId, status, cilId, campaignId, year);
        StreamedExport<ConventionEntity> body = new StreamedExport<>(fmt, mapper, COLUMNS,
                () -> ConventionEntity.exportQuery(filter)
                        .withHint(HibernateHints.HINT_FETCH_SIZE, StreamedExport.CLEAR_EVERY).stream(),
                ConventionExportResource::csvRow, e -> ConventionView.of(e.toDomain()));
        return Response.ok(exports.stream(body), fmt.contentType())
                .header(HttpHeaders.CONTENT_DISPOSITION, fmt.attachment("conventions")).build();
    }

    private static List<?> csvRow(ConventionEntity e) {
        return Arrays.asList(e.id, e.kind, e.campaignId, e.territoryId,
                e.document == null ? null : e.document.territoryName(), e.regionCode,
                e.document == null || e.document.content() == null ? null : e.document.content().title(), e.status,
                e.conventionVersion,
                e.periodStart, e.periodEnd, e.signedOn, e.partyKeys == null ? null : List.of(e.partyKeys),
                e.createdAt, e.updatedAt);
    }
}
