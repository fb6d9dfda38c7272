package fr.actionlogement.territorial.conventions.api;

import java.util.Map;
import java.util.Set;
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
import fr.actionlogement.territorial.buildingblocks.problem.ProblemType;
import fr.actionlogement.territorial.buildingblocks.security.CurrentUser;
import fr.actionlogement.territorial.buildingblocks.security.Roles;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.EnvelopeRequest;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.EnvelopeUpdate;
import fr.actionlogement.territorial.conventions.api.ConventionDtos.EnvelopeView;
import fr.actionlogement.territorial.conventions.persistence.DeviceEntity;
import fr.actionlogement.territorial.conventions.persistence.EnvelopeEntity;
import fr.actionlogement.territorial.conventions.persistence.PostgresEnvelopeLedger;

@Path("/envelopes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Envelopes", description = "CILs' contingent envelopes per product and year, set by the UESL (R-10)")
public class EnvelopeResource {

    @Inject
    PostgresEnvelopeLedger ledger;
    @Inject
    AuditLog audit;
    @Inject
    Idempotency idempotency;
    @Inject
    CurrentUser user;
    @Context
    UriInfo uriInfo;

    @POST
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN })
    @Operation(operationId = "setEnvelope", summary = "Set a CIL's envelope on a contingent product for a year")
    @RequestBody(content = @Content(schema = @Schema(implementation = EnvelopeRequest.class), examples = @ExampleObject(name = "pass-foncier", value = """
            {"cilId":"775574166","product":"PASS_FONCIER","year":2011,"amount":300}""")))
    @APIResponse(responseCode = "201", description = "Set", content = @Content(schema = @Schema(implementation = EnvelopeView.class)))
    public Response create(@Valid @NotNull EnvelopeRequest request, @HeaderParam(Idempotency.HEADER) String key) {
        return idempotency.once(key, "setEnvelope", request, () -> {
            Set<String> contingent = DeviceEntity.catalogue().contingentProducts();
            if (!contingent.contains(request.product())) {
                throw ProblemException.rule("R-10", request.product() + " is not a contingent product of the device"
                        + " catalogue; contingent: " + contingent);
            }
            if (EnvelopeEntity.find(request.cilId(), request.product(), request.year()).isPresent()) {
                throw new ProblemException(ProblemType.CONFLICT, "an envelope exists for this CIL, product and year;"
                        + " change its amount with PUT");
            }
            EnvelopeEntity e = new EnvelopeEntity();
            e.id = UUID.randomUUID().toString();
            e.cilId = request.cilId();
            e.product = request.product();
            e.year = request.year();
            e.amount = request.amount();
            e.persist();
            audit.record("Envelope", e.id, "SET", null, request);
            // A create racing past the check above fails here (unique CIL, product, year), inside the request: 409.
            EnvelopeEntity.flush();
            return Response.created(Locations.of(uriInfo, "envelopes", e.id)).tag(ETags.of(e.version))
                    .entity(view(e)).build();
        });
    }

    @PUT
    @Path("{id}")
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN })
    @Operation(operationId = "changeEnvelope", summary = "Change an envelope's amount; never below what conventions already commit (R-10)")
    @APIResponse(responseCode = "200", description = "Changed", content = @Content(schema = @Schema(implementation = EnvelopeView.class)))
    public Response update(@PathParam("id") String id, @Valid @NotNull EnvelopeUpdate request,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        EnvelopeEntity e = EnvelopeEntity.lock(id).orElseThrow(() -> ProblemException.notFound("Envelope", id));
        ETags.requireMatch(ifMatch, e.version);
        long committed = ledger.committed(e.cilId, e.product, e.year, null);
        if (request.amount() < committed) {
            throw ProblemException.conflict("R-10", "conventions already commit " + committed + " on this envelope");
        }
        long before = e.amount;
        e.amount = request.amount();
        audit.record("Envelope", id, "CHANGED", null, Map.of("from", before, "to", request.amount()));
        e.flushRevision();
        return Response.ok(view(e)).tag(ETags.of(e.version)).build();
    }

    @GET
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.CIL })
    @Operation(operationId = "listEnvelopes", summary = "Envelopes with what is committed and what remains (a CIL sees its own)")
    @APIResponse(responseCode = "200", description = "One page")
    public RestResponse<Page<EnvelopeView>> list(@QueryParam("cilId") String cilId, @QueryParam("product") String product,
            @QueryParam("year") Integer year, @Valid @BeanParam PageParams pageParams) {
        String cil = user.isUeslOrAdmin() ? cilId : user.cilId().orElse("-");
        if (!user.isUeslOrAdmin() && cilId != null && !cilId.equals(cil)) {
            throw ProblemException.forbidden("a CIL user reads its own CIL's envelopes");
        }
        PageRequest page = PageRequest.of(pageParams, EnvelopeEntity.SORTABLE, "year");
        return Page.of(EnvelopeEntity.list(cil, product, year, page).stream().map(this::view).toList(), page,
                EnvelopeEntity.count(cil, product, year)).toRestResponse(uriInfo);
    }

    @GET
    @Path("{id}")
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.CIL })
    @Operation(operationId = "getEnvelope", summary = "Read an envelope")
    @APIResponse(responseCode = "200", description = "The envelope", content = @Content(schema = @Schema(implementation = EnvelopeView.class)))
    public Response get(@PathParam("id") String id) {
        EnvelopeEntity e = EnvelopeEntity.<EnvelopeEntity> findByIdOptional(id)
                .filter(r -> user.isUeslOrAdmin() || user.cilId().orElse("-").equals(r.cilId))
                .orElseThrow(() -> ProblemException.notFound("Envelope", id));
        return Response.ok(view(e)).tag(ETags.of(e.version)).build();
    }

    private EnvelopeView view(EnvelopeEntity e) {
        long committed = ledger.committed(e.cilId, e.product, e.year, null);
        return new EnvelopeView(e.id, e.cilId, e.product, e.year, e.amount, committed,
                Math.max(0, e.amount - committed));
    }
}
