package fr.actionlogement.territorial.conventions.api;

import java.util.List;

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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import fr.actionlogement.territorial.buildingblocks.api.ETags;
import fr.actionlogement.territorial.buildingblocks.api.Idempotency;
import fr.actionlogement.territorial.buildingblocks.api.Locations;
import fr.actionlogement.territorial.buildingblocks.api.Page;
import fr.actionlogement.territorial.buildingblocks.api.PageParams;
import fr.actionlogement.territorial.buildingblocks.api.PageRequest;
import fr.actionlogement.territorial.buildingblocks.audit.AuditEntry;
import fr.actionlogement.territorial.buildingblocks.audit.AuditLog;
import fr.actionlogement.territorial.buildingblocks.input.OptionalBody;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;
import fr.actionlogement.territorial.buildingblocks.security.Roles;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.AmendConvention;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.ConventionView;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.CostComparison;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.EvaluateConvention;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.ProposeConvention;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.RecordAchievement;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.RecordSignature;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.RecordUeslDecision;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.SignConvention;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.SignatureRecordedView;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.SignaturesView;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.TerminateConvention;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.Transition;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.VersionView;
import fr.actionlogement.territorial.conventions.domain.Achievement;
import fr.actionlogement.territorial.conventions.domain.Convention;
import fr.actionlogement.territorial.conventions.domain.ConventionContent;
import fr.actionlogement.territorial.conventions.domain.ConventionSnapshot;
import fr.actionlogement.territorial.conventions.domain.ReservationCostChange;
import fr.actionlogement.territorial.conventions.domain.UeslDecision;
import fr.actionlogement.territorial.conventions.persistence.ConventionEntity;
import fr.actionlogement.territorial.conventions.persistence.ConventionFilter;
import fr.actionlogement.territorial.conventions.persistence.ConventionVersionEntity;

@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Conventions", description = "Territorial conventions from proposal to evaluation (R-01..R-15)")
public class ConventionResource {

    private static final String ID = "{id: [0-9a-fA-F-]{36}}";

    @Inject
    ConventionService service;
    @Inject
    Access access;
    @Inject
    AuditLog audit;
    @Inject
    Idempotency idempotency;
    @Context
    UriInfo uriInfo;

    @POST
    @Transactional
    @RolesAllowed(Roles.DELEGUE_TERRITORIAL)
    @Operation(operationId = "proposeConvention", summary = "Propose a territory for a convention (délégué territorial of its region)")
    @RequestBody(content = @Content(schema = @Schema(implementation = ProposeConvention.class), examples = @ExampleObject(name = "Lyon", value = """
            {"campaignId":"2011-experimentation","territoryId":"EPCI:200046977","kind":"TERRITORIALE",
             "templateId":"charte-territoriale","templateVersion":1,"title":"Charte territoriale Métropole de Lyon"}""")))
    @APIResponse(responseCode = "201", description = "Proposed (DRAFT); Location and ETag set", content = @Content(schema = @Schema(implementation = ConventionView.class)))
    @APIResponse(responseCode = "422", description = "R-01 unknown or not an agglomeration, R-02 over the campaign's cap, R-04 template, R-15 conference not installed")
    public Response propose(@Valid @NotNull ProposeConvention request,
            @Parameter(description = "Makes a retry safe") @HeaderParam(Idempotency.HEADER) String key) {
        return idempotency.once(key, "proposeConvention", request, () -> created(service.propose(request)));
    }

    @GET
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.DELEGUE_TERRITORIAL, Roles.CIL, Roles.COLLECTIVITE })
    @Operation(operationId = "listConventions", summary = "List the conventions the caller may see, filtered and paginated")
    @APIResponse(responseCode = "200", description = "One page; Link rel=next/prev and X-Total-Count headers")
    public RestResponse<Page<ConventionView>> list(
            @QueryParam("territoryId") @Parameter(example = "EPCI:200046977") String territoryId,
            @QueryParam("status") @Pattern(regexp = "DRAFT|IN_NEGOTIATION|READY_FOR_SIGNATURE|SIGNED|EVALUATED|TERMINATED", message = "unknown status") String status,
            @QueryParam("cilId") @Parameter(description = "Conventions this CIL (or subsidiary) signs", example = "775574166") String cilId,
            @QueryParam("campaignId") String campaignId,
            @QueryParam("year") @Min(2000) @Max(2100) @Parameter(description = "Conventions whose period covers the year") Integer year,
            @Valid @BeanParam PageParams pageParams) {
        PageRequest page = PageRequest.of(pageParams, ConventionEntity.SORTABLE, "proposedAt");
        ConventionFilter filter = access.filter(territoryId, status, cilId, campaignId, year);
        List<ConventionView> items = ConventionEntity.search(filter, page).stream()
                .map(e -> ConventionView.of(e.toDomain())).toList();
        return Page.of(items, page, ConventionEntity.count(filter)).toRestResponse(uriInfo);
    }

    @GET
    @Path(ID)
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.DELEGUE_TERRITORIAL, Roles.CIL, Roles.COLLECTIVITE })
    @Operation(operationId = "getConvention", summary = "Read a convention, with objectives' progress (R-06)")
    @APIResponse(responseCode = "200", description = "The convention; ETag for If-Match", content = @Content(schema = @Schema(implementation = ConventionView.class)))
    @APIResponse(responseCode = "404", description = "Unknown, or not visible to the caller")
    public Response get(@PathParam("id") String id) {
        return ok(service.get(id));
    }

    @PUT
    @Path(ID + "/content")
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.DELEGUE_TERRITORIAL })
    @Operation(operationId = "reviseConventionContent", summary = "Replace the negotiated content before signature (sections, devices, objectives, signatories, commitments, costs, communication plan, partners, actions)")
    @RequestBody(content = @Content(schema = @Schema(implementation = ConventionContent.class), examples = @ExampleObject(name = "charter", value = ConventionExamples.CONTENT)))
    @APIResponse(responseCode = "200", description = "Revised", content = @Content(schema = @Schema(implementation = ConventionView.class)))
    @APIResponse(responseCode = "422", description = "R-06, R-07, R-10, R-13, R-15 refusals")
    public Response revise(@PathParam("id") String id, @NotNull ConventionContent content,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        return ok(service.revise(id, ifMatch, content));
    }

    @POST
    @Path(ID + "/negotiation")
    @RolesAllowed({ Roles.UESL, Roles.ADMIN })
    @Operation(operationId = "startConventionNegotiation", summary = "DRAFT → IN_NEGOTIATION in the regional conference (R-03)")
    @APIResponse(responseCode = "200", description = "In negotiation", content = @Content(schema = @Schema(implementation = ConventionView.class)))
    public Response startNegotiation(@PathParam("id") String id,
            @RequestBody(required = false) @OptionalBody @Valid Transition body,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        return ok(service.startNegotiation(id, ifMatch, reason(body)));
    }

    @POST
    @Path(ID + "/submission")
    @RolesAllowed({ Roles.UESL, Roles.ADMIN })
    @Operation(operationId = "submitConventionForSignature", summary = "IN_NEGOTIATION → READY_FOR_SIGNATURE once complete (R-05, R-07..R-10, R-12, R-13, R-15)")
    @APIResponse(responseCode = "200", description = "Ready for signature; ConventionSubmittedForSignature published", content = @Content(schema = @Schema(implementation = ConventionView.class)))
    public Response submit(@PathParam("id") String id, @RequestBody(required = false) @OptionalBody @Valid Transition body,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        return ok(service.submitForSignature(id, ifMatch, reason(body)));
    }

    @POST
    @Path(ID + "/return-to-negotiation")
    @RolesAllowed({ Roles.UESL, Roles.ADMIN })
    @Operation(operationId = "returnConventionToNegotiation", summary = "READY_FOR_SIGNATURE → IN_NEGOTIATION")
    @APIResponse(responseCode = "200", description = "Back in negotiation", content = @Content(schema = @Schema(implementation = ConventionView.class)))
    public Response returnToNegotiation(@PathParam("id") String id,
            @RequestBody(required = false) @OptionalBody @Valid Transition body,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        return ok(service.returnToNegotiation(id, ifMatch, reason(body)));
    }

    @POST
    @Path(ID + "/signature")
    @RolesAllowed({ Roles.UESL, Roles.ADMIN })
    @Operation(operationId = "signConvention", summary = "READY_FOR_SIGNATURE → SIGNED (rules checked again; R-11 cost rise justified)")
    @RequestBody(required = false, content = @Content(schema = @Schema(implementation = SignConvention.class), examples = @ExampleObject(name = "sign", value = """
            {"signedOn":"2011-06-30","reason":"Signature en présence du préfet"}""")))
    @APIResponse(responseCode = "200", description = "Signed (version 1 recorded); ConventionSigned published", content = @Content(schema = @Schema(implementation = ConventionView.class)))
    public Response sign(@PathParam("id") String id, @OptionalBody @Valid SignConvention body,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        return ok(service.sign(id, ifMatch, body == null ? new SignConvention(null, null, null) : body));
    }

    @POST
    @Path(ID + "/signatures")
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.CIL, Roles.COLLECTIVITE })
    @Operation(operationId = "recordConventionSignature", summary = "One party signs a convention ready for signature; the last required signature makes it SIGNED (R-07, R-08, R-14)", description = "A CIL (or subsidiary) user signs for its own CIL, an authority user for its own authority; the UESL (or an admin) signs for the UESL and records any other party's signature on its behalf (onBehalf). No date in the future. When every listed signatory has signed, the rules are checked again at the latest signature's date (R-07 presence on that date, R-11) and the convention becomes SIGNED, dated by it; ConventionSigned carries the signatures.")
    @RequestBody(content = @Content(schema = @Schema(implementation = RecordSignature.class), examples = @ExampleObject(name = "CIL", value = """
            {"partyType":"CIL","partyId":"775574166","signedOn":"2011-06-28"}""")))
    @APIResponse(responseCode = "201", description = "Recorded; Location is the convention's signatures; the convention's ETag", content = @Content(schema = @Schema(implementation = SignatureRecordedView.class)))
    @APIResponse(responseCode = "409", description = "R-14: not ready for signature, or this party already signed")
    @APIResponse(responseCode = "422", description = "R-14 date in the future; R-07 not a signatory; with the last signature, any rule checked at signature")
    public Response recordSignature(@PathParam("id") String id, @Valid @NotNull RecordSignature body,
            @Parameter(description = "Makes a retry safe") @HeaderParam(Idempotency.HEADER) String key) {
        return idempotency.once(key, "recordConventionSignature:" + id, body, () -> {
            var outcome = service.recordSignature(id, body);
            Convention c = outcome.convention().toDomain();
            return Response.created(Locations.of(uriInfo, id, "signatures")).tag(ETags.of(outcome.convention().version))
                    .entity(new SignatureRecordedView(outcome.signature(), c.status(), c.signedOn(),
                            c.missingSignatories()))
                    .build();
        });
    }

    @GET
    @Path(ID + "/signatures")
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.DELEGUE_TERRITORIAL, Roles.CIL, Roles.COLLECTIVITE })
    @Operation(operationId = "getConventionSignatures", summary = "Required signatories, signatures recorded and awaited (R-14)")
    @APIResponse(responseCode = "200", description = "The signatures", content = @Content(schema = @Schema(implementation = SignaturesView.class)))
    public SignaturesView signatures(@PathParam("id") String id) {
        return SignaturesView.of(service.get(id).convention());
    }

    @POST
    @Path(ID + "/uesl-decisions")
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN })
    @Operation(operationId = "recordUeslDecision", summary = "Record a decision of the UESL: a concertation admitting a signatory (R-07) or its request to sign (R-08)", description = "UESL users only (403 otherwise). The rules read these records: R-07 admits a CIL not present on the territory, its subsidiary, Foncière Logement or APAGL with a concertation naming it; R-08 requires the UESL's signature while its latest decision on signing is a request. Shown in the convention's history and in ueslDecisions.")
    @RequestBody(content = @Content(schema = @Schema(implementation = RecordUeslDecision.class), examples = @ExampleObject(name = "concertation", value = """
            {"type":"CONCERTATION","partyType":"APAGL","partyId":"APAGL","reasons":"GRL sur le territoire","decidedOn":"2011-05-12"}""")))
    @APIResponse(responseCode = "201", description = "Recorded; Location is the convention's decisions; the convention's ETag", content = @Content(schema = @Schema(implementation = UeslDecision.class)))
    @APIResponse(responseCode = "409", description = "Not while the convention awaits its signatures, nor once closed")
    @APIResponse(responseCode = "422", description = "R-07/R-08: a date in the future, a concertation for a party that needs none")
    public Response recordUeslDecision(@PathParam("id") String id, @Valid @NotNull RecordUeslDecision body,
            @Parameter(description = "Makes a retry safe") @HeaderParam(Idempotency.HEADER) String key) {
        return idempotency.once(key, "recordUeslDecision:" + id, body, () -> {
            var outcome = service.recordUeslDecision(id, body);
            return Response.created(Locations.of(uriInfo, id, "uesl-decisions"))
                    .tag(ETags.of(outcome.version())).entity(outcome.decision()).build();
        });
    }

    @GET
    @Path(ID + "/uesl-decisions")
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.DELEGUE_TERRITORIAL, Roles.CIL, Roles.COLLECTIVITE })
    @Operation(operationId = "listUeslDecisions", summary = "The UESL's recorded decisions on a convention, oldest first (R-07, R-08)")
    @APIResponse(responseCode = "200", description = "The decisions", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = UeslDecision.class)))
    public List<UeslDecision> ueslDecisions(@PathParam("id") String id) {
        return service.get(id).convention().ueslDecisions();
    }

    @POST
    @Path(ID + "/amendments")
    @RolesAllowed({ Roles.UESL, Roles.ADMIN })
    @Operation(operationId = "amendConvention", summary = "Amend a signed convention (avenant): a new version; the previous stays readable (R-14)")
    @APIResponse(responseCode = "200", description = "Amended; ConventionAmended published", content = @Content(schema = @Schema(implementation = ConventionView.class)))
    public Response amend(@PathParam("id") String id, @Valid @NotNull AmendConvention body,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        return ok(service.amend(id, ifMatch, body));
    }

    @POST
    @Path(ID + "/evaluation")
    @RolesAllowed({ Roles.UESL, Roles.ADMIN })
    @Operation(operationId = "evaluateConvention", summary = "SIGNED → EVALUATED: objectives against achievements")
    @APIResponse(responseCode = "200", description = "Evaluated; ConventionEvaluated published", content = @Content(schema = @Schema(implementation = ConventionView.class)))
    public Response evaluate(@PathParam("id") String id, @Valid @NotNull EvaluateConvention body,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        return ok(service.evaluate(id, ifMatch, body));
    }

    @POST
    @Path(ID + "/termination")
    @RolesAllowed({ Roles.UESL, Roles.ADMIN })
    @Operation(operationId = "terminateConvention", summary = "SIGNED → TERMINATED")
    @APIResponse(responseCode = "200", description = "Terminated; ConventionTerminated published", content = @Content(schema = @Schema(implementation = ConventionView.class)))
    public Response terminate(@PathParam("id") String id, @Valid @NotNull TerminateConvention body,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        return ok(service.terminate(id, ifMatch, body));
    }

    @POST
    @Path(ID + "/objectives/{objectiveId}/achievements")
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.CIL })
    @Operation(operationId = "recordAchievement", summary = "Record a réalisation against an objective of a signed convention (R-06)")
    @RequestBody(content = @Content(schema = @Schema(implementation = RecordAchievement.class), examples = @ExampleObject(name = "2012", value = """
            {"value":120,"recordedOn":"2012-12-31","note":"Logements PLUS livrés"}""")))
    @APIResponse(responseCode = "201", description = "Recorded; AchievementRecorded published", content = @Content(schema = @Schema(implementation = Achievement.class)))
    public Response recordAchievement(@PathParam("id") String id, @PathParam("objectiveId") String objectiveId,
            @Valid @NotNull RecordAchievement body, @HeaderParam(Idempotency.HEADER) String key) {
        return idempotency.once(key, "recordAchievement:" + id + ":" + objectiveId, body, () -> {
            Achievement a = service.recordAchievement(id, objectiveId, body);
            return Response.created(Locations.of(uriInfo, id, "objectives", objectiveId,
                    "achievements", a.achievementId())).entity(a).build();
        });
    }

    @GET
    @Path(ID + "/versions")
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.DELEGUE_TERRITORIAL, Roles.CIL, Roles.COLLECTIVITE })
    @Operation(operationId = "listConventionVersions", summary = "The signed versions: the signature, then each amendment (R-14)")
    @APIResponse(responseCode = "200", description = "Versions, oldest first", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = VersionView.class)))
    public List<VersionView> versions(@PathParam("id") String id) {
        service.get(id);
        return ConventionVersionEntity.of(id).stream().map(ConventionResource::version).toList();
    }

    @GET
    @Path(ID + "/versions/{version}")
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.DELEGUE_TERRITORIAL, Roles.CIL, Roles.COLLECTIVITE })
    @Operation(operationId = "getConventionVersion", summary = "One signed version, as it was (R-14)")
    @APIResponse(responseCode = "200", description = "The version", content = @Content(schema = @Schema(implementation = VersionView.class)))
    public VersionView version(@PathParam("id") String id, @PathParam("version") @Min(1) int version) {
        service.get(id);
        return ConventionVersionEntity.of(id, version).map(ConventionResource::version)
                .orElseThrow(() -> ProblemException.notFound("Version", version));
    }

    @GET
    @Path(ID + "/reservation-costs")
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.DELEGUE_TERRITORIAL, Roles.CIL, Roles.COLLECTIVITE })
    @Operation(operationId = "compareReservationCosts", summary = "Reservation costs against the territory's previous convention (R-11)")
    @APIResponse(responseCode = "200", description = "Per category: previous, current, change, trend", content = @Content(schema = @Schema(implementation = CostComparison.class)))
    public CostComparison reservationCosts(@PathParam("id") String id) {
        Convention c = service.get(id).convention();
        // The previous convention's costs only for a caller who may read that convention too (its parties may differ).
        var previous = ConventionEntity.previousSigned(c.territoryId(), c.conventionId(), c.signedOn())
                .filter(p -> access.canSee(Convention.restore(p)));
        return new CostComparison(c.conventionId(), previous.map(ConventionSnapshot::conventionId).orElse(null),
                previous.map(ConventionSnapshot::signedOn).orElse(null),
                ReservationCostChange.compare(c.content().reservationCosts(),
                        previous.map(p -> p.content().reservationCosts()).orElse(List.of())));
    }

    @GET
    @Path(ID + "/history")
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.DELEGUE_TERRITORIAL, Roles.CIL, Roles.COLLECTIVITE })
    @Operation(operationId = "getConventionHistory", summary = "Audited changes: who, when, what, why (R-14)")
    @APIResponse(responseCode = "200", description = "One page of audit entries, oldest first")
    public RestResponse<Page<AuditEntry>> history(@PathParam("id") String id, @Valid @BeanParam PageParams pageParams) {
        service.get(id);
        return audit.history(ConventionService.AGGREGATE, id, pageParams)
                .toRestResponse(uriInfo);
    }

    private static VersionView version(ConventionVersionEntity v) {
        return new VersionView(v.version, v.recordedAt, v.recordedBy, v.reason,
                ConventionView.of(Convention.restore(v.document)));
    }

    private static String reason(Transition body) {
        return body == null ? null : body.reason();
    }

    private static Response ok(ConventionEntity.Read read) {
        return Response.ok(ConventionView.of(read.convention())).tag(ETags.of(read.version())).build();
    }

    private static Response ok(ConventionEntity e) {
        return Response.ok(ConventionView.of(e.toDomain())).tag(ETags.of(e.version)).build();
    }

    private Response created(ConventionEntity e) {
        return Response.created(Locations.of(uriInfo, e.id)).tag(ETags.of(e.version))
                .entity(ConventionView.of(e.toDomain())).build();
    }
}
