package fr.actionlogement.territorial.buildingblocks.admin;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import fr.actionlogement.territorial.buildingblocks.inbox.Inbox;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemType;
import fr.actionlogement.territorial.buildingblocks.security.Roles;

/**
 * Operations endpoints every service gets from the building blocks (under its own context path, e.g.
 * {@code /api/conventions/admin/...}), for the {@code admin} role only: the dead letters of the service's consumers
 * and their replay, and what the consumers applied (docs/operations.md).
 */
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "Operations", description = "Dead letters and their replay, events applied by the consumers (admin)")
public class AdminResource {

    private final DeadLetters deadLetters;
    private final Inbox inbox;

    AdminResource(DeadLetters deadLetters, Inbox inbox) {
        this.deadLetters = deadLetters;
        this.inbox = inbox;
    }

    @GET
    @Path("dead-letters")
    @Operation(operationId = "listDeadLetters", summary = "Dead letters not replayed yet (admin)", description = "The records this service's consumers refused "
            + "(its <service>.dlq.v1 topic) that the next replay would handle: original topic, partition and offset, "
            + "the refusal's reason and cause, the event id and type when the record is a CloudEvent.")
    @APIResponse(responseCode = "200", description = "How many are pending, and the first of them", content = @Content(schema = @Schema(implementation = DeadLetters.Pending.class)))
    @APIResponse(responseCode = "503", description = "Kafka did not answer")
    public DeadLetters.Pending list(
            @QueryParam("limit") @DefaultValue("100") @Min(0) @Max(1000) @Parameter(description = "How many to list (the count is always complete)") int limit) {
        try {
            return deadLetters.pending(limit);
        } catch (DeadLetters.DeadLetterUnavailable e) {
            throw unavailable(e);
        }
    }

    @POST
    @Path("dead-letters/replay")
    @Operation(operationId = "replayDeadLetters", summary = "Replay the dead letters once their cause is fixed (admin)", description = "Republishes each "
            + "dead letter not replayed yet to its original topic (key, value and original headers), then commits, so a "
            + "dead letter is replayed once. Consumers are idempotent, so other consumer groups of the topic skip the "
            + "copies. Records that are not CloudEvents are not republished; they are listed as discarded.")
    @APIResponse(responseCode = "200", description = "What was replayed, by topic, and what was discarded", content = @Content(schema = @Schema(implementation = DeadLetters.Replay.class)))
    @APIResponse(responseCode = "503", description = "Kafka did not answer; nothing was committed, the replay can be run again")
    public DeadLetters.Replay replay() {
        try {
            return deadLetters.replay();
        } catch (DeadLetters.DeadLetterUnavailable e) {
            throw unavailable(e);
        }
    }

    @GET
    @Path("inbox")
    @Operation(operationId = "listAppliedEvents", summary = "Events applied by this service's consumers (admin)", description = "One line per consumer "
            + "and event type: how many distinct events it applied (each event id is applied once, in the transaction "
            + "of its effect).")
    @APIResponse(responseCode = "200", description = "Counts per consumer and event type", content = @Content(schema = @Schema(implementation = Inbox.Applied.class, type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY)))
    public List<Inbox.Applied> applied() {
        return inbox.applied();
    }

    private static ProblemException unavailable(RuntimeException e) {
        return new ProblemException(ProblemType.SERVICE_UNAVAILABLE, e.getMessage());
    }
}
