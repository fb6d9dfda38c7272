package fr.actionlogement.territorial.conventions.api;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
import fr.actionlogement.territorial.conventions.api.DeviceDtos.DeviceRequest;
import fr.actionlogement.territorial.conventions.api.DeviceDtos.DeviceUpdate;
import fr.actionlogement.territorial.conventions.api.DeviceDtos.DeviceView;
import fr.actionlogement.territorial.conventions.domain.DeviceDefinition;
import fr.actionlogement.territorial.conventions.domain.PartyType;
import fr.actionlogement.territorial.conventions.messaging.DeviceCatalogueEvents;
import fr.actionlogement.territorial.conventions.persistence.DeviceEntity;
import fr.actionlogement.territorial.conventions.persistence.EnvelopeEntity;

/**
 * the UESL's device catalogue. The UESL (and admins) add and change devices; every authenticated
 * role reads it. Each change moves the device's revision (ETag), is audited and published (DeviceCatalogueChanged).
 * Devices are never removed: conventions and templates keep citing them.
 */
@Path("/devices")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Devices", description = "The UESL's device catalogue (dispositifs): who runs each, contingent products (R-04, R-09, R-10)")
public class DeviceResource {

    static final String AGGREGATE = "Device";

    @Inject
    AuditLog audit;
    @Inject
    Idempotency idempotency;
    @Inject
    CurrentUser user;
    @Inject
    DeviceCatalogueEvents events;
    @Inject
    Clock clock;
    @Context
    UriInfo uriInfo;

    @POST
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN })
    @Operation(operationId = "addDevice", summary = "Add a device to the catalogue (UESL)")
    @RequestBody(content = @Content(schema = @Schema(implementation = DeviceRequest.class), examples = @ExampleObject(name = "mobili-pass", value = """
            {"code":"MOBILI_PASS","label":"MOBILI-PASS","contingent":false,"productCodes":["MOBILI_PASS"]}""")))
    @APIResponse(responseCode = "201", description = "Added", content = @Content(schema = @Schema(implementation = DeviceView.class)))
    public Response add(@Valid @NotNull DeviceRequest request, @HeaderParam(Idempotency.HEADER) String key) {
        return idempotency.once(key, "addDevice", request, () -> {
            if (DeviceEntity.findByIdOptional(request.code()).isPresent()) {
                throw new ProblemException(ProblemType.CONFLICT, "device " + request.code()
                        + " is in the catalogue; change it with PUT /devices/" + request.code());
            }
            DeviceDefinition d = checked(new DeviceDefinition(request.code(), request.label(), request.runBy(),
                    Boolean.TRUE.equals(request.contingent()), distinct(request.productCodes())), null);
            DeviceEntity e = new DeviceEntity();
            e.code = d.code();
            write(e, d);
            e.persist();
            audit.record(AGGREGATE, d.code(), "ADDED", null, details(d));
            // A create racing past the check above fails here (primary key), inside the request: 409.
            DeviceEntity.flush();
            events.changed(d, "ADDED", e.version, user.subject(), clock.instant());
            return Response.created(Locations.of(uriInfo, "devices", d.code())).tag(ETags.of(e.version))
                    .entity(view(e)).build();
        });
    }

    @PUT
    @Path("{code}")
    @Transactional
    @RolesAllowed({ Roles.UESL, Roles.ADMIN })
    @Operation(operationId = "changeDevice", summary = "Change a device of the catalogue (UESL); conventions are checked against it from now on")
    @APIResponse(responseCode = "200", description = "Changed", content = @Content(schema = @Schema(implementation = DeviceView.class)))
    public Response change(@PathParam("code") String code, @Valid @NotNull DeviceUpdate request,
            @HeaderParam(ETags.IF_MATCH) String ifMatch) {
        DeviceEntity e = DeviceEntity.lock(code).orElseThrow(() -> ProblemException.notFound("Device", code));
        ETags.requireMatch(ifMatch, e.version);
        DeviceDefinition before = e.toDomain();
        DeviceDefinition d = checked(new DeviceDefinition(code, request.label(), request.runBy(),
                Boolean.TRUE.equals(request.contingent()), distinct(request.productCodes())), before);
        write(e, d);
        Map<String, Object> details = details(d);
        details.put("before", details(before));
        audit.record(AGGREGATE, code, "CHANGED", null, details);
        e.flushRevision();
        events.changed(d, "CHANGED", e.version, user.subject(), clock.instant());
        return Response.ok(view(e)).tag(ETags.of(e.version)).build();
    }

    @GET
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.DELEGUE_TERRITORIAL, Roles.CIL, Roles.COLLECTIVITE,
            Roles.OBSERVATEUR })
    @Operation(operationId = "listDevices", summary = "The device catalogue, by code")
    @APIResponse(responseCode = "200", description = "One page")
    public RestResponse<Page<DeviceView>> list(@Valid @BeanParam PageParams pageParams) {
        PageRequest page = PageRequest.of(pageParams, DeviceEntity.SORTABLE, "code");
        return Page.of(DeviceEntity.list(page).stream().map(DeviceResource::view).toList(), page,
                DeviceEntity.count()).toRestResponse(uriInfo);
    }

    @GET
    @Path("{code}")
    @RolesAllowed({ Roles.UESL, Roles.ADMIN, Roles.DELEGUE_TERRITORIAL, Roles.CIL, Roles.COLLECTIVITE,
            Roles.OBSERVATEUR })
    @Operation(operationId = "getDevice", summary = "One device of the catalogue; ETag for changing it")
    @APIResponse(responseCode = "200", description = "The device", content = @Content(schema = @Schema(implementation = DeviceView.class)))
    public Response get(@PathParam("code") String code) {
        DeviceEntity e = DeviceEntity.<DeviceEntity> findByIdOptional(code)
                .orElseThrow(() -> ProblemException.notFound("Device", code));
        return Response.ok(view(e)).tag(ETags.of(e.version)).build();
    }

    /**
     * a device is run by an Action Logement body; R-10: a contingent device names its products, a product
     * belongs to one device, and a product with envelopes stays contingent (the envelopes would cap nothing).
     */
    private static DeviceDefinition checked(DeviceDefinition d, DeviceDefinition before) {
        if (d.runBy() != null && (!d.runBy().isActionLogement() || d.runBy() == PartyType.CONFERENCE_TERRITORIALE)) {
            throw ProblemException.rule("R-09", "a device is run by an Action Logement body (CIL, FILIALE, UESL,"
                    + " FONCIERE_LOGEMENT, APAGL), not " + d.runBy());
        }
        if (d.contingent() && d.productCodes().isEmpty()) {
            throw ProblemException.rule("R-10", "a contingent device names the product codes its envelopes cap");
        }
        for (DeviceEntity other : DeviceEntity.<DeviceEntity> listAll()) {
            for (String product : other.productCodes) {
                if (!other.code.equals(d.code()) && d.productCodes().contains(product)) {
                    throw ProblemException.conflict("R-10", "product " + product + " belongs to device "
                            + other.code);
                }
            }
        }
        if (before != null && before.contingent()) {
            Set<String> stillContingent = d.contingent() ? new HashSet<>(d.productCodes()) : Set.of();
            for (String product : before.productCodes()) {
                if (!stillContingent.contains(product) && EnvelopeEntity.count(null, product, null) > 0) {
                    throw ProblemException.conflict("R-10", "the UESL has set envelopes on " + product
                            + "; it stays a contingent product of " + d.code());
                }
            }
        }
        return d;
    }

    private static List<String> distinct(List<String> codes) {
        return codes == null ? List.of() : codes.stream().distinct().toList();
    }

    private void write(DeviceEntity e, DeviceDefinition d) {
        e.label = d.label();
        e.runBy = d.runBy();
        e.contingent = d.contingent();
        e.productCodes = d.productCodes().toArray(String[]::new);
        e.updatedAt = clock.instant().atOffset(ZoneOffset.UTC);
        e.updatedBy = user.subject();
    }

    private static Map<String, Object> details(DeviceDefinition d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", d.label());
        m.put("runBy", d.runBy() == null ? "" : d.runBy().name());
        m.put("contingent", d.contingent());
        m.put("productCodes", d.productCodes());
        return m;
    }

    static DeviceView view(DeviceEntity e) {
        return new DeviceView(e.code, e.label, e.runBy, e.contingent, List.of(e.productCodes), e.version,
                e.updatedAt, e.updatedBy);
    }
}
