package fr.actionlogement.territorial.systemtests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * Kafka records checked against the AsyncAPI document partners read, {@code docs/events/asyncapi.yaml}, read from
 * the repository when the check runs (so it follows any change of the document or of its schema files): the record's
 * topic is a channel's address; for a CloudEvents channel, the envelope's {@code type} is the title of one of the
 * channel's messages; the record's headers hold against the message's headers schema (its own, or its traits'), its
 * value against the message's payload (structured mode: the whole envelope, with {@code data} against the schema file
 * the payload refers to), its key against the Kafka binding's key schema, and the key is the envelope's
 * {@code subject}. JSON Schema 2020-12 with networknt's json-schema-validator; the relative references of the
 * payloads ({@code ./cloudevent.v1.json}, {@code ./conventions/ConventionSigned.v1.json}) are read from
 * {@code docs/events/}, never fetched.
 */
public final class AsyncApiContract {

    /** The base of the schema files' {@code $id}s, mapped onto {@code docs/events/}. */
    private static final String SCHEMA_BASE = "https://schemas.actionlogement.fr/territorial/";
    private static final String CLOUD_EVENTS = "application/cloudevents+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, AtomicLong> CHECKED = new ConcurrentHashMap<>();
    private static final AtomicLong MISMATCHES = new AtomicLong();
    private static volatile AsyncApiContract document;

    private final Path events;
    private final JsonNode asyncapi;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private AsyncApiContract(Path events) {
        this.events = events;
        try {
            this.asyncapi = new ObjectMapper(new YAMLFactory()).readTree(events.resolve("asyncapi.yaml").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(events.resolve("asyncapi.yaml").toString(), e);
        }
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemas(this::schemaFile));
    }

    private static AsyncApiContract document() {
        AsyncApiContract d = document;
        if (d == null) {
            synchronized (AsyncApiContract.class) {
                if (document == null) {
                    Path root = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
                    document = new AsyncApiContract(root.resolve("docs/events"));
                }
                d = document;
            }
        }
        return d;
    }

    /** Checks one consumed record; throws an {@link AssertionError} naming every mismatch. */
    public static void check(ConsumerRecord<String, String> record) {
        List<String> errors = errors(record);
        if (!errors.isEmpty()) {
            throw new AssertionError(describe(record) + " does not match docs/events/asyncapi.yaml:\n - "
                    + String.join("\n - ", errors));
        }
    }

    /** The mismatches of one record (empty: it is what the document describes); counted in {@link #figures()}. */
    public static List<String> errors(ConsumerRecord<String, String> record) {
        List<String> errors = new ArrayList<>();
        String message = document().validate(record, errors);
        CHECKED.computeIfAbsent(message == null ? "(no message)" : message, k -> new AtomicLong()).incrementAndGet();
        if (!errors.isEmpty()) {
            MISMATCHES.incrementAndGet();
        }
        return errors;
    }

    /**
     * Reads every record of these topics, from their beginning to their end now, and checks each.
     *
     * @return the mismatches, one line per record (empty: every record matches)
     */
    public static List<String> checkTopics(String bootstrapServers, Collection<String> topics) {
        List<String> mismatches = new ArrayList<>();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic, Duration.ofSeconds(30))
                        .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topics + " to their end within 2 minutes");
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                        continue;
                    }
                    List<String> errors = errors(r);
                    if (!errors.isEmpty()) {
                        mismatches.add(describe(r) + ": " + String.join("; ", errors));
                    }
                }
            }
        }
        return mismatches;
    }

    /** What was checked so far, by message, e.g. {@code 812 records checked (ConventionSigned 4, ...), 0 mismatches}. */
    public static String figures() {
        Map<String, Long> byMessage = new TreeMap<>();
        CHECKED.forEach((message, n) -> byMessage.put(message, n.get()));
        long total = byMessage.values().stream().mapToLong(Long::longValue).sum();
        return total + " records checked against docs/events/asyncapi.yaml " + byMessage + ", " + MISMATCHES.get()
                + " mismatches";
    }

    private static String describe(ConsumerRecord<String, String> r) {
        String value = r.value() == null ? "null" : r.value();
        return r.topic() + "-" + r.partition() + "@" + r.offset() + " (key " + r.key() + ", value "
                + (value.length() <= 300 ? value : value.substring(0, 300) + "...") + ")";
    }

    /** @return the name of the message the record was checked against, or null if none fits */
    private String validate(ConsumerRecord<String, String> record, List<String> errors) {
        JsonNode channel = null;
        for (JsonNode c : asyncapi.path("channels")) {
            if (record.topic().equals(c.path("address").asText())) {
                channel = c;
            }
        }
        if (channel == null) {
            errors.add("topic " + record.topic() + " is the address of no channel");
            return null;
        }
        JsonNode envelope = null;
        String type = null;
        Map.Entry<String, JsonNode> message = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = channel.path("messages").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> m = it.next();
            JsonNode resolved = resolve(m.getValue());
            if (!CLOUD_EVENTS.equals(contentType(resolved))) {
                message = Map.entry(m.getKey(), resolved); // e.g. DeadLetter: any value, described by its headers
                break;
            }
            if (envelope == null) {
                try {
                    envelope = JSON.readTree(record.value() == null ? "null" : record.value());
                } catch (IOException e) {
                    errors.add("the value is not JSON, as " + CLOUD_EVENTS + " requires: " + e.getMessage());
                    return null;
                }
                type = envelope.path("type").asText();
            }
            if (type.equals(resolved.path("title").asText())) {
                message = Map.entry(m.getKey(), resolved);
                break;
            }
        }
        if (message == null) {
            errors.add("type " + type + " is the title of no message of channel " + record.topic());
            return null;
        }
        String name = message.getKey();
        JsonNode m = message.getValue();
        ObjectNode headers = JSON.createObjectNode();
        for (Header h : record.headers()) {
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        JsonNode headersSchema = m.has("headers") ? m.get("headers") : null;
        for (JsonNode trait : m.path("traits")) {
            JsonNode t = resolve(trait);
            if (headersSchema == null && t.has("headers")) {
                headersSchema = t.get("headers");
            }
        }
        if (headersSchema != null) {
            validate(name + "/headers", headersSchema, headers, "headers", errors);
        }
        JsonNode payload = m.path("payload");
        JsonNode payloadSchema = payload.has("schemaFormat") ? payload.get("schema") : payload;
        JsonNode value = envelope != null ? envelope : TextNode.valueOf(record.value());
        validate(name + "/payload", payloadSchema, value, "value", errors);
        JsonNode key = m.path("bindings").path("kafka").path("key");
        if (!key.isMissingNode()) {
            validate(name + "/key", key, record.key() == null ? JSON.nullNode() : TextNode.valueOf(record.key()),
                    "key", errors);
        }
        if (envelope != null && !envelope.path("subject").asText().equals(record.key())) {
            errors.add("the key " + record.key() + " is not the envelope's subject " + envelope.path("subject"));
        }
        return name;
    }

    private void validate(String id, JsonNode schemaNode, JsonNode instance, String what, List<String> errors) {
        Schema schema = schemas.computeIfAbsent(id, k -> {
            JsonNode inlined = inline(schemaNode);
            ObjectNode root = inlined.isObject() ? (ObjectNode) inlined.deepCopy() : JSON.createObjectNode();
            // Relative references (./cloudevent.v1.json) resolve against docs/events/, as in the document.
            String iri = SCHEMA_BASE + "asyncapi." + k.replace('/', '.') + ".json";
            root.put("$id", iri);
            return registry.getSchema(SchemaLocation.of(iri), root);
        });
        for (Error e : schema.validate(instance)) {
            errors.add(what + ": " + e);
        }
    }

    /** A schema file by its {@code $id} (or the address a relative reference gives), read from docs/events/. */
    private String schemaFile(String iri) {
        if (!iri.startsWith(SCHEMA_BASE)) {
            return null;
        }
        Path file = events.resolve(iri.substring(SCHEMA_BASE.length())).normalize();
        if (!file.startsWith(events) || !Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }

    private String contentType(JsonNode message) {
        String own = message.path("contentType").asText(null);
        if (own != null) {
            return own;
        }
        for (JsonNode trait : message.path("traits")) {
            String t = resolve(trait).path("contentType").asText(null);
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    /** Follows a reference inside the AsyncAPI document ({@code #/components/...}). */
    private JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int i = 0; i < 10 && current.has("$ref") && current.get("$ref").asText().startsWith("#/"); i++) {
            current = asyncapi.at(current.get("$ref").asText().substring(1));
            if (current.isMissingNode()) {
                throw new IllegalStateException("unresolved " + node.get("$ref") + " in asyncapi.yaml");
            }
        }
        return current;
    }

    /** Every reference inside the AsyncAPI document replaced by what it points to; file references kept. */
    private JsonNode inline(JsonNode node) {
        JsonNode resolved = resolve(node);
        if (resolved.isObject()) {
            ObjectNode copy = JSON.createObjectNode();
            resolved.fields().forEachRemaining(f -> copy.set(f.getKey(), inline(f.getValue())));
            return copy;
        }
        if (resolved.isArray()) {
            var copy = JSON.createArrayNode();
            resolved.forEach(child -> copy.add(inline(child)));
            return copy;
        }
        return resolved;
    }
}
