package fr.actionlogement.territorial.conventions.api;

import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
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
import fr.actionlogement.territorial.buildingblocks.audit.AuditLog;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;
import fr.actionlogement.territorial.buildingblocks.security.Roles;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.CampaignRequest;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.CampaignUpdate;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.CampaignView;
import fr.actionlogement.territorial.conventions.config.ConventionsConfig;
import fr.actionlogement.territorial.conventions.domain.Campaign;
import fr.actionlogement.territorial.conventions.persistence.CampaignEntity;
import fr.actionlogement.territorial.conventions.persistence.ConventionEntity;

@Path("/campaigns")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Campaigns", description = "Programmes of conventions with a cap of open conventions (R-02)")
public class CampaignResource {

    @Inject
    ConventionsConfig config;
    @Inject
    AuditLog audit;
    @Inject
    Idempotency idempotency;
    @Context
    UriInfo uriInfo;

    @POST
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN })
    @Operation(operationId = "createCampaign", summary = "Open a campaign (programme) of conventions")
    @RequestBody(content = @Content(schema = @Schema(implementation = CampaignRequest.class), examples = @ExampleObject(name = "2011", value = """
            {"campaignId":"2011-experimentation","name":"Expérimentation 2011","year":2011,"cap":10,"evaluationYear":2012}""")))
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = CampaignView.class)))
    public Response create(@Valid @NotNull CampaignRequest request, @HeaderParam(Idempotency.HEADER) String key) {
        return idempotency.once(key, "createCampaign", request, () -> {
            String id = request.campaignId() == null ? UUID.randomUUID().toString() : request.campaignId();
            if (CampaignEntity.findByIdOptional(id).isPresent()) {
                throw new ProblemException(fr.actionlogement.territorial.buildingblocks.problem.ProblemType.CONFLICT,
                        "campaign " + id + " already exists");
            }
            Campaign c = new Campaign(id, request.name(), request.year(),
                    request.cap() == null ? config.defaultCampaignCap() : request.cap(), request.evaluationYear(), true);
            CampaignEntity e = CampaignEntity.of(c);
            e.persist();
            audit.record("Campaign", id, "CREATED", null, c);
            // A create racing past the check above fails here, inside the request: 409.
            CampaignEntity.flush();
            return Response.created(Locations.of(uriInfo, "campaigns", id)).tag(ETags.of(e.version))
                    .entity(view(c)).build();
        });
    }

    @GET
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.DELEGUE_TERRITORIAL })
    @Operation(operationId = "listCampaigns", summary = "List campaigns")
    @APIResponse(responseCode = "200", description = "One page")
    public RestResponse<Page<CampaignView>> list(@QueryParam("year") Integer year, @Valid @BeanParam PageParams pageParams) {
        PageRequest page = PageRequest.of(pageParams, CampaignEntity.SORTABLE, "year");
        return Page.of(CampaignEntity.list(year, page).stream().map(e -> view(e.toDomain())).toList(), page,
                CampaignEntity.count(year)).toRestResponse(uriInfo);
    }

    @GET
    @Path("{id}")
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.DELEGUE_TERRITORIAL })
    @Operation(operationId = "getCampaign", summary = "Read a campaign and how many conventions are open in it")
    @APIResponse(responseCode = "200", description = "The campaign", content = @Content(schema = @Schema(implementation = CampaignView.class)))
    public Response get(@PathParam("id") String id) {
        CampaignEntity e = CampaignEntity.<CampaignEntity> findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("Campaign", id));
        return Response.ok(view(e.toDomain())).tag(ETags.of(e.version)).build();
    }

    @PUT
    @Path("{id}")
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN })
    @Operation(operationId = "updateCampaign", summary = "Change a campaign's cap, evaluation year or openness")
    @APIResponse(responseCode = "200", description = "Updated", content = @Content(schema = @Schema(implementation = CampaignView.class)))
    public Response update(@PathParam("id") String id, @Valid @NotNull CampaignUpdate request,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        CampaignEntity e = CampaignEntity.lock(id).orElseThrow(() -> ProblemException.notFound("Campaign", id));
        ETags.requireMatch(ifMatch, e.version);
        Campaign c = new Campaign(id, request.name(), e.year, request.cap(), request.evaluationYear(),
                request.open());
        e.apply(c);
        audit.record("Campaign", id, "UPDATED", null, Map.of("cap", c.cap(), "open", c.open()));
        e.flushRevision();
        return Response.ok(view(c)).tag(ETags.of(e.version)).build();
    }

    private CampaignView view(Campaign c) {
        return new CampaignView(c.campaignId(), c.name(), c.year(), c.cap(), c.evaluationYear(), c.open(),
                ConventionEntity.countOpenInCampaign(c.campaignId()));
    }
}
