package fr.actionlogement.territorial.observatory.api;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import jakarta.annotation.security.RolesAllowed;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
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
import fr.actionlogement.territorial.buildingblocks.input.OptionalBody;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemType;
import fr.actionlogement.territorial.buildingblocks.security.Roles;
import fr.actionlogement.territorial.observatory.api.StudyModels.DeliveryRequest;
import fr.actionlogement.territorial.observatory.api.StudyModels.StudyRequest;
import fr.actionlogement.territorial.observatory.api.StudyModels.StudyView;
import fr.actionlogement.territorial.observatory.api.StudyModels.TransitionRequest;
import fr.actionlogement.territorial.observatory.config.ObservatoryConfig;
import fr.actionlogement.territorial.observatory.domain.FinancingShare;
import fr.actionlogement.territorial.observatory.domain.NeedsStudy;
import fr.actionlogement.territorial.observatory.domain.PartnerType;
import fr.actionlogement.territorial.observatory.domain.StudyStatus;
import fr.actionlogement.territorial.observatory.messaging.ObservatoryEvents;
import fr.actionlogement.territorial.observatory.persistence.ReadModels;
import fr.actionlogement.territorial.observatory.persistence.StudyRepository;
import io.quarkus.security.Authenticated;

@Path("/studies")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Needs studies", description = "Études de besoin launched by the CILs present on a territory (R-40..R-42)")
@Authenticated
public class StudyResource {

    static final String AGGREGATE = "NeedsStudy";
    private static final Map<String, String> SORTABLE = sortable();

    private final StudyRepository studies;
    private final ReadModels readModels;
    private final ObservatoryEvents events;
    private final AuditLog audit;
    private final Idempotency idempotency;
    private final Callers callers;
    private final Clock clock;
    private final ObservatoryConfig config;

    @Context
    UriInfo uriInfo;

    StudyResource(StudyRepository studies, ReadModels readModels, ObservatoryEvents events, AuditLog audit,
            Idempotency idempotency, Callers callers, Clock clock, ObservatoryConfig config) {
        this.studies = studies;
        this.readModels = readModels;
        this.events = events;
        this.audit = audit;
        this.idempotency = idempotency;
        this.callers = callers;
        this.clock = clock;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.CIL })
    @Operation(operationId = "proposeNeedsStudy", summary = "Propose a needs study", description = "R-40: launched by CILs present on the territory (a CIL user launches in its own CIL's name). "
            + "R-41: CIL financing needs a stated operational interest; shares never exceed the cost. "
            + "R-42: at least one source. Honours Idempotency-Key.")
    @APIResponse(responseCode = "201", description = "Proposed", content = @Content(schema = @Schema(implementation = StudyView.class)))
    public Response propose(@Valid @NotNull StudyRequest request,
            @Parameter(description = "Makes a retry safe: the same key replays the first response") @HeaderParam(Idempotency.HEADER) String key) {
        return idempotency.once(key, "proposeNeedsStudy", request, () -> {
            checkShares(request);
            requireOwnCil(request.launchingCilIds());
            ReadModels.Territory territory = territory(request.territoryId());
            NeedsStudy study = NeedsStudy.propose(UUID.randomUUID(), StudyModels.terms(request),
                    presentOn(request.territoryId()));
            Instant now = clock.instant();
            studies.insert(study, readModels.regionOf(territory), callers.user().subject(), now);
            audit.record(AGGREGATE, study.id().toString(), "PROPOSED", null, request);
            StudyRepository.Stored stored = studies.find(study.id()).orElseThrow();
            return Response.created(Locations.of(uriInfo, "studies", study.id())).tag(ETags.of(0))
                    .entity(StudyView.of(stored)).build();
        });
    }

    @GET
    @Operation(operationId = "listNeedsStudies", summary = "List the needs studies the caller may see", description = "UESL: all; a CIL: its own and the published ones; a collectivité: those it co-finances and the "
            + "published ones; a délégué: those of its région and the published ones; an observer: the published ones.")
    @APIResponse(responseCode = "200", description = "One page", content = @Content(schema = @Schema(implementation = StudyPage.class)))
    public Response list(@Valid @BeanParam PageParams page,
            @QueryParam("territoryId") @Pattern(regexp = StudyModels.TERRITORY_ID, message = "must be KIND:code") String territoryId,
            @QueryParam("status") @Pattern(regexp = "PROPOSED|COMMISSIONED|DELIVERED|PUBLISHED", message = "must be PROPOSED, COMMISSIONED, DELIVERED or PUBLISHED") String status,
            @QueryParam("cilId") @Pattern(regexp = "[0-9]{9}", message = "must be a SIREN") String cilId,
            @Context UriInfo uri) {
        PageRequest req = PageRequest.of(page, SORTABLE, "createdAt,desc");
        StudyRepository.Filter filter = new StudyRepository.Filter(territoryId,
                status == null ? null : StudyStatus.valueOf(status), cilId);
        StudyRepository.Reader reader = callers.studyReader();
        List<StudyView> items = studies.list(filter, reader, req.sortColumn(), req.descending(), req.size(), req.offset())
                .stream().map(StudyView::of).toList();
        return Page.of(items, req, studies.count(filter, reader)).toResponse(uri);
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getNeedsStudy", summary = "Read a needs study (ETag = version)")
    @APIResponse(responseCode = "200", description = "The study", content = @Content(schema = @Schema(implementation = StudyView.class)))
    public Response get(@PathParam("id") UUID id) {
        StudyRepository.Stored st = visible(id);
        return Response.ok(StudyView.of(st)).tag(ETags.of(st.version())).build();
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.CIL })
    @Operation(operationId = "reviseNeedsStudy", summary = "Revise a proposed study (If-Match required)")
    @APIResponse(responseCode = "200", description = "Revised", content = @Content(schema = @Schema(implementation = StudyView.class)))
    public Response revise(@PathParam("id") UUID id, @Valid @NotNull StudyRequest request,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        StudyRepository.Stored st = modifiable(id);
        ETags.requireMatch(ifMatch, st.version());
        checkShares(request);
        requireOwnCil(request.launchingCilIds());
        NeedsStudy.Terms terms = StudyModels.terms(request);
        requireOtherCilsUnchanged(st.study(), terms);
        territory(request.territoryId());
        NeedsStudy next = st.study().revise(terms, presentOn(request.territoryId()));
        return save(st, next, "REVISED", null, request);
    }

    @POST
    @Path("/{id}/commission")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.CIL })
    @Operation(operationId = "commissionNeedsStudy", summary = "Commission a proposed study (If-Match required)", description = "R-41: the financing shares must add up to the cost, and CIL money needs a stated operational "
            + "interest. Publishes NeedsStudyCommissioned.")
    @APIResponse(responseCode = "200", description = "Commissioned", content = @Content(schema = @Schema(implementation = StudyView.class)))
    public Response commission(@PathParam("id") UUID id, @OptionalBody @Valid TransitionRequest request,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        StudyRepository.Stored st = modifiable(id);
        ETags.requireMatch(ifMatch, st.version());
        NeedsStudy next = st.study().commission(LocalDate.now(clock));
        events.studyCommissioned(next);
        return save(st, next, "COMMISSIONED", reason(request), null);
    }

    @POST
    @Path("/{id}/delivery")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.CIL })
    @Operation(operationId = "deliverNeedsStudy", summary = "Record the results of a commissioned study (If-Match required)")
    @APIResponse(responseCode = "200", description = "Delivered", content = @Content(schema = @Schema(implementation = StudyView.class)))
    public Response deliver(@PathParam("id") UUID id, @Valid @NotNull DeliveryRequest request,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        StudyRepository.Stored st = modifiable(id);
        ETags.requireMatch(ifMatch, st.version());
        NeedsStudy next = st.study().deliver(request.resultsSummary().strip(), request.reportUri(), LocalDate.now(clock));
        return save(st, next, "DELIVERED", request.reason(), Map.of("resultsSummary", request.resultsSummary()));
    }

    @POST
    @Path("/{id}/publication")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.CIL })
    @Operation(operationId = "publishNeedsStudy", summary = "Publish a delivered study's results to every user (If-Match required)", description = "R-43: the parties share the lessons of studies. Publishes NeedsStudyPublished.")
    @APIResponse(responseCode = "200", description = "Published", content = @Content(schema = @Schema(implementation = StudyView.class)))
    public Response publish(@PathParam("id") UUID id, @OptionalBody @Valid TransitionRequest request,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        StudyRepository.Stored st = modifiable(id);
        ETags.requireMatch(ifMatch, st.version());
        NeedsStudy next = st.study().publish(LocalDate.now(clock));
        events.studyPublished(next, st.reportAttached());
        return save(st, next, "PUBLISHED", reason(request), null);
    }

    @PUT
    @Path("/{id}/report")
    @Consumes({ "application/pdf", MediaType.APPLICATION_OCTET_STREAM })
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.CIL })
    @Operation(operationId = "attachNeedsStudyReport", summary = "Attach the study's report file (If-Match required)")
    @APIResponse(responseCode = "200", description = "Attached", content = @Content(schema = @Schema(implementation = StudyView.class)))
    public Response attachReport(@PathParam("id") UUID id, byte[] content,
            @QueryParam("fileName") @Pattern(regexp = "[\\w .()-]{1,120}", message = "must be a plain file name") String fileName,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String mediaType, @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        StudyRepository.Stored st = modifiable(id);
        ETags.requireMatch(ifMatch, st.version());
        if (content == null || content.length == 0) {
            throw ProblemException.invalid("body", "the report file is empty");
        }
        if (content.length > config.study().maxReportBytes()) {
            throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE,
                    "the report exceeds " + config.study().maxReportBytes() + " bytes");
        }
        if (st.study().status() == StudyStatus.PROPOSED) {
            throw ProblemException.conflict("R-40", "a report is attached to a commissioned study");
        }
        String name = fileName == null ? "report.pdf" : fileName;
        studies.attachReport(id, name, mediaType == null ? MediaType.APPLICATION_OCTET_STREAM : mediaType, content);
        return save(st, st.study(), "REPORT_ATTACHED", null, Map.of("fileName", name, "bytes", content.length));
    }

    @GET
    @Path("/{id}/report")
    @Produces({ "application/pdf", MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON })
    @Operation(operationId = "getNeedsStudyReport", summary = "Download the study's report file")
    @APIResponse(responseCode = "200", description = "The file", content = @Content(mediaType = "application/octet-stream"))
    public Response report(@PathParam("id") UUID id) {
        visible(id);
        StudyRepository.Report r = studies.report(id).orElseThrow(() -> ProblemException.notFound("Report of study", id));
        return Response.ok(r.content(), r.mediaType())
                .header("Content-Disposition", "attachment; filename=\"" + r.fileName() + "\"").build();
    }

    @GET
    @Path("/{id}/history")
    @Operation(operationId = "getNeedsStudyHistory", summary = "Audit trail of a study: who, when, what, why")
    @APIResponse(responseCode = "200", description = "One page of audit entries", content = @Content(schema = @Schema(implementation = AuditPage.class)))
    public Response history(@PathParam("id") UUID id, @Valid @BeanParam PageParams page) {
        visible(id);
        return Response.ok(audit.history(AGGREGATE, id.toString(), page))
                .build();
    }

    @Schema(name = "NeedsStudyPage", requiredProperties = { "items", "page", "size", "totalItems", "totalPages" })
    public static class StudyPage {
        public List<StudyView> items;
        public int page;
        public int size;
        public long totalItems;
        public int totalPages;
    }

    @Schema(name = "AuditPage", requiredProperties = { "items", "page", "size", "totalItems", "totalPages" })
    public static class AuditPage {
        public List<AuditEntry> items;
        public int page;
        public int size;
        public long totalItems;
        public int totalPages;
    }

    private Response save(StudyRepository.Stored st, NeedsStudy next, String action, String reason, Object details) {
        if (!studies.update(next, st.version(), clock.instant())) {
            throw new ProblemException(ProblemType.PRECONDITION_FAILED,
                    "the study was changed by another request; read it again and retry with its new ETag");
        }
        audit.record(AGGREGATE, next.id().toString(), action, reason, details);
        StudyRepository.Stored saved = studies.find(next.id()).orElseThrow();
        return Response.ok(StudyView.of(saved)).tag(ETags.of(saved.version())).build();
    }

    /** Row-level read rule: what the caller may not see does not exist for it (404). */
    private StudyRepository.Stored visible(UUID id) {
        StudyRepository.Stored st = studies.find(id).orElseThrow(() -> ProblemException.notFound("Needs study", id));
        StudyRepository.Reader r = callers.studyReader();
        NeedsStudy s = st.study();
        boolean sees = r.all() || s.status() == StudyStatus.PUBLISHED
                || r.cilIds().stream().anyMatch(s::launchedBy) || r.partnerIds().stream().anyMatch(s::financedBy)
                || r.region() != null && r.region().equals(st.regionCode());
        if (!sees) {
            throw ProblemException.notFound("Needs study", id);
        }
        return st;
    }

    /** Only the UESL and the launching CILs change a study. */
    private StudyRepository.Stored modifiable(UUID id) {
        StudyRepository.Stored st = visible(id);
        if (callers.user().isUeslOrAdmin()) {
            return st;
        }
        String cil = callers.user().cilId().orElse(null);
        if (cil == null || !st.study().launchedBy(cil)) {
            throw ProblemException.forbidden("only the UESL and the launching CILs change a needs study");
        }
        return st;
    }

    private void requireOwnCil(List<String> launching) {
        if (callers.user().isUeslOrAdmin()) {
            return;
        }
        String cil = callers.user().cilId().orElse(null);
        if (cil == null || !launching.contains(cil)) {
            throw ProblemException.forbidden("a CIL user launches studies in its own CIL's name (cil_id claim)");
        }
    }

    /**
     * A launching CIL revises the study for itself: whether another CIL launches it, and what that CIL pays, are
     * changed only by that CIL or by the UESL.
     */
    private void requireOtherCilsUnchanged(NeedsStudy current, NeedsStudy.Terms next) {
        if (callers.user().isUeslOrAdmin()) {
            return;
        }
        String own = callers.user().cilId().orElse("");
        Predicate<String> other = cil -> !own.equals(cil);
        Set<String> launchingBefore = current.launchingCilIds().stream().filter(other).collect(Collectors.toSet());
        Set<String> launchingAfter = next.launchingCilIds().stream().filter(other).collect(Collectors.toSet());
        if (!launchingBefore.equals(launchingAfter)) {
            throw ProblemException.forbidden("only a CIL itself or the UESL adds or removes it as a launching CIL");
        }
        if (!otherCilShares(current.financing(), other).equals(otherCilShares(next.financing(), other))) {
            throw ProblemException.forbidden("only a CIL itself or the UESL changes that CIL's financing share");
        }
    }

    private static Set<List<Object>> otherCilShares(List<FinancingShare> shares, Predicate<String> other) {
        return shares.stream().filter(f -> f.partnerType() == PartnerType.CIL && other.test(f.partnerId()))
                .map(f -> List.<Object> of(f.partnerId(), f.amount().stripTrailingZeros()))
                .collect(Collectors.toSet());
    }

    private static void checkShares(StudyRequest r) {
        for (int i = 0; i < r.financing().size(); i++) {
            var f = r.financing().get(i);
            if (f.partnerType() == PartnerType.CIL && (f.partnerId() == null || !f.partnerId().matches("[0-9]{9}"))) {
                throw ProblemException.invalid("financing[" + i + "].partnerId", "a CIL share names the CIL's SIREN");
            }
        }
    }

    private ReadModels.Territory territory(String territoryId) {
        return readModels.territory(territoryId).orElseThrow(() -> ProblemException.rule("R-40",
                "territory " + territoryId + " is not in the territory reference"));
    }

    private Predicate<String> presentOn(String territoryId) {
        LocalDate today = LocalDate.now(clock);
        boolean related = config.study().presenceIncludesRelatedTerritories();
        return cil -> readModels.cilPresent(cil, territoryId, today, related);
    }

    private static String reason(TransitionRequest r) {
        return r == null ? null : r.reason();
    }

    private static Map<String, String> sortable() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("createdAt", "created_at");
        m.put("title", "title");
        m.put("updatedAt", "updated_at");
        return m;
    }
}
