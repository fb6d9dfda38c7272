package fr.actionlogement.territorial.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * The producer's side of the {@link EventFixture}s: run by the producing service's tests on the records its real
 * relay wrote, it proves that the record the consumers' tests send is the real thing. A producer change that a
 * consumer would see (a header, an envelope attribute, a data field renamed, added, removed or of another JSON type)
 * fails the producer's own test until the stored record is captured again and the consumers' tests run with it.
 *
 * <p>
 * Capture: with {@code -Devent-fixtures.capture=true}, the producer's test stores, for each recorded type, the
 * richest real record it saw (most non-empty values) into {@code test-support/src/main/resources/event-records/}
 * instead of comparing; review the diff, then {@code install} test-support.
 */
public final class EventContract {

    /** Envelope attributes whose values are the contract; {@code id}, {@code time}, {@code subject} vary by event. */
    static final List<String> FIXED_ATTRIBUTES = List.of("specversion", "type", "source", "dataschema",
            "datacontenttype");
    static final Path SCHEMAS = Path.of("..", "docs", "events");
    static final Path SOURCES = Path.of("..", "test-support", "src", "main", "resources");

    private static final SchemaRegistry REGISTRY = SchemaRegistry
            .withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Map<String, Integer> CAPTURED = new ConcurrentHashMap<>();

    private EventContract() {
    }

    /** The recorded types of a producing context ({@link EventFixture#RECORDED}). */
    public static List<String> recorded(String context) {
        return EventFixture.RECORDED.getOrDefault(context, List.of());
    }

    /** Whether some consumer's tests send a stored copy of this record's type. */
    public static boolean isRecorded(ConsumerRecord<String, String> real) {
        String[] name = contextAndName(EventFixture.of(real).type());
        return name != null && recorded(name[0]).contains(name[1]);
    }

    /**
     * Asserts that the stored record of {@code real}'s type has the same topic, the same headers, the same envelope
     * attributes (same names in the same order; same specversion, type, source, dataschema, datacontenttype; the
     * subject is the key) and the same data field names, in the same order, with the same JSON types; that the
     * stored data holds against {@code docs/events/<context>/<Name>.v1.json}; and that a parsed record is written
     * back byte for byte (so what {@link EventFixture#value()} sends is in the relay's bytes).
     *
     * @return the short name of the type, e.g. {@code CilRegistered}
     */
    public static String assertMatchesRecorded(ConsumerRecord<String, String> real) {
        EventFixture actual = EventFixture.of(real);
        String[] name = contextAndName(actual.type());
        if (name == null || !recorded(name[0]).contains(name[1])) {
            throw new AssertionError("no recorded event for " + actual.type() + "; recorded: " + EventFixture.RECORDED);
        }
        if (!actual.value().equals(real.value())) {
            throw new AssertionError("a parsed record is not written back byte for byte:\n relay:  " + real.value()
                    + "\n parsed: " + actual.value());
        }
        if (Boolean.getBoolean("event-fixtures.capture")) {
            capture(name[0], name[1], actual);
            return name[1];
        }
        EventFixture recorded = EventFixture.of(name[0], name[1]);
        List<String> differences = new ArrayList<>();
        if (!recorded.topic().equals(actual.topic())) {
            differences.add("topic: recorded " + recorded.topic() + ", relay " + actual.topic());
        }
        if (!recorded.headers().equals(actual.headers())) {
            differences.add("headers: recorded " + recorded.headers() + ", relay " + actual.headers());
        }
        JsonNode r = recorded.envelope();
        JsonNode a = actual.envelope();
        if (!EventFixture.fieldNames(r).stream().toList().equals(EventFixture.fieldNames(a).stream().toList())) {
            differences.add("envelope attributes: recorded " + EventFixture.fieldNames(r) + ", relay "
                    + EventFixture.fieldNames(a));
        }
        for (String attribute : FIXED_ATTRIBUTES) {
            if (!Objects.equals(r.get(attribute), a.get(attribute))) {
                differences.add(attribute + ": recorded " + r.get(attribute) + ", relay " + a.get(attribute));
            }
        }
        for (EventFixture f : List.of(recorded, actual)) {
            if (!f.envelope().path("subject").asText().equals(f.key())) {
                differences.add("subject " + f.envelope().get("subject") + " is not the key " + f.key());
            }
        }
        compareShape(r.get("data"), a.get("data"), "data", differences);
        differences.addAll(schemaErrors(name[0], name[1], r.get("data")));
        if (!differences.isEmpty()) {
            throw new AssertionError(name[0] + "/" + name[1] + ": the stored record (test-support "
                    + EventFixture.resource(name[0], name[1]) + ") is no longer what the relay writes; capture it "
                    + "again (-Devent-fixtures.capture=true) and run the consumers' tests:\n - "
                    + String.join("\n - ", differences) + "\n relay's record: " + real.value());
        }
        return name[1];
    }

    /** Same JSON types and, for objects, the same field names in the same order; null is compatible with any. */
    static void compareShape(JsonNode recorded, JsonNode actual, String path, List<String> differences) {
        if (recorded == null || actual == null) {
            if (recorded != actual) {
                differences.add(path + ": recorded " + recorded + ", relay " + actual);
            }
            return;
        }
        if (recorded.isNull() || actual.isNull()) {
            return;
        }
        if (recorded.getNodeType() != actual.getNodeType()) {
            differences.add(path + ": recorded " + recorded.getNodeType() + ", relay " + actual.getNodeType());
            return;
        }
        if (recorded.isObject()) {
            List<String> rNames = EventFixture.fieldNames(recorded).stream().toList();
            List<String> aNames = EventFixture.fieldNames(actual).stream().toList();
            if (!rNames.equals(aNames)) {
                differences.add(path + " fields: recorded " + rNames + ", relay " + aNames);
                return;
            }
            for (String n : rNames) {
                compareShape(recorded.get(n), actual.get(n), path + "." + n, differences);
            }
        } else if (recorded.isArray() && !recorded.isEmpty()) {
            for (int i = 0; i < actual.size(); i++) {
                compareShape(recorded.get(0), actual.get(i), path + "[" + i + "]", differences);
            }
        }
    }

    static List<String> schemaErrors(String context, String name, JsonNode data) {
        Path file = SCHEMAS.resolve(context).resolve(name + ".v1.json");
        try {
            Schema schema = REGISTRY.getSchema(Files.readString(file), InputFormat.JSON);
            return schema.validate(data.toString(), InputFormat.JSON).stream().map(Error::toString)
                    .map(e -> "schema " + file + ": " + e).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("the JSON Schema " + file.toAbsolutePath(), e);
        }
    }

    private static void capture(String context, String name, EventFixture actual) {
        int richness = richness(actual.envelope().get("data"));
        String resource = EventFixture.resource(context, name);
        synchronized (CAPTURED) {
            if (CAPTURED.getOrDefault(resource, -1) >= richness) {
                return;
            }
            CAPTURED.put(resource, richness);
            Path file = SOURCES.resolve(resource);
            try {
                Files.createDirectories(file.getParent());
                Files.writeString(file, EventFixture.JSON.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(actual.toStored()) + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(file.toAbsolutePath().toString(), e);
            }
        }
    }

    /** How many non-null, non-empty values a payload holds: the richest record shows the most of its shape. */
    private static int richness(JsonNode node) {
        if (node == null || node.isNull()) {
            return 0;
        }
        if (node.isArray()) {
            return node.isEmpty() ? 0 : 1 + richness(node.get(0));
        }
        if (node.isObject()) {
            int n = 0;
            for (JsonNode child : node) {
                n += richness(child);
            }
            return n;
        }
        return 1;
    }

    private static String[] contextAndName(String type) {
        String prefix = "fr.actionlogement.";
        if (!type.startsWith(prefix) || !type.endsWith(".v1")) {
            return null;
        }
        String[] parts = type.substring(prefix.length(), type.length() - 3).split("\\.");
        return parts.length == 2 ? parts : null;
    }
}
