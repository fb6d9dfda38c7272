package fr.actionlogement.territorial.observatory.api;

import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
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
import fr.actionlogement.territorial.buildingblocks.input.OptionalBody;
import fr.actionlogement.territorial.buildingblocks.input.Uploads;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;
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
import fr.actionlogement.territorial.observatory.persistence.StudyEntity;
import fr.actionlogement.territorial.observatory.persistence.StudyReportEntity;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.security.Authenticated;

@Path("/studies")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Needs studies", description = "Études de besoin launched by the CILs present on a territory (R-40..R-42)")
@Authenticated
public class StudyResource {

    static final String AGGREGATE = "NeedsStudy";
    /** Study reports are PDF files. */
    private static final List<String> REPORT_TYPES = List.of("application/pdf");
    private static final Map<String, String> SORTABLE = sortable();

    private final ReadModels readModels;
    private final ObservatoryEvents events;
    private final AuditLog audit;
    private final Idempotency idempotency;
    private final Callers callers;
    private final Clock clock;
    private final ObservatoryConfig config;

    @Context
    UriInfo uriInfo;

    StudyResource(ReadModels readModels, ObservatoryEvents events, AuditLog audit, Idempotency idempotency,
            Callers callers, Clock clock, ObservatoryConfig config) {
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
            Instant now = now();
            StudyEntity e = new StudyEntity();
            e.apply(study, now);
            e.regionCode = readModels.regionOf(territory);
            e.createdBy = callers.user().subject();
            e.createdAt = now;
            e.persist();
            audit.record(AGGREGATE, study.id().toString(), "PROPOSED", null, request);
            StudyEntity.flush();
            return Response.created(Locations.of(uriInfo, "studies", study.id())).tag(ETags.of(e.version))
                    .entity(StudyView.of(e)).build();
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
        StudyEntity.Filter filter = new StudyEntity.Filter(territoryId,
                status == null ? null : StudyStatus.valueOf(status), cilId);
        PanacheQuery<StudyEntity> query = StudyEntity.find(filter, callers.studyReader(), req.panacheSort("id"));
        List<StudyView> items = query.page(req.page(), req.size()).<StudyEntity> list().stream().map(StudyView::of)
                .toList();
        return Page.of(items, req, query.count()).toResponse(uri);
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getNeedsStudy", summary = "Read a needs study (ETag = version)")
    @APIResponse(responseCode = "200", description = "The study", content = @Content(schema = @Schema(implementation = StudyView.class)))
    public Response get(@PathParam("id") UUID id) {
        StudyEntity st = visible(id);
        return Response.ok(StudyView.of(st)).tag(ETags.of(st.version)).build();
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
        StudyEntity st = modifiable(id);
        ETags.requireMatch(ifMatch, st.version);
        checkShares(request);
        requireOwnCil(request.launchingCilIds());
        NeedsStudy.Terms terms = StudyModels.terms(request);
        requireOtherCilsUnchanged(st.toDomain(), terms);
        territory(request.territoryId());
        NeedsStudy next = st.toDomain().revise(terms, presentOn(request.territoryId()));
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
    public Response commission(@PathParam("id") UUID id,
            @RequestBody(required = false) @OptionalBody @Valid TransitionRequest request,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        StudyEntity st = modifiable(id);
        ETags.requireMatch(ifMatch, st.version);
        NeedsStudy next = st.toDomain().commission(LocalDate.now(clock));
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
        StudyEntity st = modifiable(id);
        ETags.requireMatch(ifMatch, st.version);
        NeedsStudy next = st.toDomain().deliver(request.resultsSummary().strip(), request.reportUri(), LocalDate.now(clock));
        return save(st, next, "DELIVERED", request.reason(), Map.of("resultsSummary", request.resultsSummary()));
    }

    @POST
    @Path("/{id}/publication")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.CIL })
    @Operation(operationId = "publishNeedsStudy", summary = "Publish a delivered study's results to every user (If-Match required)", description = "R-43: the parties share the lessons of studies. Publishes NeedsStudyPublished.")
    @APIResponse(responseCode = "200", description = "Published", content = @Content(schema = @Schema(implementation = StudyView.class)))
    public Response publish(@PathParam("id") UUID id,
            @RequestBody(required = false) @OptionalBody @Valid TransitionRequest request,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        StudyEntity st = modifiable(id);
        ETags.requireMatch(ifMatch, st.version);
        NeedsStudy next = st.toDomain().publish(LocalDate.now(clock));
        events.studyPublished(next, st.reportAttached);
        return save(st, next, "PUBLISHED", reason(request), null);
    }

    @PUT
    @Path("/{id}/report")
    @Consumes({ "application/pdf", MediaType.APPLICATION_OCTET_STREAM })
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.CIL })
    @Operation(operationId = "attachNeedsStudyReport", summary = "Attach the study's report file (If-Match required)", description = "A PDF (told by its first bytes, "
            + "whatever the Content-Type: anything else is a 415), at most observatory.study.max-report-bytes (413). "
            + "The caller's right is checked before the file is read.")
    @APIResponse(responseCode = "200", description = "Attached", content = @Content(schema = @Schema(implementation = StudyView.class)))
    public Response attachReport(@PathParam("id") UUID id, InputStream content,
            @QueryParam("fileName") @Pattern(regexp = "[\\w .()-]{1,120}", message = "must be a plain file name") String fileName,
            @Context HttpHeaders headers, @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        // Who may change the study, its version and state first: the body is read only for a caller who may attach.
        StudyEntity st = modifiable(id);
        ETags.requireMatch(ifMatch, st.version);
        if (st.toDomain().status() == StudyStatus.PROPOSED) {
            throw ProblemException.conflict("R-40", "a report is attached to a commissioned study");
        }
        // Content-Length is read here, not declared as a parameter: a client library sets it, not its caller.
        byte[] bytes = Uploads.readAtMost(content, headers.getHeaderString(HttpHeaders.CONTENT_LENGTH),
                config.study().maxReportBytes());
        String mediaType = Uploads.sniff(bytes, REPORT_TYPES);
        String name = fileName == null ? "report.pdf" : fileName;
        st.reportAttached = true;
        // the study first: a concurrent change fails its version check (412) before the file is written
        Response saved = save(st, st.toDomain(), "REPORT_ATTACHED", null, Map.of("fileName", name, "bytes", bytes.length));
        StudyReportEntity.attach(id, name, mediaType, bytes, st.updatedAt);
        StudyReportEntity.flush();
        return saved;
    }

    @GET
    @Path("/{id}/report")
    @Produces({ "application/pdf", MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON })
    @Operation(operationId = "getNeedsStudyReport", summary = "Download the study's report file")
    @APIResponse(responseCode = "200", description = "The file", content = @Content(mediaType = "application/octet-stream"))
    public Response report(@PathParam("id") UUID id) {
        visible(id);
        StudyReportEntity r = StudyReportEntity.<StudyReportEntity> findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("Report of study", id));
        return Response.ok(r.content, r.mediaType)
                .header("Content-Disposition", "attachment; filename=\"" + r.fileName + "\"").build();
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

    /** Writes the next state as a new revision; a change by another request since {@code st} was read fails it (412). */
    private Response save(StudyEntity st, NeedsStudy next, String action, String reason, Object details) {
        st.apply(next, now());
        audit.record(AGGREGATE, next.id().toString(), action, reason, details);
        st.flushRevision();
        return Response.ok(StudyView.of(st)).tag(ETags.of(st.version)).build();
    }

    /** PostgreSQL keeps microseconds: the response shows what a later read returns. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** Row-level read rule: what the caller may not see does not exist for it (404). */
    private StudyEntity visible(UUID id) {
        StudyEntity st = StudyEntity.<StudyEntity> findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("Needs study", id));
        StudyEntity.Reader r = callers.studyReader();
        NeedsStudy s = st.toDomain();
        boolean sees = r.all() || s.status() == StudyStatus.PUBLISHED
                || r.cilIds().stream().anyMatch(s::launchedBy) || r.partnerIds().stream().anyMatch(s::financedBy)
                || r.region() != null && r.region().equals(st.regionCode);
        if (!sees) {
            throw ProblemException.notFound("Needs study", id);
        }
        return st;
    }

    /** Only the UESL and the launching CILs change a study. */
    private StudyEntity modifiable(UUID id) {
        StudyEntity st = visible(id);
        if (callers.user().isUeslOrAdmin()) {
            return st;
        }
        String cil = callers.user().cilId().orElse(null);
        if (cil == null || !st.toDomain().launchedBy(cil)) {
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
        m.put("createdAt", "createdAt");
        m.put("title", "title");
        m.put("updatedAt", "updatedAt");
        return m;
    }
}
