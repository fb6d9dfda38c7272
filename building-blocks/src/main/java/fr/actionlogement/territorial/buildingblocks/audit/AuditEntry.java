package fr.actionlogement.territorial.buildingblocks.audit;

import java.time.OffsetDateTime;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

/** One audited state change: who, when, what, why. */
@Schema(name = "AuditEntry")
public record AuditEntry(
        long id,
        String aggregateType,
        String aggregateId,
        @Schema(examples = "SIGNED") String action,
        @Schema(description = "Token subject of the caller, or 'system' for event-driven changes") String actor,
        OffsetDateTime occurredAt,
        @Schema(description = "Why, as given by the caller") String reason,
        @Schema(description = "What changed") JsonNode details,
        String requestId) {
}
