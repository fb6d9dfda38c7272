package fr.actionlogement.territorial.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One Kafka record exactly as a service's outbox relay wrote it (topic, key, headers, structured CloudEvent value),
 * captured from the producing service's own test and stored once in {@code event-records/<context>/<Name>.v1.json}
 * of this module. Consumer tests send it with {@link KafkaTestClient#send(EventFixture)}, varying only what they
 * must: {@link #subject} (record key and CloudEvents subject), data fields through {@link #with}, and a fresh event
 * id and time per {@link #of}. {@link EventContract}, run by the producing service's tests, proves every stored
 * record still has the headers, attributes and data shape of what the real relay writes.
 *
 * <p>
 * {@link #with} refuses a field the producer does not send, or a value of another JSON type (objects must carry the
 * recorded object's fields; they are written in the recorded order), so a consumer test cannot drift into a shape the
 * producer never writes. Records no producer would write (poison, malformed, tombstones) are sent with
 * {@link KafkaTestClient#send(String, String, String)} on purpose.
 *
 * <p>
 * Immutable: each {@code with...} returns a copy that keeps the event id unless {@link #withNewId()} is called, so
 * a test can redeliver the same event, or the same id with another payload.
 */
public final class EventFixture {

    /** The stored records, by producing context: what some consumer of another context reads. */
    public static final Map<String, List<String>> RECORDED = Map.of(
            "territories", List.of("TerritoryRegistered", "CilRegistered", "CilPresenceChanged",
                    "RegionalConferenceChanged", "DelegueAssigned", "BasinDefined", "TerritorialConferenceInstalled",
                    "ConferenceInstallationOverdue"),
            "conventions", List.of("ConventionSigned", "ConventionAmended", "AchievementRecorded"));

    static final String RESOURCES = "event-records/";
    /** W3C Trace Context and Baggage: per-record values (see {@link #of(ConsumerRecord)}). */
    static final Set<String> TRACE_CONTEXT_HEADERS = Set.of("traceparent", "tracestate", "baggage");
    /**
     * Numbers are read as they were written (250000.50 stays 250000.50), so that writing a parsed record back gives
     * the relay's bytes: {@link EventContract} checks it on every real record.
     */
    static final ObjectMapper JSON = JsonMapper.builder().nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    /** A Kafka header; the relay's are text (UTF-8). */
    public record Header(String key, String value) {
    }

    private final String topic;
    private final String key;
    private final List<Header> headers;
    private final ObjectNode envelope;

    private EventFixture(String topic, String key, List<Header> headers, ObjectNode envelope) {
        this.topic = topic;
        this.key = key;
        this.headers = List.copyOf(headers);
        this.envelope = envelope;
    }

    /** The stored record of {@code fr.actionlogement.<context>.<name>.v1}, as a new event: fresh id, time now. */
    public static EventFixture of(String context, String name) {
        String resource = resource(context, name);
        try (InputStream in = EventFixture.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no recorded event " + resource + "; recorded: " + RECORDED);
            }
            return fromStored(JSON.readTree(in)).withNewId().withTimeNow();
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
    }

    /**
     * A record read from a topic, as it is (used to compare and to capture), but for its W3C trace context headers:
     * they name the trace of the write that made the event, a value of each record like its id, and no part of the
     * contract (a consumer's test sends a record without them, as a write outside any trace would give).
     */
    public static EventFixture of(ConsumerRecord<String, String> record) {
        List<Header> headers = new ArrayList<>();
        record.headers().forEach(h -> {
            if (!TRACE_CONTEXT_HEADERS.contains(h.key())) {
                headers.add(new Header(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8)));
            }
        });
        try {
            return new EventFixture(record.topic(), record.key(), headers, (ObjectNode) JSON.readTree(record.value()));
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalArgumentException("not a structured CloudEvent: " + record.value(), e);
        }
    }

    static EventFixture fromStored(JsonNode stored) {
        List<Header> headers = new ArrayList<>();
        stored.get("headers").forEach(h -> headers.add(new Header(h.get("key").asText(), h.get("value").asText())));
        return new EventFixture(stored.get("topic").asText(), stored.get("key").asText(), headers,
                (ObjectNode) stored.get("value").deepCopy());
    }

    /** The stored form: topic, key, headers, and the value as JSON (written compact, it is the relay's bytes). */
    JsonNode toStored() {
        ObjectNode stored = JSON.createObjectNode();
        stored.put("topic", topic);
        stored.put("key", key);
        ArrayNode hs = stored.putArray("headers");
        headers.forEach(h -> hs.addObject().put("key", h.key()).put("value", h.value()));
        stored.set("value", envelope.deepCopy());
        return stored;
    }

    static String resource(String context, String name) {
        return RESOURCES + context + "/" + name + ".v1.json";
    }

    /** The aggregate id: the record key and the CloudEvents {@code subject}, as the relay sets them. */
    public EventFixture subject(String aggregateId) {
        ObjectNode copy = envelope.deepCopy();
        copy.put("subject", aggregateId);
        return new EventFixture(topic, aggregateId, headers, copy);
    }

    /**
     * A copy whose data field {@code field} is {@code value} (a String, number, Boolean, List, Map or null). The field
     * must be one the producer sends, and the value of its JSON type; a List or Map is checked element by element
     * against the recorded one.
     */
    public EventFixture with(String field, Object value) {
        JsonNode data = envelope.get("data");
        if (data == null || !data.has(field)) {
            throw new IllegalArgumentException(type() + " has no data field '" + field + "'; the producer sends "
                    + fieldNames(data));
        }
        ObjectNode copy = envelope.deepCopy();
        ((ObjectNode) copy.get("data")).set(field, conform(data.get(field), JSON.valueToTree(value), "data." + field));
        return new EventFixture(topic, key, headers, copy);
    }

    /**
     * A copy without the data field {@code field}, as a producer wrote the record before it added that field to the
     * type (an additive change: consumers must still read the older records). The field must be one the producer
     * sends now.
     */
    public EventFixture without(String field) {
        JsonNode data = envelope.get("data");
        if (data == null || !data.has(field)) {
            throw new IllegalArgumentException(type() + " has no data field '" + field + "'; the producer sends "
                    + fieldNames(data));
        }
        ObjectNode copy = envelope.deepCopy();
        ((ObjectNode) copy.get("data")).remove(field);
        return new EventFixture(topic, key, headers, copy);
    }

    /** A copy with a fresh event id: another event with the same payload. */
    public EventFixture withNewId() {
        ObjectNode copy = envelope.deepCopy();
        copy.put("id", UUID.randomUUID().toString());
        return new EventFixture(topic, key, headers, copy);
    }

    private EventFixture withTimeNow() {
        ObjectNode copy = envelope.deepCopy();
        copy.put("time", OffsetDateTime.now(ZoneOffset.UTC).toString());
        return new EventFixture(topic, key, headers, copy);
    }

    public String id() {
        return envelope.get("id").asText();
    }

    public String type() {
        return envelope.path("type").asText();
    }

    public String topic() {
        return topic;
    }

    public String key() {
        return key;
    }

    public List<Header> headers() {
        return headers;
    }

    /** The record value: the envelope written compact, as the relay writes it. */
    public String value() {
        try {
            return JSON.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    ObjectNode envelope() {
        return envelope;
    }

    /** The Kafka record: topic, key, value and every header. */
    public ProducerRecord<String, String> toProducerRecord() {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value());
        headers.forEach(h -> record.headers().add(h.key(),
                h.value() == null ? null : h.value().getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    @Override
    public String toString() {
        return topic + " " + key + " " + headers + " " + value();
    }

    private static JsonNode conform(JsonNode recorded, JsonNode given, String path) {
        if (given.isNull() || recorded.isNull()) {
            return given; // optional fields: the producer sends null or a value
        }
        if (recorded.getNodeType() != given.getNodeType()) {
            throw new IllegalArgumentException(path + " is " + recorded.getNodeType() + " in the recorded event, not "
                    + given.getNodeType() + " (" + given + ")");
        }
        if (recorded.isObject()) {
            Set<String> expected = fieldNames(recorded);
            Set<String> actual = fieldNames(given);
            if (!expected.equals(actual)) {
                throw new IllegalArgumentException(path + " has the fields " + expected + " in the recorded event, not "
                        + actual);
            }
            ObjectNode ordered = JSON.createObjectNode();
            for (String name : expected) {
                ordered.set(name, conform(recorded.get(name), given.get(name), path + "." + name));
            }
            return ordered;
        }
        if (recorded.isArray() && !recorded.isEmpty()) {
            ArrayNode elements = JSON.createArrayNode();
            for (int i = 0; i < given.size(); i++) {
                elements.add(conform(recorded.get(0), given.get(i), path + "[" + i + "]"));
            }
            return elements;
        }
        return given;
    }

    static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new LinkedHashSet<>();
        if (node != null) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
                names.add(it.next());
            }
        }
        return names;
    }
}
