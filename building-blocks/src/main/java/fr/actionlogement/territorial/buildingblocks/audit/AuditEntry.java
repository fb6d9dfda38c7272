package fr.actionlogement.territorial.buildingblocks.audit;

import java.time.OffsetDateTime;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One audited state change: who, when, what, why. */
@Schema(name = "AuditEntry")
public record AuditEntry(
        @Schema(required = true) long id,
        @Schema(required = true) String aggregateType,
        @Schema(required = true) String aggregateId,
        @Schema(required = true, examples = "SIGNED") String action,
        @Schema(required = true, description = "Token subject of the caller, or 'system' for event-driven changes") String actor,
        @Schema(required = true) OffsetDateTime occurredAt,
        @Schema(description = "Why, as given by the caller") String reason,
        @Schema(type = SchemaType.OBJECT, additionalProperties = Schema.True.class, description = "What changed, as the operation recorded it: a JSON object whose members depend on the action (e.g. the new state, or from/to values)") Object details,
        String requestId) {
}
