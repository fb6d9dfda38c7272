package fr.actionlogement.territorial.territories.api;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
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
import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;
import fr.actionlogement.territorial.buildingblocks.security.Roles;
import fr.actionlogement.territorial.territories.domain.College;
import fr.actionlogement.territorial.territories.domain.ProgrammingWork;
import fr.actionlogement.territorial.territories.domain.TerritorialConference;
import fr.actionlogement.territorial.territories.persistence.ConferenceService;
import io.quarkus.security.Authenticated;

/** framework protocols, conférences territoriales and their programming work. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Conferences", description = "Framework protocols, conférences territoriales, deadlines, programming work (R-32, R-33)")
public class ConferenceResource {

    private static final Map<String, String> SORTS = Map.of("deadline", "deadline", "id", "id", "basin", "basinId");

    @Schema(name = "ProtocolRequest")
    public record ProtocolRequest(
            @NotBlank @Pattern(regexp = "[a-z0-9-]{3,60}", message = "lower-case letters, digits and '-'") @Schema(examples = "protocole-cadre-2016") String id,
            @NotBlank @Size(max = 300) String title,
            @NotNull @Schema(examples = "2016-03-01") LocalDate signedOn,
            @NotNull LocalDate periodStart,
            @NotNull LocalDate periodEnd,
            @NotEmpty @Size(max = 20) List<@NotBlank @Size(max = 100) String> parties,
            @NotEmpty @Size(max = 5) List<@Valid WaveRequest> waves) {
    }

    @Schema(name = "WaveRequest")
    public record WaveRequest(@jakarta.validation.constraints.Min(1) @jakarta.validation.constraints.Max(2) int wave,
            @NotBlank @Size(max = 200) String label, @NotNull LocalDate startsOn) {
    }

    @Schema(name = "InstallationRequest")
    public record InstallationRequest(
            @NotNull @Schema(examples = "2013-11-15") LocalDate installedOn,
            @NotEmpty @Size(max = 50) List<@Valid MemberRequest> members,
            @Size(max = 500) String reason) {
    }

    @Schema(name = "MemberRequest")
    public record MemberRequest(@NotBlank @Size(max = 200) @Schema(examples = "MEDEF Rhône") String organisation,
            @NotNull College college) {
    }

    @Schema(name = "ProgrammingWorkRequest")
    public record WorkRequest(@NotNull ProgrammingWork.DocumentType documentType,
            @NotBlank @Size(max = 300) @Schema(examples = "PLH 2019-2024 de la Métropole de Lyon") String title,
            @NotBlank @Pattern(regexp = "\\d{9}|\\d{5}|2[AB]\\d{3}", message = "a SIREN or an INSEE commune code") @Schema(examples = "200046977") String authorityId,
            @NotBlank @Size(max = 200) @Schema(examples = "Métropole de Lyon") String authorityName,
            LocalDate periodStart, LocalDate periodEnd,
            @NotNull @Schema(examples = "2014-02-01") LocalDate associatedOn,
            ProgrammingWork.Status status) {

        ConferenceService.WorkCommand command() {
            return new ConferenceService.WorkCommand(documentType, title, authorityId, authorityName, periodStart,
                    periodEnd, associatedOn, status);
        }
    }

    @Schema(name = "ConferencePage", requiredProperties = { "items", "page", "size", "totalItems", "totalPages" })
    public record ConferencePage(List<ConferenceService.ConferenceView> items, int page, int size, long totalItems,
            int totalPages) {
    }

    private final ConferenceService conferences;
    private final Idempotency idempotency;
    private final AuditLog audit;

    @Context
    UriInfo uriInfo;

    ConferenceResource(ConferenceService conferences, Idempotency idempotency, AuditLog audit) {
        this.conferences = conferences;
        this.idempotency = idempotency;
        this.audit = audit;
    }

    @GET
    @Path("protocols")
    @Authenticated
    @Operation(operationId = "listProtocols", summary = "List framework protocols with their waves")
    @APIResponse(responseCode = "200", description = "Every protocol, oldest first")
    public List<ConferenceService.ProtocolView> protocols() {
        return conferences.protocols();
    }

    @GET
    @Path("protocols/{id}")
    @Authenticated
    @Operation(operationId = "getProtocol", summary = "Read a framework protocol")
    @APIResponse(responseCode = "200", description = "The protocol", content = @Content(schema = @Schema(implementation = ConferenceService.ProtocolView.class)))
    public Response protocol(@PathParam("id") @Parameter(example = "protocole-cadre-2013") String id) {
        ConferenceService.ProtocolView p = conferences.protocol(id)
                .orElseThrow(() -> ProblemException.notFound("Protocol", id));
        return Response.ok(p).tag(ETags.of(p.version())).build();
    }

    @POST
    @Path("protocols")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN })
    @Operation(operationId = "recordProtocol", summary = "Record a framework protocol (UESL, admin)")
    @APIResponse(responseCode = "201", description = "Recorded", content = @Content(schema = @Schema(implementation = ConferenceService.ProtocolView.class)))
    public Response createProtocol(@NotNull @Valid ProtocolRequest r, @HeaderParam(Idempotency.HEADER) String key) {
        return idempotency.once(key, "recordProtocol", r, () -> {
            var view = conferences.createProtocol(new ConferenceService.ProtocolCommand(r.id(), r.title(),
                    r.signedOn(), r.periodStart(), r.periodEnd(), r.parties(), r.waves().stream()
                            .map(w -> new ConferenceService.WaveView(w.wave(), w.label(), w.startsOn())).toList()));
            return Response.created(Locations.of(uriInfo, "protocols", view.id())).tag(ETags.of(0))
                    .entity(view).build();
        });
    }

    @GET
    @Path("conferences")
    @Authenticated
    @Operation(operationId = "listConferences", summary = "List conférences territoriales", description = "overdue=true lists those whose installation deadline passed without installation (R-32).")
    @APIResponse(responseCode = "200", description = "One page of conferences", content = @Content(schema = @Schema(implementation = ConferencePage.class)))
    public Response list(@QueryParam("overdue") Boolean overdue, @QueryParam("installed") Boolean installed,
            @QueryParam("territoryId") @Parameter(description = "Only the conferences of the basins containing this territory (basin, EPCI or commune id)", example = "EPCI:200046977") String territoryId,
            @Valid @BeanParam PageParams pageParams, @Context UriInfo uri) {
        return conferences.conferences(overdue, installed, territoryId, PageRequest.of(pageParams, SORTS, "deadline"))
                .toResponse(uri);
    }

    @GET
    @Path("conferences/overdue")
    @Authenticated
    @Operation(operationId = "listOverdueConferences", summary = "Conferences not installed by their deadline (R-32)")
    @APIResponse(responseCode = "200", description = "One page of overdue conferences", content = @Content(schema = @Schema(implementation = ConferencePage.class)))
    public Response overdue(@Valid @BeanParam PageParams pageParams, @Context UriInfo uri) {
        return conferences.conferences(true, null, PageRequest.of(pageParams, SORTS, "deadline")).toResponse(uri);
    }

    @GET
    @Path("conferences/{id}")
    @Authenticated
    @Operation(operationId = "getConference", summary = "Read a conférence territoriale")
    @APIResponse(responseCode = "200", description = "The conference", content = @Content(schema = @Schema(implementation = ConferenceService.ConferenceView.class)))
    public Response get(@PathParam("id") @Parameter(example = "CT:lyon:protocole-cadre-2013") String id) {
        var c = find(id);
        return Response.ok(c).tag(ETags.of(c.version())).build();
    }

    @POST
    @Path("conferences/{id}/installation")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN })
    @Operation(operationId = "installConference", summary = "Install a conférence territoriale (UESL, admin)", description = "Needs If-Match. Records the date and the members (both colleges required) and publishes "
            + "TerritorialConferenceInstalled (R-32; the conventions service needs it for R-15).")
    @APIResponse(responseCode = "200", description = "Installed", content = @Content(schema = @Schema(implementation = ConferenceService.ConferenceView.class)))
    public Response install(@PathParam("id") String id,
            @Valid @RequestBody(content = @Content(examples = @ExampleObject(name = "Lyon", value = """
                    {"installedOn":"2013-11-15","members":[{"organisation":"MEDEF Rhône","college":"EMPLOYEURS"},
                    {"organisation":"CFDT Rhône","college":"SALARIES"}],"reason":"séance d'installation"}"""))) InstallationRequest r,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        var c = find(id);
        ETags.requireMatch(ifMatch, c.version());
        var view = conferences.install(id, r.installedOn(),
                r.members().stream().map(m -> new TerritorialConference.Member(m.organisation(), m.college())).toList(),
                r.reason());
        return Response.ok(view).tag(ETags.of(view.version())).build();
    }

    @GET
    @Path("conferences/{id}/history")
    @Authenticated
    @Operation(operationId = "getConferenceHistory", summary = "Audit trail of a conférence territoriale")
    @APIResponse(responseCode = "200", description = "Audit entries, oldest first")
    public Page<AuditEntry> history(@PathParam("id") String id, @Valid @BeanParam PageParams page) {
        find(id);
        return audit.history("TerritorialConference", id, page);
    }

    @GET
    @Path("conferences/{id}/programming-works")
    @Authenticated
    @Operation(operationId = "listProgrammingWorks", summary = "Programming work the conference is associated with (R-33)")
    @APIResponse(responseCode = "200", description = "SCOT, PLH, PDU / plan de mobilité, social housing programming")
    public List<ConferenceService.WorkView> works(@PathParam("id") String id) {
        find(id);
        return conferences.works(id);
    }

    @POST
    @Path("conferences/{id}/programming-works")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN })
    @Operation(operationId = "associateProgrammingWork", summary = "Associate the conference with programming work (R-33)")
    @APIResponse(responseCode = "201", description = "Associated", content = @Content(schema = @Schema(implementation = ConferenceService.WorkView.class)))
    public Response associate(@PathParam("id") String id, @NotNull @Valid WorkRequest r,
            @HeaderParam(Idempotency.HEADER) String key) {
        find(id);
        return idempotency.once(key, "associateProgrammingWork:" + id, r, () -> {
            var w = conferences.associate(id, r.command());
            return Response.created(Locations.of(uriInfo, "conferences", id, "programming-works", w.id()))
                    .tag(ETags.of(w.version())).entity(w).build();
        });
    }

    @GET
    @Path("conferences/{id}/programming-works/{workId}")
    @Authenticated
    @Operation(operationId = "getProgrammingWork", summary = "Read one programming work association")
    @APIResponse(responseCode = "200", description = "The association", content = @Content(schema = @Schema(implementation = ConferenceService.WorkView.class)))
    public Response work(@PathParam("id") String id, @PathParam("workId") UUID workId) {
        var w = conferences.work(id, workId).orElseThrow(() -> ProblemException.notFound("Programming work", workId));
        return Response.ok(w).tag(ETags.of(w.version())).build();
    }

    @PUT
    @Path("conferences/{id}/programming-works/{workId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN })
    @Operation(operationId = "updateProgrammingWork", summary = "Update a programming work association (If-Match)", description = "R-33: once ADOPTED or ABANDONED the association is closed and frozen: "
            + "its status, document type, title, authority, period and association date no longer change (409 "
            + "naming R-33); repeating the same content is accepted.")
    @APIResponse(responseCode = "200", description = "Updated", content = @Content(schema = @Schema(implementation = ConferenceService.WorkView.class)))
    public Response updateWork(@PathParam("id") String id, @PathParam("workId") UUID workId, @NotNull @Valid WorkRequest r,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        var w = conferences.work(id, workId).orElseThrow(() -> ProblemException.notFound("Programming work", workId));
        ETags.requireMatch(ifMatch, w.version());
        var after = conferences.updateWork(id, workId, r.command());
        return Response.ok(after).tag(ETags.of(after.version())).build();
    }

    private ConferenceService.ConferenceView find(String id) {
        return conferences.conference(id).orElseThrow(() -> ProblemException.notFound("Conference", id));
    }
}
