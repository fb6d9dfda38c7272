package fr.actionlogement.territorial.buildingblocks.events;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A CloudEvents 1.0 event in structured JSON mode: the Kafka record value is this whole envelope, its key the
 * aggregate id (the {@code subject}), so that the events of one aggregate stay ordered on one partition.
 *
 * <p>
 * {@code type} is versioned ({@code fr.actionlogement.conventions.ConventionSigned.v1}) so a consumer never
 * routes on a Java class name, and {@code dataschema} points at the JSON Schema published in {@code docs/}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudEvent(
        String specversion,
        String id,
        URI source,
        String type,
        OffsetDateTime time,
        String subject,
        URI dataschema,
        String datacontenttype,
        JsonNode data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String JSON = "application/json";
    /** Kafka content-type header value of the structured mode (CloudEvents Kafka protocol binding). */
    public static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";

    public CloudEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
    }

    public static CloudEvent of(URI source, String type, String subject, URI dataschema, OffsetDateTime time,
            JsonNode data) {
        return new CloudEvent(SPEC_VERSION, UUID.randomUUID().toString(), source, type, time, subject, dataschema,
                JSON, data);
    }
}
