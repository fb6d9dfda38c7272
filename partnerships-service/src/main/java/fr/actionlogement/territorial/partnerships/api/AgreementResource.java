package fr.actionlogement.territorial.partnerships.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Encoding;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import fr.actionlogement.territorial.buildingblocks.api.ETags;
import fr.actionlogement.territorial.buildingblocks.api.Idempotency;
import fr.actionlogement.territorial.buildingblocks.api.Locations;
import fr.actionlogement.territorial.buildingblocks.api.Page;
import fr.actionlogement.territorial.buildingblocks.api.PageParams;
import fr.actionlogement.territorial.buildingblocks.api.PageRequest;
import fr.actionlogement.territorial.buildingblocks.audit.AuditEntry;
import fr.actionlogement.territorial.buildingblocks.audit.AuditLog;
import fr.actionlogement.territorial.buildingblocks.export.ExportFormat;
import fr.actionlogement.territorial.buildingblocks.export.Exports;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemType;
import fr.actionlogement.territorial.buildingblocks.security.CurrentUser;
import fr.actionlogement.territorial.buildingblocks.security.Roles;
import fr.actionlogement.territorial.partnerships.api.AgreementRequests.CreateAgreement;
import fr.actionlogement.territorial.partnerships.api.AgreementRequests.End;
import fr.actionlogement.territorial.partnerships.api.AgreementRequests.ExclusivityDecision;
import fr.actionlogement.territorial.partnerships.api.AgreementRequests.InvestmentOpinion;
import fr.actionlogement.territorial.partnerships.api.AgreementRequests.ReviseAgreement;
import fr.actionlogement.territorial.partnerships.api.AgreementRequests.Sign;
import fr.actionlogement.territorial.partnerships.api.AgreementRequests.UeslDecisionRequest;
import fr.actionlogement.territorial.partnerships.api.AgreementViews.AgreementView;
import fr.actionlogement.territorial.partnerships.api.AgreementViews.DocumentView;
import fr.actionlogement.territorial.partnerships.config.PartnershipsConfig;
import fr.actionlogement.territorial.partnerships.domain.AgreementStatus;
import fr.actionlogement.territorial.partnerships.domain.DocumentStore;
import fr.actionlogement.territorial.partnerships.domain.DraftDocument;
import fr.actionlogement.territorial.partnerships.domain.PartyType;
import fr.actionlogement.territorial.partnerships.messaging.PartnershipEvents;
import fr.actionlogement.territorial.partnerships.persistence.AgreementEntity;
import fr.actionlogement.territorial.partnerships.persistence.DocumentEntity;
import io.quarkus.panache.common.Parameters;

@Path("/agreements")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Agreements", description = "Individual partnership agreements between a CIL (or Foncière Logement, APAGL) and a local authority (R-20..R-25)")
@RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.CIL, Roles.COLLECTIVITE, Roles.DELEGUE_TERRITORIAL })
public class AgreementResource {

    private static final String ID_PATTERN = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
    private static final Map<String, String> SORTABLE = new LinkedHashMap<>();
    static {
        SORTABLE.put("createdAt", "createdAt");
        SORTABLE.put("updatedAt", "updatedAt");
        SORTABLE.put("status", "status");
        SORTABLE.put("collectiviteId", "collectiviteId");
        SORTABLE.put("id", "id");
    }

    private static final String CREATE_EXAMPLE = """
            {"cilId": "314159265", "collectiviteId": "200046977", "object": "Housing of young employees of the Part-Dieu district",
             "startDate": "2026-01-01", "durationMonths": 36, "exclusivity": true,
             "exclusivityScope": "Rental intermediation for young employees",
             "investments": [{"kind": "SUBVENTION", "amount": 250000, "description": "40 PLAI dwellings"}]}""";

    @Inject
    AgreementService service;
    @Inject
    AgreementAccess access;
    @Inject
    Idempotency idempotency;
    @Inject
    AuditLog audit;
    @Inject
    DocumentStore documents;
    @Inject
    PartnershipsConfig config;
    @Inject
    CurrentUser user;
    @Inject
    Clock clock;
    @Inject
    Exports exports;
    @Inject
    AgreementExport agreementExport;
    @Context
    UriInfo uriInfo;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.CIL })
    @Operation(operationId = "createAgreement", summary = "Create a draft agreement (R-20; R-25 for Foncière Logement and APAGL)", description = "A CIL user creates agreements for its own CIL only; the authority must be known to the territory reference. Honours Idempotency-Key.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = CreateAgreement.class), examples = @ExampleObject(name = "exclusive", value = CREATE_EXAMPLE)))
    @APIResponse(responseCode = "201", description = "Created; ETag carries the version", headers = @Header(name = "ETag", schema = @Schema(type = SchemaType.STRING)), content = @Content(schema = @Schema(implementation = AgreementView.class)))
    public Response create(@Valid @NotNull CreateAgreement request,
            @Parameter(description = "Retry-safe key for this creation") @HeaderParam(Idempotency.HEADER) String key) {
        return idempotency.once(key, "createAgreement", request, () -> {
            AgreementEntity e = service.create(request);
            return Response.created(Locations.of(uriInfo, "agreements", e.id)).tag(ETags.of(e.version))
                    .entity(AgreementView.of(e, null)).build();
        });
    }

    @GET
    @Operation(operationId = "listAgreements", summary = "List the agreements the caller may see, filtered and paginated")
    @APIResponse(responseCode = "200", description = "One page; Link and X-Total-Count headers", content = @Content(schema = @Schema(implementation = AgreementPage.class)))
    public Response list(@Valid @BeanParam PageParams page,
            @Parameter(description = "CIL (as CIL or subsidiary)", example = "314159265") @QueryParam("cilId") String cilId,
            @Parameter(description = "INSEE code or SIREN of the authority", example = "200046977") @QueryParam("collectiviteId") String collectiviteId,
            @Parameter(description = "Status", schema = @Schema(implementation = AgreementStatus.class)) @QueryParam("status") String statusParam,
            @Parameter(description = "With or without an exclusivity clause") @QueryParam("exclusivity") Boolean exclusivity,
            @Parameter(description = "Only those waiting for the UESL (true) or not (false)") @QueryParam("pendingApproval") Boolean pendingApproval,
            @Parameter(description = "Party type", schema = @Schema(implementation = PartyType.class)) @QueryParam("partyType") String partyTypeParam,
            @Parameter(description = "INSEE region code", example = "84") @QueryParam("regionCode") String regionCode) {
        PageRequest req = PageRequest.of(page, SORTABLE, "createdAt");
        Filter f = filter(cilId, collectiviteId, statusParam, exclusivity, pendingApproval, partyTypeParam, regionCode);
        String where = f.where();
        Parameters p = f.parameters();
        long total = AgreementEntity.count(where, p);
        List<AgreementEntity> rows = AgreementEntity.<AgreementEntity> find(where, req.panacheSort("id"), p)
                .page(req.page(), req.size()).list();
        List<AgreementView> items = rows.stream().map(e -> AgreementView.of(e, DocumentEntity.latestOf(e.id))).toList();
        return Page.of(items, req, total).toResponse(uriInfo);
    }

    @GET
    @Path("/export")
    @Produces({ ExportFormat.CSV_TYPE, ExportFormat.JSON_LINES_TYPE })
    @Operation(operationId = "exportAgreements", summary = "Export the agreements the caller may see, streamed (CSV or JSON lines)", description = "Same filters and the same visibility as the list (a CIL its own, an authority those it is party to, a délégué its region's, the UESL all), "
            + "in creation order, streamed from a database cursor. CSV (format=csv, or Accept: text/csv; the default) per RFC 4180, formula-safe: a text cell starting with = + - @, tab or CR is prefixed with a quote. "
            + "JSON lines (format=jsonl, or Accept: application/x-ndjson): one Agreement per line, as the list's items. At most territorial.export.max-concurrent-per-caller exports of a caller at once (429).")
    @APIResponse(responseCode = "200", description = "The rows", content = {
            @Content(mediaType = ExportFormat.CSV_TYPE, schema = @Schema(type = SchemaType.STRING), example = AgreementExport.CSV_EXAMPLE),
            @Content(mediaType = ExportFormat.JSON_LINES_TYPE, schema = @Schema(type = SchemaType.STRING, description = "One Agreement (as the list's items, the Agreement schema) per line, each a JSON object")) })
    @APIResponse(responseCode = "429", description = "Too many exports of this caller or of the service at once; Retry-After", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    public Response export(
            @Parameter(description = "CIL (as CIL or subsidiary)", example = "314159265") @QueryParam("cilId") String cilId,
            @Parameter(description = "INSEE code or SIREN of the authority, or DEPARTEMENT:<code> / REGION:<code>", example = "200046977") @QueryParam("collectiviteId") String collectiviteId,
            @Parameter(description = "Status", schema = @Schema(implementation = AgreementStatus.class)) @QueryParam("status") String statusParam,
            @Parameter(description = "With or without an exclusivity clause") @QueryParam("exclusivity") Boolean exclusivity,
            @Parameter(description = "Only those waiting for the UESL (true) or not (false)") @QueryParam("pendingApproval") Boolean pendingApproval,
            @Parameter(description = "Party type", schema = @Schema(implementation = PartyType.class)) @QueryParam("partyType") String partyTypeParam,
            @Parameter(description = "INSEE region code", example = "84") @QueryParam("regionCode") String regionCode,
            @Parameter(description = "csv or jsonl; wins over Accept", schema = @Schema(enumeration = { "csv",
                    "jsonl" })) @QueryParam("format") String format,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        ExportFormat fmt = ExportFormat.negotiate(format, accept);
        // Resolved now, on the request: the caller's visibility and the filters, exactly as the list's.
        Filter f = filter(cilId, collectiviteId, statusParam, exclusivity, pendingApproval, partyTypeParam, regionCode);
        return Response.ok(exports.stream(agreementExport.body(f.where(), f.parameters(), fmt)), fmt.contentType())
                .header(HttpHeaders.CONTENT_DISPOSITION, fmt.attachment("agreements")).build();
    }

    /** The list's and the export's filters, with the caller's visibility (AgreementAccess). */
    record Filter(String where, Parameters parameters) {
    }

    private Filter filter(String cilId, String collectiviteId, String statusParam, Boolean exclusivity,
            Boolean pendingApproval, String partyTypeParam, String regionCode) {
        AgreementStatus status = enumParam("status", statusParam, AgreementStatus.class);
        PartyType partyType = enumParam("partyType", partyTypeParam, PartyType.class);
        Map<String, Object> params = new HashMap<>();
        StringBuilder where = new StringBuilder(access.visibilityClause(params));
        if (cilId != null) {
            where.append(" and (cilId = :cilId or filialeId = :cilId)");
            params.put("cilId", cilId);
        }
        if (collectiviteId != null) {
            where.append(" and collectiviteId = :collectiviteId");
            params.put("collectiviteId", collectiviteId);
        }
        if (status != null) {
            where.append(" and status = :status");
            params.put("status", status);
        }
        if (exclusivity != null) {
            where.append(" and exclusivity = :exclusivity");
            params.put("exclusivity", exclusivity);
        }
        if (pendingApproval != null) {
            where.append(pendingApproval ? " and status = :pending" : " and status <> :pending");
            params.put("pending", AgreementStatus.PENDING_UESL_APPROVAL);
        }
        if (partyType != null) {
            where.append(" and partyType = :partyType");
            params.put("partyType", partyType);
        }
        if (regionCode != null) {
            where.append(" and regionCode = :regionCode");
            params.put("regionCode", regionCode);
        }
        Parameters p = new Parameters();
        params.forEach(p::and);
        return new Filter(where.toString(), p);
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getAgreement", summary = "Read one agreement, with its status history and latest draft document")
    @APIResponse(responseCode = "200", description = "The agreement; ETag carries the version", headers = @Header(name = "ETag", schema = @Schema(type = SchemaType.STRING)), content = @Content(schema = @Schema(implementation = AgreementView.class)))
    @APIResponse(responseCode = "404", description = "Unknown, or not visible to the caller")
    public Response get(@PathParam("id") @Pattern(regexp = ID_PATTERN, message = "must be a UUID") String id) {
        AgreementEntity e = service.load(UUID.fromString(id));
        return ok(e);
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.CIL })
    @Operation(operationId = "reviseAgreement", summary = "Revise the terms of a DRAFT agreement (If-Match required)")
    @APIResponse(responseCode = "200", description = "Revised", content = @Content(schema = @Schema(implementation = AgreementView.class)))
    public Response revise(@PathParam("id") @Pattern(regexp = ID_PATTERN, message = "must be a UUID") String id,
            @Valid @NotNull ReviseAgreement request, @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        return ok(service.revise(UUID.fromString(id), request, ifMatch));
    }

    @POST
    @Path("/{id}/submit")
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.CIL })
    @Operation(operationId = "submitAgreement", summary = "Submit the draft (R-24); notifies the délégué (R-23), requests UESL approval or opinion (R-21, R-22)", description = "Goes to PENDING_UESL_APPROVAL when a CIL agreement has an exclusivity clause or investments above the thresholds (the draft PDF must then be uploaded first), otherwise to APPROVED.")
    @APIResponse(responseCode = "200", description = "Submitted", content = @Content(schema = @Schema(implementation = AgreementView.class)))
    public Response submit(@PathParam("id") @Pattern(regexp = ID_PATTERN, message = "must be a UUID") String id,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        return ok(service.submit(UUID.fromString(id), ifMatch, null));
    }

    @POST
    @Path("/{id}/exclusivity-approval")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.UESL)
    @Operation(operationId = "decideExclusivityApproval", summary = "UESL grants or refuses the prior approval of an exclusivity clause (R-21)")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = ExclusivityDecision.class), examples = @ExampleObject(name = "refusal", value = "{\"granted\": false, \"reasons\": \"Would shut out the other CILs present\"}")))
    @APIResponse(responseCode = "200", description = "Decided", content = @Content(schema = @Schema(implementation = AgreementView.class)))
    public Response decideExclusivity(@PathParam("id") @Pattern(regexp = ID_PATTERN, message = "must be a UUID") String id,
            @Valid @NotNull ExclusivityDecision decision, @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        return ok(service.decideExclusivity(UUID.fromString(id), ifMatch, decision.granted(), decision.reasons()));
    }

    @POST
    @Path("/{id}/investment-opinion")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.UESL)
    @Operation(operationId = "giveInvestmentOpinion", summary = "UESL gives its approval or opinion on the planned investments (R-22)")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = InvestmentOpinion.class), examples = @ExampleObject(name = "favourable", value = "{\"favourable\": true, \"opinion\": \"Consistent with the CIL's programme\"}")))
    @APIResponse(responseCode = "200", description = "Recorded", content = @Content(schema = @Schema(implementation = AgreementView.class)))
    public Response giveInvestmentOpinion(@PathParam("id") @Pattern(regexp = ID_PATTERN, message = "must be a UUID") String id,
            @Valid @NotNull InvestmentOpinion opinion, @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        return ok(service.giveInvestmentOpinion(UUID.fromString(id), ifMatch, opinion.favourable(), opinion.opinion()));
    }

    @POST
    @Path("/{id}/sign")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.CIL, Roles.COLLECTIVITE })
    @Operation(operationId = "signAgreement", summary = "Record one side's signature of an APPROVED agreement (R-24; R-21: never before the UESL's grant)", description = "Each side signs on its own: a user of the CIL (or of its subsidiary) for the partner side, the local authority's user or partner client for the authority side; "
            + "a UESL or admin user records a party's signature on its behalf by naming the side, or, naming none, the signatures still missing. The agreement stays APPROVED after the first signature and becomes SIGNED "
            + "with the second, dated by the later of the two dates (PartnershipSigned lists both). A date in the future is a 422 naming R-24; a side that already signed, 409; another party, 403.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = Sign.class), examples = {
            @ExampleObject(name = "sign", value = "{\"signedOn\": \"2026-03-15\"}"),
            @ExampleObject(name = "onBehalf", value = "{\"signedOn\": \"2026-03-15\", \"side\": \"AUTHORITY\", \"reason\": \"Délibération du conseil reçue\"}") }))
    @APIResponse(responseCode = "200", description = "The signature recorded; SIGNED when it is the second", content = @Content(schema = @Schema(implementation = AgreementView.class)))
    public Response sign(@PathParam("id") @Pattern(regexp = ID_PATTERN, message = "must be a UUID") String id,
            @Valid @NotNull Sign request, @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        return ok(service.sign(UUID.fromString(id), ifMatch, request));
    }

    @POST
    @Path("/{id}/uesl-decision")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.UESL)
    @Operation(operationId = "recordUeslDecision", summary = "UESL records its choice to stay out of (or join) an agreement of Foncière Logement or APAGL (R-25)", description = "Only a UESL user (403 otherwise), while the agreement is a DRAFT; "
            + "a decision names its date (never in the future) and reasons, is kept with its author and shown in the history. Submission of a national body's agreement needs one: staying out, nothing is reviewed; joining, R-22 applies to its investments.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = UeslDecisionRequest.class), examples = @ExampleObject(name = "staysOut", value = "{\"staysOut\": true, \"decidedOn\": \"2026-02-01\", \"reasons\": \"Within Foncière Logement's own land policy\"}")))
    @APIResponse(responseCode = "200", description = "Recorded", content = @Content(schema = @Schema(implementation = AgreementView.class)))
    public Response recordUeslDecision(@PathParam("id") @Pattern(regexp = ID_PATTERN, message = "must be a UUID") String id,
            @Valid @NotNull UeslDecisionRequest decision, @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        return ok(service.recordUeslDecision(UUID.fromString(id), ifMatch, decision));
    }

    @POST
    @Path("/{id}/end")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.CIL, Roles.COLLECTIVITE })
    @Operation(operationId = "endAgreement", summary = "End a SIGNED agreement (R-24)")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = End.class), examples = @ExampleObject(name = "end", value = "{\"endedOn\": \"2029-03-14\", \"reason\": \"Term reached\"}")))
    @APIResponse(responseCode = "200", description = "Ended", content = @Content(schema = @Schema(implementation = AgreementView.class)))
    public Response end(@PathParam("id") @Pattern(regexp = ID_PATTERN, message = "must be a UUID") String id,
            @Valid @NotNull End request, @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        return ok(service.end(UUID.fromString(id), ifMatch, request));
    }

    @GET
    @Path("/{id}/history")
    @Operation(operationId = "agreementHistory", summary = "Audit trail of the agreement: who, when, what, why")
    @APIResponse(responseCode = "200", description = "One page of audit entries, oldest first", content = @Content(schema = @Schema(implementation = AuditPage.class)))
    public Response history(@PathParam("id") @Pattern(regexp = ID_PATTERN, message = "must be a UUID") String id,
            @Valid @BeanParam PageParams page) {
        AgreementEntity e = service.load(UUID.fromString(id));
        return audit.history(PartnershipEvents.AGGREGATE, e.id.toString(), page)
                .toResponse(uriInfo);
    }

    @POST
    @Path("/{id}/documents")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.CIL })
    @Operation(operationId = "uploadDraftDocument", summary = "Upload a new version of the draft agreement PDF (R-22)", description = "multipart/form-data, part 'file': application/pdf (or application/octet-stream, the generic type multipart libraries send by default) starting with %PDF-, not empty, within partnerships.documents.max-size. "
            + "Only while the agreement is a DRAFT. The SHA-256 is computed and returned. Honours Idempotency-Key.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA, schema = @Schema(implementation = DocumentUploadForm.class), encoding = @Encoding(name = "file", contentType = DraftDocument.ACCEPTED_TYPES)))
    @APIResponse(responseCode = "201", description = "Stored as the next version", content = @Content(schema = @Schema(implementation = DocumentView.class)))
    @APIResponse(responseCode = "413", description = "Larger than the configured limit", content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    public Response upload(@PathParam("id") @Pattern(regexp = ID_PATTERN, message = "must be a UUID") String id,
            DocumentUploadForm form, @HeaderParam(Idempotency.HEADER) String key) {
        AgreementEntity e = service.load(UUID.fromString(id));
        access.requireDraftingParty(e);
        if (e.status != AgreementStatus.DRAFT) {
            throw ProblemException.conflict("R-24", "draft documents are uploaded while the agreement is a DRAFT; it is "
                    + e.status);
        }
        if (form == null || form.file == null) {
            throw ProblemException.invalid("file", "a multipart part named 'file' with the PDF is required");
        }
        long max = config.documents().maxSize().asLongValue();
        if (form.file.size() > max) {
            throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE,
                    "the document has " + form.file.size() + " bytes; the limit is " + max);
        }
        byte[] content;
        try {
            content = Files.readAllBytes(form.file.uploadedFile());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        DraftDocument.Refusal refusal = DraftDocument.check(form.file.contentType(), content, max);
        if (refusal != null) {
            throw switch (refusal) {
                case EMPTY -> ProblemException.invalid("file", "is empty");
                case TOO_LARGE -> new ProblemException(ProblemType.PAYLOAD_TOO_LARGE,
                        "the document has " + content.length + " bytes; the limit is " + max);
                case NOT_PDF_CONTENT_TYPE -> new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                        "the draft document must be sent as application/pdf (or application/octet-stream), not "
                                + form.file.contentType());
                case NOT_PDF_CONTENT -> new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                        "the content is not a PDF (it does not start with %PDF-), whatever its name or declared type");
            };
        }
        String sha256 = DraftDocument.sha256(content);
        String fileName = safeName(form.file.fileName());
        return idempotency.once(key, "uploadDraftDocument:" + id, Map.of("sha256", sha256, "fileName", fileName), () -> {
            DocumentEntity latest = DocumentEntity.latestOf(e.id);
            DocumentEntity d = new DocumentEntity();
            d.id = UUID.randomUUID();
            d.agreementId = e.id;
            d.version = latest == null ? 1 : latest.version + 1;
            d.fileName = fileName;
            d.contentType = DraftDocument.PDF;
            d.sizeBytes = content.length;
            d.sha256 = sha256;
            d.uploadedBy = user.subject();
            d.uploadedAt = OffsetDateTime.now(clock);
            d.persist();
            documents.put(d.id, content);
            e.updatedAt = d.uploadedAt; // the agreement's view shows its latest document: a new ETag
            audit.record(PartnershipEvents.AGGREGATE, e.id.toString(), "DOCUMENT_UPLOADED", null,
                    Map.of("version", d.version, "sha256", sha256, "sizeBytes", d.sizeBytes, "fileName", fileName));
            return Response.created(Locations.of(uriInfo, "agreements", e.id, "documents", d.version, "content"))
                    .entity(DocumentView.of(d)).build();
        });
    }

    @GET
    @Path("/{id}/documents")
    @Operation(operationId = "listDraftDocuments", summary = "Every version of the agreement's draft document, newest first")
    @APIResponse(responseCode = "200", description = "The versions", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = DocumentView.class)))
    public List<DocumentView> listDocuments(
            @PathParam("id") @Pattern(regexp = ID_PATTERN, message = "must be a UUID") String id) {
        AgreementEntity e = service.load(UUID.fromString(id));
        return DocumentEntity.<DocumentEntity> find("agreementId = ?1 order by version desc", e.id).stream()
                .map(DocumentView::of).toList();
    }

    @GET
    @Path("/{id}/documents/{version}/content")
    @Produces({ DraftDocument.PDF, "application/problem+json" })
    @Operation(operationId = "downloadDraftDocument", summary = "Download one version of the draft document (application/pdf)")
    @APIResponse(responseCode = "200", description = "The PDF; Repr-Digest carries its SHA-256", content = @Content(mediaType = DraftDocument.PDF, schema = @Schema(type = SchemaType.STRING, format = "binary")))
    public Response download(@PathParam("id") @Pattern(regexp = ID_PATTERN, message = "must be a UUID") String id,
            @PathParam("version") int version) {
        AgreementEntity e = service.load(UUID.fromString(id));
        DocumentEntity d = DocumentEntity.<DocumentEntity> find("agreementId = ?1 and version = ?2", e.id, version)
                .firstResult();
        if (d == null) {
            throw ProblemException.notFound("Document version", version);
        }
        byte[] content = documents.get(d.id).orElseThrow(() -> ProblemException.notFound("Document content", d.id));
        return Response.ok(content, DraftDocument.PDF)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + d.fileName + "\"")
                .header("Repr-Digest",
                        "sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(d.sha256)) + ":")
                .tag(d.sha256).build();
    }

    private Response ok(AgreementEntity e) {
        return Response.ok(AgreementView.of(e, DocumentEntity.latestOf(e.id))).tag(ETags.of(e.version)).build();
    }

    private static <E extends Enum<E>> E enumParam(String name, String value, Class<E> type) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(name, "must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    /** Keeps a file name safe to echo in Content-Disposition. */
    private static String safeName(String name) {
        String base = name == null || name.isBlank() ? "draft.pdf" : name.replaceAll("[^A-Za-z0-9._ -]", "_");
        return base.length() > 200 ? base.substring(0, 200) : base;
    }

    @Schema(name = "AgreementPage", requiredProperties = { "items", "page", "size", "totalItems", "totalPages" })
    public record AgreementPage(List<AgreementView> items, int page, int size, long totalItems, int totalPages) {
    }

    @Schema(name = "AuditPage", requiredProperties = { "items", "page", "size", "totalItems", "totalPages" })
    public record AuditPage(List<AuditEntry> items, int page, int size, long totalItems, int totalPages) {
    }
}
