package fr.actionlogement.territorial.conventions.api;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
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
import fr.actionlogement.territorial.buildingblocks.problem.ProblemType;
import fr.actionlogement.territorial.buildingblocks.security.CurrentUser;
import fr.actionlogement.territorial.buildingblocks.security.Roles;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.TemplateRequest;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.TemplateVersionView;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.TemplateView;
import fr.actionlogement.territorial.conventions.domain.ConventionKind;
import fr.actionlogement.territorial.conventions.domain.Device;
import fr.actionlogement.territorial.conventions.domain.DeviceCatalogue;
import fr.actionlogement.territorial.conventions.domain.RuleViolation;
import fr.actionlogement.territorial.conventions.domain.TemplateVersion;
import fr.actionlogement.territorial.conventions.persistence.DeviceEntity;
import fr.actionlogement.territorial.conventions.persistence.TemplateEntity;
import fr.actionlogement.territorial.conventions.persistence.TemplateVersionEntity;

@Path("/templates")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Templates", description = "UESL content templates (modèles), versioned (R-04)")
public class TemplateResource {

    @Inject
    AuditLog audit;
    @Inject
    Idempotency idempotency;
    @Inject
    CurrentUser user;
    @Inject
    Clock clock;
    @Context
    UriInfo uriInfo;

    @POST
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN })
    @Operation(operationId = "publishTemplate", summary = "Publish a new template (its version 1)")
    @RequestBody(content = @Content(schema = @Schema(implementation = TemplateRequest.class), examples = @ExampleObject(name = "charter", value = """
            {"templateId":"charte-territoriale","name":"Charte territoriale type","kind":"TERRITORIALE",
             "sections":[{"code":"CIL_INTERVENTIONS_OFFRE","title":"Interventions des CIL","text":"Les CIL développent l'offre..."}],
             "suggestedDevices":["CONSTRUCTION_PLUS_PLAI_PLS","INTERMEDIATION_LOCATIVE"]}""")))
    @APIResponse(responseCode = "201", description = "Published", content = @Content(schema = @Schema(implementation = TemplateVersionView.class)))
    public Response publish(@Valid @NotNull TemplateRequest request, @HeaderParam(Idempotency.HEADER) String key) {
        return idempotency.once(key, "publishTemplate", request, () -> {
            String id = request.templateId() == null ? UUID.randomUUID().toString() : request.templateId();
            if (TemplateEntity.findByIdOptional(id).isPresent()) {
                throw new ProblemException(ProblemType.CONFLICT, "template " + id
                        + " exists; publish a new version at /templates/" + id + "/versions");
            }
            TemplateVersion v = new TemplateVersion(id, 1, request.name(), request.kind(), request.sections(),
                    catalogued(request.suggestedDevices()));
            TemplateEntity t = new TemplateEntity();
            t.id = id;
            t.name = v.name();
            t.kind = v.kind();
            t.latestVersion = v.version();
            t.persist();
            // The header first: the version's foreign key refers to it. A create racing past the check above
            // fails here, inside the request: 409.
            TemplateEntity.flush();
            TemplateVersionEntity published = TemplateVersionEntity.publish(v, clock.instant(), user.subject());
            audit.record("Template", id, "PUBLISHED", null, Map.of("version", 1));
            TemplateEntity.flush();
            return Response.created(Locations.of(uriInfo, "templates", id, "versions", 1)).tag(ETags.of(t.version))
                    .entity(view(published)).build();
        });
    }

    @POST
    @Path("{id}/versions")
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN })
    @Operation(operationId = "publishTemplateVersion", summary = "Publish the next version of a template; earlier versions stay as they were")
    @APIResponse(responseCode = "201", description = "Published", content = @Content(schema = @Schema(implementation = TemplateVersionView.class)))
    public Response publishVersion(@PathParam("id") String id, @Valid @NotNull TemplateRequest request,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        TemplateEntity h = TemplateEntity.lock(id).orElseThrow(() -> ProblemException.notFound("Template", id));
        ETags.requireMatch(ifMatch, h.version);
        if (request.kind() != h.kind) {
            throw ProblemException.rule("R-04", "template " + id + " is for " + h.kind + " conventions");
        }
        int next = h.latestVersion + 1;
        TemplateVersion v = new TemplateVersion(id, next, request.name(), request.kind(), request.sections(),
                catalogued(request.suggestedDevices()));
        h.name = v.name();
        h.latestVersion = next;
        TemplateVersionEntity published = TemplateVersionEntity.publish(v, clock.instant(), user.subject());
        audit.record("Template", id, "VERSION_PUBLISHED", null, Map.of("version", next));
        h.flushRevision();
        return Response.created(Locations.of(uriInfo, "templates", id, "versions", next))
                .tag(ETags.of(h.version)).entity(view(published)).build();
    }

    @GET
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.DELEGUE_TERRITORIAL, Roles.CIL, Roles.COLLECTIVITE })
    @Operation(operationId = "listTemplates", summary = "List templates")
    @APIResponse(responseCode = "200", description = "One page")
    public RestResponse<Page<TemplateView>> list(@QueryParam("kind") ConventionKind kind,
            @Valid @BeanParam PageParams pageParams) {
        PageRequest page = PageRequest.of(pageParams, TemplateEntity.SORTABLE, "name");
        return Page.of(TemplateEntity.list(kind, page).stream()
                .map(h -> new TemplateView(h.id, h.name, h.kind, h.latestVersion)).toList(), page,
                TemplateEntity.count(kind)).toRestResponse(uriInfo);
    }

    @GET
    @Path("{id}")
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.DELEGUE_TERRITORIAL, Roles.CIL, Roles.COLLECTIVITE })
    @Operation(operationId = "getTemplate", summary = "Read a template's latest version")
    @APIResponse(responseCode = "200", description = "Latest version; ETag for publishing the next", content = @Content(schema = @Schema(implementation = TemplateVersionView.class)))
    public Response get(@PathParam("id") String id) {
        TemplateEntity h = TemplateEntity.<TemplateEntity> findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("Template", id));
        return Response.ok(view(TemplateVersionEntity.of(id, h.latestVersion).orElseThrow())).tag(ETags.of(h.version))
                .build();
    }

    @GET
    @Path("{id}/versions")
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.DELEGUE_TERRITORIAL, Roles.CIL, Roles.COLLECTIVITE })
    @Operation(operationId = "listTemplateVersions", summary = "Every published version of a template")
    @APIResponse(responseCode = "200", description = "Versions, oldest first", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = TemplateVersionView.class)))
    public List<TemplateVersionView> versions(@PathParam("id") String id) {
        TemplateEntity.findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("Template", id));
        return TemplateVersionEntity.of(id).stream().map(TemplateResource::view).toList();
    }

    @GET
    @Path("{id}/versions/{version}")
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.DELEGUE_TERRITORIAL, Roles.CIL, Roles.COLLECTIVITE })
    @Operation(operationId = "getTemplateVersion", summary = "One published version of a template")
    @APIResponse(responseCode = "200", description = "The version", content = @Content(schema = @Schema(implementation = TemplateVersionView.class)))
    public TemplateVersionView version(@PathParam("id") String id, @PathParam("version") @Min(1) int version) {
        return TemplateVersionEntity.of(id, version).map(TemplateResource::view)
                .orElseThrow(() -> ProblemException.notFound("Template version", id + " v" + version));
    }

    /** a template suggests devices of the UESL's catalogue only. */
    private static List<Device> catalogued(List<Device> suggested) {
        if (suggested == null) {
            return List.of();
        }
        DeviceCatalogue catalogue = DeviceEntity.catalogue();
        for (int i = 0; i < suggested.size(); i++) {
            if (suggested.get(i) != null) {
                try {
                    catalogue.require(suggested.get(i), "suggestedDevices[" + i + "]");
                } catch (RuleViolation v) {
                    throw ProblemException.rule(v.rule(), v.getMessage());
                }
            }
        }
        return suggested;
    }

    private static TemplateVersionView view(TemplateVersionEntity v) {
        TemplateVersion t = v.document;
        return new TemplateVersionView(t.templateId(), t.version(), t.name(), t.kind(), t.sections(),
                t.suggestedDevices(), v.publishedAt, v.publishedBy);
    }
}
