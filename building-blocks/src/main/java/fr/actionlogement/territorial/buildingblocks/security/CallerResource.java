package fr.actionlogement.territorial.buildingblocks.security;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.security.Authenticated;

/**
 * Who the service takes the caller to be, from the verified bearer token alone (no database): a single-page front
 * end shows or hides actions from it, a partner checks its client's roles and tenant claims. Every service gets it
 * under its own context path (e.g. {@code /api/territories/me}). It is also the performance harness's bare endpoint:
 * the same token check as every other request, and nothing else.
 */
@Path("/me")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Caller", description = "The caller as the service sees it")
public class CallerResource {

    @Schema(name = "Caller", description = "The caller's identity, roles and tenant claims as the service reads them from the token")
    public record Caller(@Schema(description = "Token subject (the actor of audit entries)") String subject,
            @Schema(description = "preferred_username", examples = "uesl.demo") String username,
            @Schema(description = "Roles, sorted", examples = "[\"uesl\"]") List<String> roles,
            @Schema(description = "SIREN of the caller's CIL (CIL users)", examples = "784301275") String cilId,
            @Schema(description = "Id of the caller's local authority (collectivité users)", examples = "200046977") String collectiviteId,
            @Schema(description = "INSEE code of the caller's région (délégués territoriaux)", examples = "84") String region,
            @Schema(description = "The caller as a party of conventions and agreements, sorted", examples = "[\"CIL:784301275\", \"FILIALE:784301275\"]") List<String> partyKeys) {
    }

    private final CurrentUser user;

    CallerResource(CurrentUser user) {
        this.user = user;
    }

    @GET
    @Operation(operationId = "getCaller", summary = "The caller as this service sees it", description = "Subject, roles and tenant "
            + "claims read from the verified bearer token; nothing is looked up.")
    @APIResponse(responseCode = "200", description = "The caller", content = @Content(schema = @Schema(implementation = Caller.class)))
    public Caller get() {
        return new Caller(user.subject(), user.displayName(), user.roles().stream().sorted().toList(),
                user.cilId().orElse(null), user.collectiviteId().orElse(null), user.region().orElse(null),
                user.partyKeys().stream().sorted().toList());
    }
}
