package fr.actionlogement.territorial.partnerships.api;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.BeanParam;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import fr.actionlogement.territorial.buildingblocks.api.ETags;
import fr.actionlogement.territorial.buildingblocks.api.Page;
import fr.actionlogement.territorial.buildingblocks.api.PageParams;
import fr.actionlogement.territorial.buildingblocks.api.PageRequest;
import fr.actionlogement.territorial.buildingblocks.audit.AuditLog;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;
import fr.actionlogement.territorial.buildingblocks.security.CurrentUser;
import fr.actionlogement.territorial.buildingblocks.security.Roles;
import fr.actionlogement.territorial.partnerships.api.AgreementViews.NotificationView;
import fr.actionlogement.territorial.partnerships.persistence.NotificationEntity;
import io.quarkus.panache.common.Parameters;

/** the délégué territorial's inbox of submitted drafts. */
@Path("/notifications")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Délégué inbox", description = "R-23: every submitted draft agreement reaches the délégué territorial of the authority's region")
@RolesAllowed(Roles.DELEGUE_TERRITORIAL)
public class NotificationResource {

    private static final String ID_PATTERN = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

    @Inject
    CurrentUser user;
    @Inject
    AuditLog audit;
    @Inject
    Clock clock;
    @Context
    UriInfo uriInfo;

    @GET
    @Operation(operationId = "listDelegueNotifications", summary = "The caller's notifications, newest first")
    @APIResponse(responseCode = "200", description = "One page", content = @Content(schema = @Schema(implementation = NotificationPage.class)))
    public Response list(@Valid @BeanParam PageParams page,
            @Parameter(description = "true: unread only; false: read only") @QueryParam("unread") Boolean unread) {
        PageRequest req = PageRequest.of(page, Map.of("createdAt", "createdAt", "id", "id"), "createdAt,desc");
        Parameters p = new Parameters();
        String where = mine(p);
        if (unread != null) {
            where += unread ? " and readAt is null" : " and readAt is not null";
        }
        long total = NotificationEntity.count(where, p);
        List<NotificationView> items = NotificationEntity.<NotificationEntity> find(where, req.panacheSort("id"), p)
                .page(req.page(), req.size()).stream().map(NotificationView::of).toList();
        return Page.of(items, req, total).toResponse(uriInfo);
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getDelegueNotification", summary = "Read one notification")
    @APIResponse(responseCode = "200", description = "The notification; ETag carries its version", content = @Content(schema = @Schema(implementation = NotificationView.class)))
    public Response get(@PathParam("id") @Pattern(regexp = ID_PATTERN, message = "must be a UUID") String id) {
        NotificationEntity n = find(UUID.fromString(id));
        return Response.ok(NotificationView.of(n)).tag(ETags.of(n.version)).build();
    }

    @POST
    @Path("/{id}/read")
    @Transactional
    @Operation(operationId = "markDelegueNotificationRead", summary = "Mark a notification read (If-Match required; repeating it changes nothing)")
    @APIResponse(responseCode = "200", description = "Read", content = @Content(schema = @Schema(implementation = NotificationView.class)))
    public Response markRead(@PathParam("id") @Pattern(regexp = ID_PATTERN, message = "must be a UUID") String id,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        NotificationEntity n = find(UUID.fromString(id));
        if (n.readAt == null) {
            ETags.requireMatch(ifMatch, n.version);
            n.readAt = OffsetDateTime.now(clock);
            audit.record("DelegueNotification", n.id.toString(), "READ", null, Map.of("agreementId", n.agreementId));
            n.flushRevision();
        }
        return Response.ok(NotificationView.of(n)).tag(ETags.of(n.version)).build();
    }

    private NotificationEntity find(UUID id) {
        Parameters p = new Parameters().and("id", id);
        NotificationEntity n = NotificationEntity.<NotificationEntity> find("id = :id and " + mine(p), p).firstResult();
        if (n == null) {
            throw ProblemException.notFound("Notification", id);
        }
        return n;
    }

    /** Addressed to the caller, or to its region while no délégué was known there. */
    private String mine(Parameters p) {
        p.and("me", user.subject()).and("region", user.region().orElse("\u0000"));
        return "(delegueSubject = :me or (delegueSubject is null and regionCode = :region))";
    }

    @Schema(name = "DelegueNotificationPage", requiredProperties = { "items", "page", "size", "totalItems", "totalPages" })
    public record NotificationPage(List<NotificationView> items, int page, int size, long totalItems, int totalPages) {
    }
}
