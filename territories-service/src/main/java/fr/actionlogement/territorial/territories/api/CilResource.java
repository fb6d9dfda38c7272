package fr.actionlogement.territorial.territories.api;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
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
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
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
import fr.actionlogement.territorial.buildingblocks.openapi.ProblemResponsesFilter;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;
import fr.actionlogement.territorial.buildingblocks.security.Roles;
import fr.actionlogement.territorial.territories.persistence.CilService;
import io.quarkus.security.Authenticated;

/** CILs, their presence, regional conferences and délégués; edited by the UESL and admins only. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "CILs", description = "CILs and filiales, presence on territories, regional conferences, délégués (R-34)")
public class CilResource {

    private static final Map<String, String> SORTS = Map.of("name", "name", "id", "id");
    private static final String SIREN = "\\d{9}";

    @Schema(name = "CilRequest")
    public record CilRequest(
            @NotBlank @Pattern(regexp = SIREN, message = "must be a 9-digit SIREN") @Schema(examples = "782855696") String id,
            @NotBlank @Size(max = 200) @Schema(examples = "CIL Rhône-Alpes") String name,
            @Pattern(regexp = SIREN, message = "must be a 9-digit SIREN") @Schema(description = "Set for a filiale") String parentCilId) {
    }

    @Schema(name = "CilRenameRequest")
    public record RenameRequest(@NotBlank @Size(max = 200) String name, @Size(max = 500) String reason) {
    }

    @Schema(name = "PresenceRequest")
    public record PresenceRequest(
            @NotBlank @Size(max = 80) @Schema(examples = "EPCI:200046977") String territoryId,
            @NotNull @Schema(examples = "2013-01-01") LocalDate since,
            LocalDate until,
            @Size(max = 500) String reason) {
    }

    @Schema(name = "RegionalConferenceRequest")
    public record RegionalConferenceRequest(
            @NotNull @Size(max = 100) List<@Pattern(regexp = SIREN, message = "must be a 9-digit SIREN") String> memberCilIds,
            @Size(max = 500) String reason) {
    }

    @Schema(name = "DelegueRequest")
    public record DelegueRequest(
            @NotBlank @Size(max = 100) @Schema(description = "Keycloak subject (sub)", examples = "5b1c0e7e-3f1d-4c55-9a7e-2f0c1d2e3f4a") String subject,
            @NotBlank @Size(max = 100) @Schema(examples = "jdupont") String username,
            @NotNull @Schema(examples = "2013-09-01") LocalDate since,
            @Size(max = 500) String reason) {
    }

    @Schema(name = "CilPage", requiredProperties = { "items", "page", "size", "totalItems", "totalPages" })
    public record CilPage(List<CilService.CilView> items, int page, int size, long totalItems, int totalPages) {
    }

    private final CilService cils;
    private final Idempotency idempotency;
    private final AuditLog audit;

    @Context
    UriInfo uriInfo;

    CilResource(CilService cils, Idempotency idempotency, AuditLog audit) {
        this.cils = cils;
        this.idempotency = idempotency;
        this.audit = audit;
    }

    @GET
    @Path("cils")
    @Authenticated
    @Operation(operationId = "listCils", summary = "List CILs and filiales")
    @APIResponse(responseCode = "200", description = "One page of CILs", content = @Content(schema = @Schema(implementation = CilPage.class)))
    public Response list(@QueryParam("parentCilId") @Parameter(description = "Only the filiales of this CIL") String parent,
            @Valid @BeanParam PageParams pageParams, @Context UriInfo uri) {
        return cils.list(parent, PageRequest.of(pageParams, SORTS, "name")).toResponse(uri);
    }

    @GET
    @Path("cils/{id}")
    @Authenticated
    @Operation(operationId = "getCil", summary = "Read a CIL or filiale")
    @APIResponse(responseCode = "200", description = "The CIL", content = @Content(schema = @Schema(implementation = CilService.CilView.class)))
    public Response get(@PathParam("id") String id) {
        var c = find(id);
        return Response.ok(c).tag(ETags.of(c.version())).build();
    }

    @POST
    @Path("cils")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN })
    @Operation(operationId = "registerCil", summary = "Register a CIL or a filiale (UESL, admin)", description = "Publishes CilRegistered. Honours Idempotency-Key.")
    @APIResponse(responseCode = "201", description = "Registered", content = @Content(schema = @Schema(implementation = CilService.CilView.class)))
    public Response register(@NotNull @Valid CilRequest r, @HeaderParam(Idempotency.HEADER) String key) {
        return idempotency.once(key, "registerCil", r, () -> {
            var c = cils.register(r.id(), r.name(), r.parentCilId());
            return Response.created(Locations.of(uriInfo, "cils", c.id())).tag(ETags.of(c.version()))
                    .entity(c).build();
        });
    }

    @PUT
    @Path("cils/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN })
    @Operation(operationId = "renameCil", summary = "Rename a CIL (If-Match; UESL, admin)")
    @APIResponse(responseCode = "200", description = "Renamed", content = @Content(schema = @Schema(implementation = CilService.CilView.class)))
    public Response rename(@PathParam("id") String id, @NotNull @Valid RenameRequest r,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        var c = find(id);
        ETags.requireMatch(ifMatch, c.version());
        var after = cils.rename(c, r.name(), r.reason());
        return Response.ok(after).tag(ETags.of(after.version())).build();
    }

    @GET
    @Path("cils/{id}/history")
    @Authenticated
    @Operation(operationId = "getCilHistory", summary = "Audit trail of a CIL, its presences included")
    @APIResponse(responseCode = "200", description = "Audit entries, oldest first")
    public Page<AuditEntry> history(@PathParam("id") String id, @Valid @BeanParam PageParams page) {
        find(id);
        return audit.history("Cil", id, page);
    }

    @GET
    @Path("cils/{id}/presences")
    @Authenticated
    @Operation(operationId = "listCilPresences", summary = "Where a CIL is present, with dates")
    @APIResponse(responseCode = "200", description = "Presences")
    public List<CilService.PresenceView> presences(@PathParam("id") String id) {
        find(id);
        return cils.presencesOfCil(id);
    }

    @POST
    @Path("cils/{id}/presences")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN })
    @Operation(operationId = "addCilPresence", summary = "Record a CIL's presence on a territory (UESL, admin)", description = "Publishes CilPresenceChanged. Presences of one CIL on one territory never overlap.")
    @APIResponse(responseCode = "201", description = "Recorded", content = @Content(schema = @Schema(implementation = CilService.PresenceView.class)))
    public Response addPresence(@PathParam("id") String id, @NotNull @Valid PresenceRequest r,
            @HeaderParam(Idempotency.HEADER) String key) {
        find(id);
        return idempotency.once(key, "addCilPresence:" + id, r, () -> {
            var p = cils.addPresence(id, r.territoryId(), r.since(), r.until());
            return Response.created(Locations.of(uriInfo, "cils", id, "presences", p.id()))
                    .tag(ETags.of(p.version())).entity(p).build();
        });
    }

    @GET
    @Path("cils/{id}/presences/{presenceId}")
    @Authenticated
    @Operation(operationId = "getCilPresence", summary = "Read one presence")
    @APIResponse(responseCode = "200", description = "The presence", content = @Content(schema = @Schema(implementation = CilService.PresenceView.class)))
    public Response presence(@PathParam("id") String id, @PathParam("presenceId") UUID presenceId) {
        var p = cils.presence(id, presenceId).orElseThrow(() -> ProblemException.notFound("Presence", presenceId));
        return Response.ok(p).tag(ETags.of(p.version())).build();
    }

    @PUT
    @Path("cils/{id}/presences/{presenceId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN })
    @Operation(operationId = "changeCilPresence", summary = "Change a presence's dates, e.g. end it (If-Match)", description = "Publishes CilPresenceChanged. The territory of a presence does not change.")
    @APIResponse(responseCode = "200", description = "Changed", content = @Content(schema = @Schema(implementation = CilService.PresenceView.class)))
    public Response changePresence(@PathParam("id") String id, @PathParam("presenceId") UUID presenceId,
            @NotNull @Valid PresenceRequest r, @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        var p = cils.presence(id, presenceId).orElseThrow(() -> ProblemException.notFound("Presence", presenceId));
        ETags.requireMatch(ifMatch, p.version());
        if (!p.territoryId().equals(r.territoryId())) {
            throw ProblemException.invalid("territoryId", "a presence stays on its territory; record a new one");
        }
        var after = cils.changePresence(id, presenceId, r.since(), r.until(), r.reason());
        return Response.ok(after).tag(ETags.of(after.version())).build();
    }

    @GET
    @Path("regional-conferences")
    @Authenticated
    @Operation(operationId = "listRegionalConferences", summary = "Regional conferences and their member CILs")
    @APIResponse(responseCode = "200", description = "Every regional conference")
    public List<CilService.RegionalConferenceView> regionalConferences() {
        return cils.regionalConferences();
    }

    @GET
    @Path("regional-conferences/{region}")
    @Authenticated
    @Operation(operationId = "getRegionalConference", summary = "Read a region's conference")
    @APIResponse(responseCode = "200", description = "The conference", content = @Content(schema = @Schema(implementation = CilService.RegionalConferenceView.class)))
    public Response regionalConference(@PathParam("region") @Parameter(example = "84") String region) {
        var rc = cils.regionalConference(region)
                .orElseThrow(() -> ProblemException.notFound("Regional conference", region));
        return Response.ok(rc).tag(ETags.of(rc.version())).build();
    }

    @PUT
    @Path("regional-conferences/{region}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN })
    @Extension(name = ProblemResponsesFilter.CREATES_WHEN_ABSENT, value = "true")
    @Operation(operationId = "setRegionalConference", summary = "Set the member CILs of a region's conference", description = "Creates it when absent (no If-Match), otherwise needs If-Match. Publishes RegionalConferenceChanged.")
    @APIResponse(responseCode = "200", description = "Set", content = @Content(schema = @Schema(implementation = CilService.RegionalConferenceView.class)))
    public Response setRegionalConference(@PathParam("region") String region, @NotNull @Valid RegionalConferenceRequest r,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        cils.regionalConference(region).ifPresent(current -> ETags.requireMatch(ifMatch, current.version()));
        var after = cils.setRegionalConference(region, r.memberCilIds(), r.reason());
        return Response.ok(after).tag(ETags.of(after.version())).build();
    }

    @GET
    @Path("regional-conferences/{region}/history")
    @Authenticated
    @Operation(operationId = "getRegionalConferenceHistory", summary = "Audit trail of a regional conference")
    @APIResponse(responseCode = "200", description = "Audit entries, oldest first")
    public Page<AuditEntry> regionalConferenceHistory(@PathParam("region") String region,
            @Valid @BeanParam PageParams page) {
        return audit.history("RegionalConference", region, page);
    }

    @GET
    @Path("delegues")
    @Authenticated
    @Operation(operationId = "listDelegues", summary = "The délégué territorial of each region")
    @APIResponse(responseCode = "200", description = "Every délégué")
    public List<CilService.DelegueView> delegues() {
        return cils.delegues();
    }

    @GET
    @Path("delegues/{region}")
    @Authenticated
    @Operation(operationId = "getDelegue", summary = "The délégué territorial of a region")
    @APIResponse(responseCode = "200", description = "The délégué", content = @Content(schema = @Schema(implementation = CilService.DelegueView.class)))
    public Response delegue(@PathParam("region") String region) {
        var d = cils.delegue(region).orElseThrow(() -> ProblemException.notFound("Délégué of region", region));
        return Response.ok(d).tag(ETags.of(d.version())).build();
    }

    @PUT
    @Path("delegues/{region}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN })
    @Extension(name = ProblemResponsesFilter.CREATES_WHEN_ABSENT, value = "true")
    @Operation(operationId = "assignDelegue", summary = "Assign the délégué territorial of a region (UESL, admin)", description = "Creates the assignment when absent (no If-Match), otherwise needs If-Match. Publishes DelegueAssigned.")
    @APIResponse(responseCode = "200", description = "Assigned", content = @Content(schema = @Schema(implementation = CilService.DelegueView.class)))
    public Response assign(@PathParam("region") String region, @NotNull @Valid DelegueRequest r,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        cils.delegue(region).ifPresent(current -> ETags.requireMatch(ifMatch, current.version()));
        var after = cils.assignDelegue(region, r.subject(), r.username(), r.since(), r.reason());
        return Response.ok(after).tag(ETags.of(after.version())).build();
    }

    @GET
    @Path("delegues/{region}/history")
    @Authenticated
    @Operation(operationId = "getDelegueHistory", summary = "Audit trail of a region's délégué")
    @APIResponse(responseCode = "200", description = "Audit entries, oldest first")
    public Page<AuditEntry> delegueHistory(@PathParam("region") String region, @Valid @BeanParam PageParams page) {
        return audit.history("Delegue", region, page);
    }

    private CilService.CilView find(String id) {
        return cils.find(id).orElseThrow(() -> ProblemException.notFound("CIL", id));
    }
}
