package fr.actionlogement.territorial.conventions.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;
import fr.actionlogement.territorial.buildingblocks.security.Roles;
import fr.actionlogement.territorial.conventions.api.DocumentDtos.ConventionDocumentView;
import fr.actionlogement.territorial.conventions.document.ConventionDocuments;
import fr.actionlogement.territorial.conventions.persistence.ConventionDocumentEntity;

/**
 * Issue 15 point 8: the convention's documents, read with the rights of the convention itself (a caller who may not
 * read the convention gets 404, as for GET of the convention).
 */
@Path("/{id: [0-9a-fA-F-]{36}}/documents")
@Tag(name = "Convention documents", description = "The convention document (PDF): generated at submission for signature, at signature and at each amendment, kept with its SHA-256 (R-04, R-05, R-14)")
public class ConventionDocumentResource {

    static final String PDF = "application/pdf";

    @Inject
    ConventionService service;
    @Context
    Request request;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.DELEGUE_TERRITORIAL, Roles.CIL, Roles.COLLECTIVITE })
    @Operation(operationId = "listConventionDocuments", summary = "The convention's generated documents, oldest first (none before submission for signature)")
    @APIResponse(responseCode = "200", description = "Documents, oldest first", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = ConventionDocumentView.class)))
    public List<ConventionDocumentView> list(@PathParam("id") String id) {
        service.get(id);
        return ConventionDocumentEntity.of(id).stream().map(ConventionDocumentView::of).toList();
    }

    @GET
    @Path("latest")
    @Transactional
    @Produces({ PDF, MediaType.APPLICATION_JSON })
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.DELEGUE_TERRITORIAL, Roles.CIL, Roles.COLLECTIVITE })
    @Operation(operationId = "getLatestConventionDocument", summary = "Download the convention's latest document (PDF)")
    @APIResponse(responseCode = "200", description = "The PDF", headers = {
            @Header(name = "ETag", description = "The SHA-256 of the PDF, hex, as a strong entity tag", schema = @Schema(type = SchemaType.STRING)),
            @Header(name = "Repr-Digest", description = "RFC 9530: sha-256=:<base64>:", schema = @Schema(type = SchemaType.STRING)),
            @Header(name = "Digest", description = "RFC 3230: SHA-256=<base64>", schema = @Schema(type = SchemaType.STRING)),
            @Header(name = "Content-Disposition", description = "attachment; filename=\"convention-<id>-<n>.pdf\"", schema = @Schema(type = SchemaType.STRING)) }, content = @Content(mediaType = PDF, schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "304", description = "If-None-Match named this document's ETag")
    public Response latest(@PathParam("id") String id) {
        service.get(id);
        return pdf(ConventionDocumentEntity.latest(id)
                .orElseThrow(() -> ProblemException.notFound("Document of convention", id)));
    }

    @GET
    @Path("{number: [0-9]+}")
    @Transactional
    @Produces({ PDF, MediaType.APPLICATION_JSON })
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.DELEGUE_TERRITORIAL, Roles.CIL, Roles.COLLECTIVITE })
    @Operation(operationId = "getConventionDocument", summary = "Download one of the convention's documents (PDF); earlier ones stay downloadable")
    @APIResponse(responseCode = "200", description = "The PDF", headers = {
            @Header(name = "ETag", description = "The SHA-256 of the PDF, hex, as a strong entity tag", schema = @Schema(type = SchemaType.STRING)),
            @Header(name = "Repr-Digest", description = "RFC 9530: sha-256=:<base64>:", schema = @Schema(type = SchemaType.STRING)),
            @Header(name = "Digest", description = "RFC 3230: SHA-256=<base64>", schema = @Schema(type = SchemaType.STRING)),
            @Header(name = "Content-Disposition", description = "attachment; filename=\"convention-<id>-<n>.pdf\"", schema = @Schema(type = SchemaType.STRING)) }, content = @Content(mediaType = PDF, schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "304", description = "If-None-Match named this document's ETag")
    public Response get(@PathParam("id") String id, @PathParam("number") @Min(1) @Max(1_000_000) int number) {
        service.get(id);
        return pdf(ConventionDocumentEntity.of(id, number)
                .orElseThrow(() -> ProblemException.notFound("Document of convention", id + " n° " + number)));
    }

    private Response pdf(ConventionDocumentEntity d) {
        EntityTag tag = new EntityTag(d.sha256);
        Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
        if (notModified != null) {
            return notModified.tag(tag).build();
        }
        String digest = ConventionDocuments.base64(d.sha256);
        return Response.ok(d.content, PDF).tag(tag)
                .header("Repr-Digest", "sha-256=:" + digest + ":")
                .header("Digest", "SHA-256=" + digest)
                .header("Content-Disposition",
                        "attachment; filename=\"convention-" + d.conventionId + "-" + d.number + ".pdf\"")
                .build();
    }
}
