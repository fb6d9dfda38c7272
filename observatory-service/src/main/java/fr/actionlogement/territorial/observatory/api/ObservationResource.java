package fr.actionlogement.territorial.observatory.api;

import java.io.BufferedWriter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.actionlogement.territorial.buildingblocks.api.ETags;
import fr.actionlogement.territorial.buildingblocks.api.Idempotency;
import fr.actionlogement.territorial.buildingblocks.api.Locations;
import fr.actionlogement.territorial.buildingblocks.api.Page;
import fr.actionlogement.territorial.buildingblocks.api.PageParams;
import fr.actionlogement.territorial.buildingblocks.api.PageRequest;
import fr.actionlogement.territorial.buildingblocks.audit.AuditLog;
import fr.actionlogement.territorial.buildingblocks.export.Exports;
import fr.actionlogement.territorial.buildingblocks.problem.Problem;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemType;
import fr.actionlogement.territorial.buildingblocks.security.Roles;
import fr.actionlogement.territorial.observatory.api.ObservationModels.CorrectionRequest;
import fr.actionlogement.territorial.observatory.api.ObservationModels.ImportReport;
import fr.actionlogement.territorial.observatory.api.ObservationModels.ObservationPage;
import fr.actionlogement.territorial.observatory.api.ObservationModels.ObservationRequest;
import fr.actionlogement.territorial.observatory.api.ObservationModels.ObservationView;
import fr.actionlogement.territorial.observatory.api.ObservationModels.PublicationRequest;
import fr.actionlogement.territorial.observatory.api.ObservationModels.RejectedRow;
import fr.actionlogement.territorial.observatory.api.ObservationModels.RejectedRowPage;
import fr.actionlogement.territorial.observatory.config.ObservatoryConfig;
import fr.actionlogement.territorial.observatory.domain.ObservationPeriod;
import fr.actionlogement.territorial.observatory.domain.Viewer;
import fr.actionlogement.territorial.observatory.domain.Visibility;
import fr.actionlogement.territorial.observatory.messaging.ObservatoryEvents;
import fr.actionlogement.territorial.observatory.persistence.CsvObservationImport;
import fr.actionlogement.territorial.observatory.persistence.IndicatorEntity;
import fr.actionlogement.territorial.observatory.persistence.ObservationBatchEntity;
import fr.actionlogement.territorial.observatory.persistence.ObservationEntity;
import fr.actionlogement.territorial.observatory.persistence.ObservationStore;
import fr.actionlogement.territorial.observatory.persistence.ReadModels;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import io.quarkus.security.Authenticated;

@Path("/observations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Observations", description = "Observations of companies' and employees' housing needs, shared by the parties (R-43)")
@Authenticated
public class ObservationResource {

    static final String AGGREGATE = "Observation";
    static final String BATCH = "ObservationBatch";
    static final String[] WRITERS = { Roles.UESL, Roles.ADMIN, Roles.CIL, Roles.COLLECTIVITE, Roles.DELEGUE_TERRITORIAL };
    static final String CSV = "text/csv";
    private static final Map<String, String> SORTABLE = Map.of("period", "o.periodStart", "id", "o.id", "value", "o.value");

    private final ObservationStore store;
    private final ReadModels readModels;
    private final ObservatoryEvents events;
    private final AuditLog audit;
    private final Idempotency idempotency;
    private final Callers callers;
    @Inject
    Exports exports;
    private final Clock clock;
    private final ObservatoryConfig config;
    private final ObjectMapper mapper;

    @Context
    UriInfo uriInfo;

    ObservationResource(ObservationStore store, ReadModels readModels, ObservatoryEvents events, AuditLog audit,
            Idempotency idempotency, Callers callers, Clock clock, ObservatoryConfig config, ObjectMapper mapper) {
        this.store = store;
        this.readModels = readModels;
        this.events = events;
        this.audit = audit;
        this.idempotency = idempotency;
        this.callers = callers;
        this.clock = clock;
        this.config = config;
        this.mapper = mapper;
    }

    /** Filters shared by the list and the export. */
    public static class Filters {
        @QueryParam("territoryId")
        @Pattern(regexp = StudyModels.TERRITORY_ID, message = "must be KIND:code")
        @Parameter(description = "Territory", example = "EPCI:200046977")
        public String territoryId;

        @QueryParam("includeSubTerritories")
        @DefaultValue("false")
        @Parameter(description = "Also the observations of the territories under it (communes of an EPCI...)")
        public boolean includeSubTerritories;

        @QueryParam("indicator")
        @Pattern(regexp = ObservationModels.INDICATOR, message = "must be an indicator code")
        public String indicator;

        @QueryParam("publicPrioritaire")
        @Pattern(regexp = "JEUNES_SALARIES|SALARIES_EN_MOBILITE|SALARIES_PRECAIRES_MODESTES|ACCESSION_SOCIALE_INTERMEDIAIRES", message = "must be a priority public")
        public String publicPrioritaire;

        @QueryParam("periodFrom")
        @Pattern(regexp = ObservationPeriod.PATTERN, message = "must be a year (2024) or a month (2024-03)")
        @Parameter(description = "First period included", example = "2023")
        public String periodFrom;

        @QueryParam("periodTo")
        @Pattern(regexp = ObservationPeriod.PATTERN, message = "must be a year (2024) or a month (2024-03)")
        @Parameter(description = "Last period included", example = "2024-12")
        public String periodTo;

        @QueryParam("visibility")
        @Pattern(regexp = "DRAFT|SHARED|PUBLIC", message = "must be DRAFT, SHARED or PUBLIC")
        public String visibility;

        @QueryParam("source")
        public String source;

        @QueryParam("batchId")
        @Parameter(description = "Only the observations of one import")
        public UUID batchId;

        ObservationStore.Filter toFilter() {
            ObservationBatchEntity batch = batchId == null ? null : ObservationBatchEntity.byBatchId(batchId);
            Long batchNo = batchId == null ? null : batch == null ? -1L : batch.batchNo;
            LocalDate to = null;
            if (periodTo != null) {
                ObservationPeriod p = ObservationPeriod.parse(periodTo);
                // "2024" up to the last month of 2024
                to = p.type() == ObservationPeriod.Type.YEAR ? p.start().withMonth(12) : p.start();
            }
            return new ObservationStore.Filter(territoryId, includeSubTerritories, indicator, publicPrioritaire,
                    periodFrom == null ? null : ObservationPeriod.parse(periodFrom).start(), to, visibility, source,
                    batchNo);
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.CIL, Roles.COLLECTIVITE, Roles.DELEGUE_TERRITORIAL })
    @Operation(operationId = "recordObservation", summary = "Record one observation", description = "R-43: the territory must be in the reference and the indicator in the catalogue; one value per "
            + "territory, indicator, public, period and source (409 otherwise). Honours Idempotency-Key. A SHARED or "
            + "PUBLIC observation publishes ObservationsPublished.")
    @APIResponse(responseCode = "201", description = "Recorded", content = @Content(schema = @Schema(implementation = ObservationView.class)))
    public Response record(@Valid @NotNull ObservationRequest request,
            @Parameter(description = "Makes a retry safe") @HeaderParam(Idempotency.HEADER) String key) {
        return idempotency.once(key, "recordObservation", request, () -> {
            requireTerritory(request.territoryId());
            requireIndicator(request.indicator());
            Visibility visibility = request.visibility() == null ? Visibility.DRAFT : request.visibility();
            ObservationBatchEntity batch = ObservationBatchEntity.of(ObservationBatchEntity.SINGLE, callers.producer(),
                    callers.user().subject(), now(), visibility.name());
            batch.counts(1, 1, 0);
            batch.persist();
            ObservationEntity o = ObservationEntity.of(batch, request.territoryId(), request.indicator(),
                    request.publicPrioritaire().name(), ObservationPeriod.parse(request.period()), request.value(),
                    request.source().strip(), visibility.name());
            if (!o.insertUnlessDuplicate()) {
                throw ProblemException.conflict("R-43", "an observation of this territory, indicator, "
                        + "public, period and source exists; correct it instead");
            }
            audit.record(AGGREGATE, String.valueOf(o.id), "RECORDED", null, request);
            if (visibility != Visibility.DRAFT) {
                publishedEvent(batch, visibility, null);
            }
            return Response.created(Locations.of(uriInfo, "observations", o.id)).tag(ETags.of(o.version))
                    .entity(ObservationView.of(o.toView())).build();
        });
    }

    @GET
    @Operation(operationId = "listObservations", summary = "List the observations the caller may see", description = "R-43 visibility: drafts only to their producer and the UESL, shared ones to the partners, public "
            + "ones to every authenticated user. Stable sort (ties broken by id).")
    @APIResponse(responseCode = "200", description = "One page", content = @Content(schema = @Schema(implementation = ObservationPage.class)))
    public Response list(@Valid @BeanParam PageParams page, @Valid @BeanParam Filters filters, @Context UriInfo uri) {
        PageRequest req = PageRequest.of(page, SORTABLE, "period,asc");
        PanacheQuery<ObservationEntity> query = ObservationEntity.find(filters.toFilter(), callers.viewer(),
                req.panacheSort("o.id"));
        List<ObservationView> items = query.page(req.page(), req.size()).<ObservationEntity> list().stream()
                .map(o -> ObservationView.of(o.toView())).toList();
        return Page.of(items, req, query.count()).toResponse(uri);
    }

    @GET
    @Path("/export")
    @Produces({ MediaType.APPLICATION_JSON, CSV })
    @Operation(operationId = "exportObservations", summary = "Export the observations the caller may see, streamed", description = "CSV (format=csv or Accept: text/csv; its first six columns are the import format) or a JSON "
            + "array. Same filters and visibility as the list; rows in (indicator, territory, public, period) order.")
    @APIResponse(responseCode = "200", description = "The rows", content = {
            @Content(mediaType = CSV, example = "territoryId,indicator,publicPrioritaire,period,value,source,id,visibility,producer,batchId\n"
                    + "COMMUNE:69123,DEMANDES_LOGEMENT_SALARIES,JEUNES_SALARIES,2024-03,412,CIL 782855696,1,SHARED,CIL:782855696,0b8e...\n"),
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ObservationView[].class)) })
    public Response export(@Valid @BeanParam Filters filters,
            @QueryParam("format") @Pattern(regexp = "csv|json", message = "must be csv or json") String format,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        boolean csv = format != null ? format.equals("csv")
                : accept != null && accept.contains(CSV)
                        && !accept.contains(MediaType.APPLICATION_JSON);
        ObservationStore.Filter f = filters.toFilter();
        Viewer viewer = callers.viewer(); // resolved now: the stream is written after the request scope's work
        int fetch = config.export().fetchSize();
        long max = config.export().maxRows();
        StreamingOutput body = out -> {
            try {
                if (csv) {
                    BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
                    w.write("territoryId,indicator,publicPrioritaire,period,value,source,id,visibility,producer,batchId\n");
                    store.export(f, viewer, fetch, max, o -> {
                        w.write(o.territoryId());
                        w.write(',');
                        w.write(o.indicator());
                        w.write(',');
                        w.write(o.publicPrioritaire());
                        w.write(',');
                        w.write(o.period());
                        w.write(',');
                        w.write(o.value().toPlainString());
                        w.write(',');
                        w.write(csvField(o.source()));
                        w.write(',');
                        w.write(Long.toString(o.id()));
                        w.write(',');
                        w.write(o.visibility());
                        w.write(',');
                        w.write(csvField(o.producer()));
                        w.write(',');
                        w.write(String.valueOf(o.batchId()));
                        w.write('\n');
                    });
                    w.flush();
                } else {
                    JsonGenerator g = mapper.getFactory().createGenerator(out);
                    g.writeStartArray();
                    store.export(f, viewer, fetch, max, o -> mapper.writeValue(g, ObservationView.of(o)));
                    g.writeEndArray();
                    g.flush();
                }
            } catch (SQLException e) {
                throw new IOException("export failed", e);
            }
        };
        // The shared export limits: per-caller and total concurrency (429), statement timeout, maximum duration.
        return Response.ok(exports.stream(body), csv ? CSV + "; charset=UTF-8" : MediaType.APPLICATION_JSON)
                .header("Content-Disposition", csv ? "attachment; filename=\"observations.csv\"" : null).build();
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getObservation", summary = "Read an observation (ETag = version)")
    @APIResponse(responseCode = "200", description = "The observation", content = @Content(schema = @Schema(implementation = ObservationView.class)))
    public Response get(@PathParam("id") long id) {
        ObservationEntity o = visible(id);
        return Response.ok(ObservationView.of(o.toView())).tag(ETags.of(o.version)).build();
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.CIL, Roles.COLLECTIVITE, Roles.DELEGUE_TERRITORIAL })
    @Operation(operationId = "correctObservation", summary = "Correct an observation's value and source (producer or UESL; If-Match required)")
    @APIResponse(responseCode = "200", description = "Corrected", content = @Content(schema = @Schema(implementation = ObservationView.class)))
    public Response correct(@PathParam("id") long id, @Valid @NotNull CorrectionRequest request,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        ObservationEntity o = ownObservation(id);
        ETags.requireMatch(ifMatch, o.version);
        BigDecimal previous = o.toView().value();
        o.correct(request.value(), request.source().strip());
        audit.record(AGGREGATE, String.valueOf(id), "CORRECTED", request.reason(),
                Map.of("value", request.value(), "previousValue", previous, "source", request.source()));
        o.flushRevision();
        return Response.ok(ObservationView.of(o.toView())).tag(ETags.of(o.version)).build();
    }

    @POST
    @Path("/{id}/publication")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.CIL, Roles.COLLECTIVITE, Roles.DELEGUE_TERRITORIAL })
    @Operation(operationId = "publishObservation", summary = "Share or publish one observation (producer or UESL; If-Match required)", description = "R-43: DRAFT -> SHARED -> PUBLIC, never backwards. Publishes ObservationsPublished.")
    @APIResponse(responseCode = "200", description = "Published", content = @Content(schema = @Schema(implementation = ObservationView.class)))
    public Response publish(@PathParam("id") long id, @Valid @NotNull PublicationRequest request,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        ObservationEntity o = ownObservation(id);
        ETags.requireMatch(ifMatch, o.version);
        Visibility current = Visibility.valueOf(o.visibility);
        if (!current.canBecome(request.visibility())) {
            throw ProblemException.conflict("R-43", "an observation " + current + " cannot become "
                    + request.visibility() + ": publication only moves forward");
        }
        o.visibility = request.visibility().name();
        audit.record(AGGREGATE, String.valueOf(id), "PUBLISHED_" + request.visibility(), request.reason(),
                Map.of("from", current.name(), "to", request.visibility().name()));
        o.flushRevision();
        publishedEvent(o.batch, request.visibility(), id);
        return Response.ok(ObservationView.of(o.toView())).tag(ETags.of(o.version)).build();
    }

    @GET
    @Path("/{id}/history")
    @Operation(operationId = "getObservationHistory", summary = "Audit trail of an observation")
    @APIResponse(responseCode = "200", description = "One page of audit entries", content = @Content(schema = @Schema(implementation = StudyResource.AuditPage.class)))
    public Response history(@PathParam("id") long id, @Valid @BeanParam PageParams page) {
        visible(id);
        return Response.ok(audit.history(AGGREGATE, String.valueOf(id), page))
                .build();
    }

    // --- CSV imports ---

    @POST
    @Path("/imports")
    @Consumes({ CSV, MediaType.TEXT_PLAIN })
    @Transactional
    @TransactionConfiguration(timeout = 3600)
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.CIL, Roles.COLLECTIVITE, Roles.DELEGUE_TERRITORIAL })
    @Operation(operationId = "importObservations", summary = "Import observations from CSV, streamed", description = "Header: territoryId,indicator,publicPrioritaire,period,value,source (any order). Each row is "
            + "validated (known territory, catalogue indicator, priority public, period 2024 or 2024-03, value >= 0 "
            + "with at most 4 decimals, source, no duplicate); rejected rows are reported with their line and reason. "
            + "Fatal errors import nothing: bad header or encoding (400), too large (413), more rejected rows than "
            + "maxRejected (422, R-43). Honours Idempotency-Key (keyed on the parameters and every byte of the file).")
    @RequestBody(content = @Content(mediaType = CSV, example = "territoryId,indicator,publicPrioritaire,period,value,source\n"
            + "COMMUNE:69123,DEMANDES_LOGEMENT_SALARIES,JEUNES_SALARIES,2024-03,412,CIL 782855696\n"))
    @APIResponse(responseCode = "201", description = "Imported, with the report of rejected rows", content = @Content(schema = @Schema(implementation = ImportReport.class)))
    @APIResponse(responseCode = "422", description = "Too many rejected rows: nothing imported; the problem's errors list the lines", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "tooManyRejected", value = "{\"type\":\"/problems/rule-violation\",\"title\":\"Business rule violated\",\"status\":422,\"rule\":\"R-43\",\"detail\":\"R-43: 2 rows rejected, more than the 0 tolerated: nothing was imported\",\"errors\":[{\"field\":\"line 3\",\"message\":\"period: a year (2024) or a month (2024-03)\"}]}")))
    public Response importCsv(InputStream body,
            @QueryParam("visibility") @DefaultValue("DRAFT") @Pattern(regexp = "DRAFT|SHARED|PUBLIC", message = "must be DRAFT, SHARED or PUBLIC") String visibility,
            @QueryParam("maxRejected") @Min(value = 0, message = "must be 0 or more") @Max(value = 100_000_000, message = "too large") Long maxRejected,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long length,
            @HeaderParam(Idempotency.HEADER) String key) {
        long maxBytes = config.csvImport().maxBytes();
        if (length != null && length > maxBytes) {
            throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "the file exceeds " + maxBytes + " bytes");
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("visibility", visibility);
        parameters.put("maxRejected", maxRejected);
        try {
            return idempotency.onceForStream(key, "importObservations", parameters, new Limited(body, maxBytes),
                    file -> importFile(file, visibility, maxRejected, maxBytes));
        } catch (TooLarge e) {
            throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "the file exceeds " + maxBytes + " bytes");
        }
    }

    private Response importFile(InputStream body, String visibility, Long maxRejected, long maxBytes) {
        long tolerated = maxRejected != null ? Math.min(maxRejected, config.csvImport().maxRejectedRows())
                : config.csvImport().maxRejectedRows();
        ObservationBatchEntity batch = ObservationBatchEntity.of(ObservationBatchEntity.IMPORT, callers.producer(),
                callers.user().subject(), now(), visibility);
        batch.persist(); // inserted at once: the import's rejected rows refer to it
        CsvObservationImport.Result result;
        try {
            result = store.importCsv(new CsvObservationImport(tolerated, config.csvImport().reportedRejections()), body,
                    batch.batchNo, visibility);
        } catch (CsvObservationImport.ImportFailure e) {
            throw failure(e);
        } catch (TooLarge e) {
            throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "the file exceeds " + maxBytes + " bytes");
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("import failed", e);
        }
        batch.counts(result.rowsRead(), result.rowsImported(), result.rowsRejected());
        audit.record(BATCH, batch.importId.toString(), "IMPORTED", null, Map.of("rowsRead", result.rowsRead(),
                "rowsImported", result.rowsImported(), "rowsRejected", result.rowsRejected(), "visibility", visibility));
        if (!"DRAFT".equals(visibility) && result.rowsImported() > 0) {
            publishedEvent(batch, Visibility.valueOf(visibility), null);
        }
        ImportReport report = new ImportReport(batch.importId, visibility, batch.producer, batch.createdAtUtc(),
                result.rowsRead(), result.rowsImported(), result.rowsRejected(),
                result.rejections().stream().map(RejectedRow::of).toList(), batch.version);
        return Response.created(Locations.of(uriInfo, "observations", "imports", batch.importId))
                .tag(ETags.of(batch.version)).entity(report).build();
    }

    @GET
    @Path("/imports/{batchId}")
    @Operation(operationId = "getObservationImport", summary = "Report of an import (its producer and the UESL)")
    @APIResponse(responseCode = "200", description = "The report", content = @Content(schema = @Schema(implementation = ImportReport.class)))
    public Response importReport(@PathParam("batchId") UUID batchId) {
        ObservationBatchEntity b = ownBatch(batchId, false);
        List<RejectedRow> first = store.rejections(b.batchNo, 20, 0).stream().map(RejectedRow::of).toList();
        return Response.ok(new ImportReport(b.importId, b.visibility, b.producer, b.createdAtUtc(), b.rowsRead,
                b.rowsImported, b.rowsRejected, first, b.version)).tag(ETags.of(b.version)).build();
    }

    @GET
    @Path("/imports/{batchId}/rejections")
    @Operation(operationId = "listObservationImportRejections", summary = "Rejected rows of an import, by line")
    @APIResponse(responseCode = "200", description = "One page", content = @Content(schema = @Schema(implementation = RejectedRowPage.class)))
    public Response rejections(@PathParam("batchId") UUID batchId, @Valid @BeanParam PageParams page,
            @Context UriInfo uri) {
        ObservationBatchEntity b = ownBatch(batchId, false);
        PageRequest req = PageRequest.of(page, Map.of("line", "line"), "line");
        List<RejectedRow> items = store.rejections(b.batchNo, req.size(), req.offset()).stream()
                .map(RejectedRow::of).toList();
        return Page.of(items, req, store.rejectionCount(b.batchNo)).toResponse(uri);
    }

    @POST
    @Path("/imports/{batchId}/publication")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @TransactionConfiguration(timeout = 3600)
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.CIL, Roles.COLLECTIVITE, Roles.DELEGUE_TERRITORIAL })
    @Operation(operationId = "publishObservationImport", summary = "Share or publish every observation of an import (If-Match required)", description = "R-43: raises each observation of the import below the requested visibility to it. Publishes "
            + "ObservationsPublished.")
    @APIResponse(responseCode = "200", description = "Published", content = @Content(schema = @Schema(implementation = ImportReport.class)))
    public Response publishImport(@PathParam("batchId") UUID batchId, @Valid @NotNull PublicationRequest request,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        ObservationBatchEntity b = ownBatch(batchId, true);
        ETags.requireMatch(ifMatch, b.version);
        if (!Visibility.valueOf(b.visibility).canBecome(request.visibility())) {
            throw ProblemException.conflict("R-43", "the import is " + b.visibility + "; it cannot become "
                    + request.visibility());
        }
        long changed = store.publishBatch(b.batchNo, request.visibility().name());
        b.visibility = request.visibility().name();
        audit.record(BATCH, batchId.toString(), "PUBLISHED_" + request.visibility(), request.reason(),
                Map.of("observations", changed));
        if (changed > 0) {
            publishedEvent(b, request.visibility(), null);
        }
        b.flushRevision();
        return importReport(batchId);
    }

    // --- helpers ---

    private void publishedEvent(ObservationBatchEntity batch, Visibility visibility, Long onlyId) {
        ObservationStore.PublishedSummary s = store.summary(batch.batchNo, onlyId);
        events.observationsPublished(new ObservatoryEvents.ObservationsPublished(batch.importId, visibility.name(),
                s.count(), s.territoryIds(), s.territoryCount(), s.indicators(), s.publics(), s.periodFrom(),
                s.periodTo(), batch.producer, OffsetDateTime.now(clock)));
    }

    /** PostgreSQL keeps microseconds: the response shows what a later read returns. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private ObservationEntity visible(long id) {
        ObservationEntity o = ObservationEntity.<ObservationEntity> findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("Observation", id));
        if (!Visibility.valueOf(o.visibility).visibleTo(callers.viewer(), o.batch.producer)) {
            throw ProblemException.notFound("Observation", id);
        }
        return o;
    }

    /** Its producer and the UESL change an observation; others who can see it get 403. */
    private ObservationEntity ownObservation(long id) {
        ObservationEntity o = visible(id);
        if (!callers.user().isUeslOrAdmin() && !callers.producer().equals(o.batch.producer)) {
            throw ProblemException.forbidden("only the producer of an observation and the UESL change it");
        }
        return o;
    }

    private ObservationBatchEntity ownBatch(UUID batchId, boolean forChange) {
        ObservationBatchEntity b = ObservationBatchEntity.byBatchId(batchId);
        if (b == null) {
            throw ProblemException.notFound("Observation import", batchId);
        }
        boolean own = callers.user().isUeslOrAdmin() || callers.producer().equals(b.producer);
        if (!own) {
            throw ProblemException.notFound("Observation import", batchId);
        }
        return b;
    }

    private void requireTerritory(String territoryId) {
        ReadModels.Territory t = readModels.territory(territoryId).orElseThrow(() -> ProblemException.rule("R-43",
                "territory " + territoryId + " is not in the territory reference"));
        if (t.retired()) {
            throw ProblemException.rule("R-43", "territory " + territoryId + " was retired from the reference");
        }
    }

    private void requireIndicator(String code) {
        if (IndicatorEntity.findById(code) == null) {
            throw ProblemException.rule("R-43", "indicator " + code + " is not in the catalogue");
        }
    }

    private static ProblemException failure(CsvObservationImport.ImportFailure e) {
        if (e.partial() == null) {
            return new ProblemException(ProblemType.VALIDATION, 400, "file: " + e.getMessage(), null,
                    List.of(new Problem.FieldError("file", e.getMessage())));
        }
        List<Problem.FieldError> lines = e.partial().rejections().stream()
                .map(r -> new Problem.FieldError("line " + r.line(), r.reason())).toList();
        return new ProblemException(ProblemType.RULE_VIOLATION, 422, "R-43: " + e.getMessage(), "R-43", lines);
    }

    /**
     * A free-text cell a spreadsheet reads as text: quoted when it holds a separator, a quote or a line break (CR
     * too, or the row splits), and prefixed with an apostrophe when it starts like a formula (=, +, -, @, tab, CR),
     * as OWASP recommends against CSV injection.
     */
    static String csvField(String s) {
        if (s == null || s.isEmpty()) {
            return "";
        }
        char first = s.charAt(0);
        String text = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + s
                : s;
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0
                && text == s) {
            return s;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    static final class TooLarge extends UncheckedIOException {
        TooLarge() {
            super(new IOException("too large"));
        }
    }

    /** Stops reading past the size limit, whatever Content-Length said (chunked uploads). */
    static final class Limited extends FilterInputStream {
        private final long max;
        private long read;

        Limited(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count(Math.max(n, 0));
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > max) {
                throw new TooLarge();
            }
        }
    }
}
