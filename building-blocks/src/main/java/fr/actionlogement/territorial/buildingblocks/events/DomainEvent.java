package fr.actionlogement.territorial.buildingblocks.events;

/**
 * What a service hands to the outbox: the fact (any Jackson-serializable record, named in the past tense) and
 * where it belongs. Each service owns its event records; only this carrier is shared.
 *
 * @param topic the publishing context's topic, e.g. {@code conventions.events.v1}
 * @param type the versioned CloudEvents type, e.g. {@code fr.actionlogement.conventions.ConventionSigned.v1}
 * @param aggregateType e.g. {@code Convention}
 * @param aggregateId the record key and CloudEvents subject
 * @param data the payload, serialized as JSON
 */
public record DomainEvent(String topic, String type, String aggregateType, String aggregateId, Object data) {
}
