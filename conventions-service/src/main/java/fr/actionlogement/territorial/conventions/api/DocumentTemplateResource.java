package fr.actionlogement.territorial.conventions.api;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
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

import fr.actionlogement.territorial.buildingblocks.api.ETags;
import fr.actionlogement.territorial.buildingblocks.api.Locations;
import fr.actionlogement.territorial.buildingblocks.audit.AuditLog;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;
import fr.actionlogement.territorial.buildingblocks.security.CurrentUser;
import fr.actionlogement.territorial.buildingblocks.security.Roles;
import fr.actionlogement.territorial.conventions.api.DocumentDtos.DocumentTemplateRequest;
import fr.actionlogement.territorial.conventions.api.DocumentDtos.DocumentTemplateView;
import fr.actionlogement.territorial.conventions.domain.ConventionKind;
import fr.actionlogement.territorial.conventions.domain.DocumentTemplate;
import fr.actionlogement.territorial.conventions.persistence.DocumentTemplateEntity;
import fr.actionlogement.territorial.conventions.persistence.DocumentTemplateVersionEntity;

/**
 * Issue 15 point 8: the UESL's document templates, one per convention kind, versioned. The UESL (or an admin) publishes
 * the next version with the kind's ETag in If-Match; every version stays readable, and every generated document names
 * the version that laid it out. A default version 1 of each kind is seeded by the migration.
 */
@Path("/document-templates")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Document templates", description = "The layout of the convention document per kind: headings and fixed paragraphs, versioned (R-04, R-05)")
public class DocumentTemplateResource {

    static final String AGGREGATE = "DocumentTemplate";

    @Inject
    AuditLog audit;
    @Inject
    CurrentUser user;
    @Inject
    Clock clock;
    @Context
    UriInfo uriInfo;

    @GET
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.DELEGUE_TERRITORIAL, Roles.CIL, Roles.COLLECTIVITE })
    @Operation(operationId = "listDocumentTemplates", summary = "The document template in force for each convention kind")
    @APIResponse(responseCode = "200", description = "One per kind", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = DocumentTemplateView.class)))
    public List<DocumentTemplateView> list() {
        return DocumentTemplateEntity.all().stream()
                .map(h -> DocumentTemplateView.of(DocumentTemplateVersionEntity.of(h.kind, h.latestVersion).orElseThrow()))
                .toList();
    }

    @GET
    @Path("{kind}")
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.DELEGUE_TERRITORIAL, Roles.CIL, Roles.COLLECTIVITE })
    @Operation(operationId = "getDocumentTemplate", summary = "The document template in force for a kind; ETag for publishing the next version")
    @APIResponse(responseCode = "200", description = "Its latest version", content = @Content(schema = @Schema(implementation = DocumentTemplateView.class)))
    public Response get(@PathParam("kind") ConventionKind kind) {
        DocumentTemplateEntity h = DocumentTemplateEntity.of(kind)
                .orElseThrow(() -> ProblemException.notFound("Document template", kind));
        return Response.ok(DocumentTemplateView.of(DocumentTemplateVersionEntity.of(kind, h.latestVersion).orElseThrow()))
                .tag(ETags.of(h.version)).build();
    }

    @POST
    @Path("{kind}/versions")
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN })
    @Operation(operationId = "publishDocumentTemplateVersion", summary = "Publish the next version of a kind's document template; earlier versions and the documents they laid out stay as they were")
    @RequestBody(content = @Content(schema = @Schema(implementation = DocumentTemplateRequest.class), examples = @ExampleObject(name = "charter", value = """
            {"heading":"Charte territoriale d'Action Logement","reference":"Note de procédure 3554-10 bis",
             "preamble":["La présente charte établit une relation de partenariat..."],
             "headings":{"parties":"Les parties","content":"Contenu de la charte","devices":"Dispositifs mobilisés",
               "objectives":"Objectifs chiffrés","actions":"Actions des parties","partners":"Autres partenaires",
               "commitments":"Engagements financiers","reservationCosts":"Coût des réservations",
               "communication":"Communication","signatures":"Signatures"},
             "sectionTitles":{"CIL_INTERVENTIONS_OFFRE":"Interventions des CIL"},
             "closing":["Fait en autant d'exemplaires originaux que de parties."]}""")))
    @APIResponse(responseCode = "201", description = "Published; it lays out the documents generated from now on", content = @Content(schema = @Schema(implementation = DocumentTemplateView.class)))
    public Response publish(@PathParam("kind") ConventionKind kind, @Valid @NotNull DocumentTemplateRequest request,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        DocumentTemplateEntity h = DocumentTemplateEntity.lock(kind)
                .orElseThrow(() -> ProblemException.notFound("Document template", kind));
        ETags.requireMatch(ifMatch, h.version);
        int next = h.latestVersion + 1;
        DocumentTemplate t = request.toDomain(kind, next);
        h.latestVersion = next;
        DocumentTemplateVersionEntity published = DocumentTemplateVersionEntity.publish(t, clock.instant(),
                user.subject());
        audit.record(AGGREGATE, kind.name(), "VERSION_PUBLISHED", null, Map.of("version", next));
        h.flushRevision();
        return Response.created(Locations.of(uriInfo, "document-templates", kind.name(), "versions", next))
                .tag(ETags.of(h.version)).entity(DocumentTemplateView.of(published)).build();
    }

    @GET
    @Path("{kind}/versions")
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.DELEGUE_TERRITORIAL, Roles.CIL, Roles.COLLECTIVITE })
    @Operation(operationId = "listDocumentTemplateVersions", summary = "Every published version of a kind's document template")
    @APIResponse(responseCode = "200", description = "Versions, oldest first", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = DocumentTemplateView.class)))
    public List<DocumentTemplateView> versions(@PathParam("kind") ConventionKind kind) {
        return DocumentTemplateVersionEntity.of(kind).stream().map(DocumentTemplateView::of).toList();
    }

    @GET
    @Path("{kind}/versions/{version}")
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.DELEGUE_TERRITORIAL, Roles.CIL, Roles.COLLECTIVITE })
    @Operation(operationId = "getDocumentTemplateVersion", summary = "One published version of a kind's document template")
    @APIResponse(responseCode = "200", description = "The version", content = @Content(schema = @Schema(implementation = DocumentTemplateView.class)))
    public DocumentTemplateView version(@PathParam("kind") ConventionKind kind,
            @PathParam("version") @Min(1) @Max(1_000_000) int version) {
        return DocumentTemplateVersionEntity.of(kind, version).map(DocumentTemplateView::of)
                .orElseThrow(() -> ProblemException.notFound("Document template version", kind + " v" + version));
    }
}
