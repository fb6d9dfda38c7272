package fr.actionlogement.territorial.systemtests.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;

/**
 * Bad requests generated from a service's OpenAPI document: for a random operation, parameters and a body built
 * from its schemas, then spoiled in one or more ways (wrong types, missing and extra fields, empty, huge and
 * control-character text, lone surrogates, extreme numbers, malformed JSON, wrong content types, traversal and
 * SQL-ish path and query values). Deterministic for a given {@link Random}: the same seed gives the same requests.
 */
public final class OpenApiFuzzer {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Placeholders replaced in the serialized JSON: Jackson cannot write these as they must go on the wire. */
    private static final String LONE_SURROGATE = "@@lone-surrogate@@";
    private static final String RAW_CONTROL = "@@raw-control@@";
    private static final Pattern TEMPLATE = Pattern.compile("\\{([^}]+)}");

    /** Text that has broken input handling somewhere (issue 11 and the usual suspects). */
    static final List<String> TEXTS = List.of("", " ", "a", "avant\u0000après", "\u0000", "tab\tnew\nline\r",
            "\u0001\u0002\u0007\u001b[31m\u007f", "\u0085\u2028\u2029", "é à ç ñ ß", "中文 العربية עברית",
            "\uD83D\uDE00\uD83C\uDFF3\uFE0F\u200D\uD83C\uDF08", "\u202Eevil\u202C", "\uFEFFbom", "Ω≈ç√∫",
            LONE_SURROGATE, RAW_CONTROL, "' OR '1'='1", "1; DROP TABLE cil; --", "\" OR \"\"=\"", "%", "_", "\\",
            "../../../../etc/passwd", "..\\..\\windows\\win.ini", "${jndi:ldap://x/a}", "{{7*7}}", "<script>x</script>",
            "null", "true", "-1", "0", "1e309", "NaN", "2026-02-30", "9999-12-31T23:59:59Z", "EPCI:", "EPCI:200046977",
            "784301275", "REG:84", "DEP:69", "COM:69123", "00000000-0000-0000-0000-000000000000");

    /** Path segments, already percent-encoded (or deliberately not). */
    static final List<String> RAW_SEGMENTS = List.of("..", "%2e%2e", "..%2f..%2f..%2fetc%2fpasswd", "%2e%2e%2f",
            "%00", "a%00b", "%ED%A0%80", "%C0%AE%C0%AE", "%FF", "%25", "%20", "%0d%0aX-Injected:%201", "%3B",
            "1%27%20OR%20%271%27%3D%271", "x%2Fy", "-1", "0", "99999999999999999999", "1e3", "1.5", "%E2%80%AE");

    static final List<JsonNode> NUMBERS = List.of(NODES.numberNode(-1), NODES.numberNode(0),
            NODES.numberNode(Integer.MIN_VALUE), NODES.numberNode(Long.MAX_VALUE),
            NODES.numberNode(new java.math.BigInteger("123456789012345678901234567890")),
            NODES.numberNode(new java.math.BigDecimal("1e400")), NODES.numberNode(-1e308), NODES.numberNode(0.000001),
            NODES.numberNode(new java.math.BigDecimal("-0.5")), NODES.numberNode(2147483648L));

    static final List<String> CONTENT_TYPES = List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
            "multipart/form-data", "multipart/form-data; boundary=x", "application/json; charset=ISO-8859-1",
            "application/json; charset=nope", "application/octet-stream", "text/csv", "garbage", "application/*",
            "application/problem+json");

    /** One operation of the document. */
    public record Op(String method, String template, List<Parameter> parameters, Schema<?> body, String mediaType) {
    }

    /** A generated request, with what was done to it; {@link #describe()} prints it for replay. */
    public record Request(String service, int index, String method, String path, String contentType, byte[] body,
            Map<String, String> headers, String kind) {

        public boolean isWrite() {
            return !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
        }

        public String describe() {
            String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
            if (text.length() > 400) {
                text = text.substring(0, 400) + "...(" + body.length + " bytes)";
            }
            return "#" + index + " [" + kind + "] " + method + " " + path + " Content-Type: " + contentType
                    + " headers " + headers + " body " + escape(text);
        }

        private static String escape(String s) {
            StringBuilder out = new StringBuilder();
            s.codePoints().forEach(c -> {
                if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || Character.isSurrogate((char) c)) {
                    out.append(String.format("\\u%04x", c));
                } else {
                    out.appendCodePoint(c);
                }
            });
            return out.toString();
        }
    }

    private final String service;
    private final String apiRoot;
    private final List<Op> operations = new ArrayList<>();
    private Map<String, List<String>> knownIds = Map.of();

    public OpenApiFuzzer(String service, String openApiJson) {
        this.service = service;
        this.apiRoot = "/api/" + service;
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        var result = new OpenAPIV3Parser().readContents(openApiJson, null, options);
        OpenAPI doc = result.getOpenAPI();
        if (doc == null || doc.getPaths() == null) {
            throw new IllegalStateException("No OpenAPI document for " + service + ": " + result.getMessages());
        }
        doc.getPaths().forEach((template, item) -> item.readOperationsMap().forEach((method, op) -> operations
                .add(op(method, template, item, op))));
        operations.sort(java.util.Comparator.comparing((Op o) -> o.template()).thenComparing(Op::method));
    }

    public List<Op> operations() {
        return operations;
    }

    /**
     * Ids of resources the caller made itself, by the path up to the parameter (e.g.
     * {@code /api/observatory/observations/{id}}): a well-formed value of that parameter is one of them. Any other
     * well-formed id is one no test can have made (a huge number, a random UUID), so what the fuzzer reaches never
     * depends on data other test classes left behind.
     */
    public OpenApiFuzzer withKnownIds(Map<String, List<String>> ids) {
        this.knownIds = Map.copyOf(ids);
        return this;
    }

    private Op op(PathItem.HttpMethod method, String template, PathItem item, Operation op) {
        List<Parameter> params = new ArrayList<>();
        if (item.getParameters() != null) {
            params.addAll(item.getParameters());
        }
        if (op.getParameters() != null) {
            params.addAll(op.getParameters());
        }
        Schema<?> body = null;
        String mediaType = null;
        if (op.getRequestBody() != null && op.getRequestBody().getContent() != null) {
            for (Map.Entry<String, MediaType> e : op.getRequestBody().getContent().entrySet()) {
                mediaType = e.getKey();
                body = e.getValue().getSchema();
                if (mediaType.contains("json")) {
                    break;
                }
            }
        }
        String path = template.startsWith(apiRoot) ? template : apiRoot + template;
        return new Op(method.name(), path, params, body, mediaType);
    }

    public Request next(int index, Random r) {
        Op op = operations.get(r.nextInt(operations.size()));
        List<String> kinds = new ArrayList<>();
        String method = op.method();
        if (r.nextInt(40) == 0) {
            method = pick(r, List.of("PATCH", "DELETE", "PUT", "POST", "OPTIONS"));
            kinds.add("method");
        }
        String path = path(op, r, kinds);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", r.nextInt(12) == 0 ? pick(r, List.of("*/*", "text/csv", "application/xml", "text/html"))
                : "application/json");
        switch (r.nextInt(6)) {
            case 0 -> headers.put("If-Match", pick(r, List.of("\"0\"", "\"1\"", "W/\"1\"", "*", "\"x\"", "garbage",
                    "\"99999999999999999999\"", "\"-1\"")));
            case 1 -> headers.put("Idempotency-Key", pick(r, List.of(UUID.nameUUIDFromBytes(("" + index).getBytes())
                    .toString(), "k".repeat(300), "with space", "")));
            default -> {
            }
        }
        String contentType = null;
        byte[] body = null;
        if (op.body() != null || r.nextInt(20) == 0) {
            contentType = op.mediaType() == null ? "application/json" : op.mediaType();
            body = body(op, r, kinds);
            if (r.nextInt(8) == 0) {
                contentType = r.nextInt(4) == 0 ? null : pick(r, CONTENT_TYPES);
                kinds.add("content-type");
            }
        }
        return new Request(service, index, method, path, contentType, body, headers, String.join("+", kinds));
    }

    private String path(Op op, Random r, List<String> kinds) {
        Matcher m = TEMPLATE.matcher(op.template());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Parameter p = param(op, m.group(1), "path");
            String value;
            int dice = r.nextInt(10);
            if (dice < 3) {
                List<String> known = knownIds.get(op.template().substring(0, m.end()));
                value = known != null && !known.isEmpty() ? encode(pick(r, known)) : encode(unknownId(p, r));
            } else if (dice < 6) {
                value = pick(r, RAW_SEGMENTS);
                kinds.add("path-raw");
            } else {
                value = encode(text(r));
                kinds.add("path-text");
            }
            if (value.isEmpty()) {
                value = "%20";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        List<String> query = new ArrayList<>();
        for (Parameter p : op.parameters()) {
            if (!"query".equals(p.getIn()) || r.nextInt(3) == 0) {
                continue;
            }
            String value = r.nextBoolean() ? valid(p.getSchema(), r).asText() : text(r);
            if (r.nextInt(4) == 0) {
                kinds.add("query-raw");
                query.add(p.getName() + "=" + pick(r, RAW_SEGMENTS));
            } else {
                query.add(p.getName() + "=" + encode(value));
            }
        }
        if (r.nextInt(5) == 0) {
            kinds.add("query-extra");
            query.add(pick(r, List.of("page=-1", "size=0", "size=201", "size=99999999999", "page=abc",
                    "sort=name;DROP%20TABLE", "sort=id,sideways", "sort=%00", "unknown=1", "page=1&page=2",
                    "size=1e3", "sort=")));
        }
        if (!query.isEmpty()) {
            out.append('?').append(String.join("&", query));
        }
        if (out.isEmpty() || out.charAt(0) != '/') {
            out.insert(0, '/');
        }
        return out.toString();
    }

    /** A well-formed id that cannot name an existing resource: sequences never get that far, UUIDs are random. */
    private String unknownId(Parameter p, Random r) {
        Schema<?> schema = p == null ? null : p.getSchema();
        if (schema != null && "integer".equals(typeOf(schema))) {
            return "int32".equals(schema.getFormat()) ? Integer.toString(2_000_000_000 + r.nextInt(100_000_000))
                    : Long.toString(9_000_000_000_000L + r.nextInt(1_000_000));
        }
        return valid(schema, r).asText();
    }

    private static Parameter param(Op op, String name, String in) {
        return op.parameters().stream().filter(p -> name.equals(p.getName()) && in.equals(p.getIn())).findFirst()
                .orElse(null);
    }

    private byte[] body(Op op, Random r, List<String> kinds) {
        int dice = r.nextInt(20);
        if (dice == 0) {
            kinds.add("malformed");
            return pick(r, List.of("{", "{\"a\":", "}", "[", "{\"a\":1,}", "{'a':1}", "nul", "\u0000", "{\"a\":1}x",
                    "\"unterminated", "{\"a\":01}", "{\"a\":NaN}", "{\"a\":.5}", "{\"a\":\"\\x\"}", "{\"\\ud800\":1}",
                    "[".repeat(2000) + "]".repeat(2000), "{\"a\":" + "[".repeat(5000))).getBytes(StandardCharsets.UTF_8);
        }
        if (dice == 1) {
            kinds.add("bytes");
            byte[] junk = new byte[r.nextInt(64)];
            r.nextBytes(junk);
            return junk;
        }
        if (dice == 2) {
            kinds.add("empty");
            return new byte[0];
        }
        if (dice == 3) {
            kinds.add("body-type");
            return pick(r, List.of("null", "[]", "1", "\"x\"", "true", "[{}]", "{}")).getBytes(StandardCharsets.UTF_8);
        }
        JsonNode value = valid(op.body(), r);
        int mutations = 1 + r.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            value = mutate(value, r, kinds);
        }
        String json = GatewayApi.json(value);
        json = json.replace(LONE_SURROGATE, r.nextBoolean() ? "\\ud800" : "x\\udfffy").replace(RAW_CONTROL,
                "\u0001\u001f");
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** A value the schema allows, roughly (formats, enums and required fields honoured; bounds not always). */
    JsonNode valid(Schema<?> schema, Random r) {
        return valid(schema, r, 0);
    }

    private JsonNode valid(Schema<?> schema, Random r, int depth) {
        if (schema == null) {
            return NODES.textNode("x");
        }
        if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
            return GatewayApi.JSON.valueToTree(pick(r, schema.getEnum()));
        }
        if (schema.getAllOf() != null && !schema.getAllOf().isEmpty()) {
            ObjectNode merged = NODES.objectNode();
            for (Schema<?> part : schema.getAllOf()) {
                JsonNode v = valid(part, r, depth + 1);
                if (v instanceof ObjectNode o) {
                    merged.setAll(o);
                }
            }
            return merged;
        }
        if (schema.getOneOf() != null && !schema.getOneOf().isEmpty()) {
            return valid(pick(r, schema.getOneOf()), r, depth + 1);
        }
        if (schema.getAnyOf() != null && !schema.getAnyOf().isEmpty()) {
            return valid(pick(r, schema.getAnyOf()), r, depth + 1);
        }
        String type = typeOf(schema);
        switch (type) {
            case "object": {
                ObjectNode o = NODES.objectNode();
                if (schema.getProperties() != null && depth < 6) {
                    schema.getProperties().forEach((name, s) -> {
                        boolean required = schema.getRequired() != null && schema.getRequired().contains(name);
                        if (required || r.nextInt(3) > 0) {
                            o.set(name, valid(s, r, depth + 1));
                        }
                    });
                }
                return o;
            }
            case "array": {
                ArrayNode a = NODES.arrayNode();
                int n = depth < 6 ? r.nextInt(3) : 0;
                for (int i = 0; i < n; i++) {
                    a.add(valid(schema.getItems(), r, depth + 1));
                }
                return a;
            }
            case "integer":
                return NODES.numberNode(schema.getMinimum() != null ? schema.getMinimum().longValue() + r.nextInt(3)
                        : r.nextInt(2030));
            case "number":
                return NODES.numberNode(r.nextInt(100000) / 100.0);
            case "boolean":
                return NODES.booleanNode(r.nextBoolean());
            default:
                return NODES.textNode(validText(schema, r));
        }
    }

    private static String typeOf(Schema<?> schema) {
        if (schema.getType() != null) {
            return schema.getType();
        }
        if (schema.getTypes() != null && !schema.getTypes().isEmpty()) {
            return schema.getTypes().stream().filter(t -> !"null".equals(t)).findFirst().orElse("string");
        }
        return schema.getProperties() != null ? "object" : schema.getItems() != null ? "array" : "string";
    }

    private static String validText(Schema<?> schema, Random r) {
        String format = schema.getFormat() == null ? "" : schema.getFormat();
        return switch (format) {
            case "date" -> "2026-0" + (1 + r.nextInt(9)) + "-1" + r.nextInt(10);
            case "date-time" -> "2026-03-1" + r.nextInt(10) + "T10:00:00Z";
            case "uuid" -> new UUID(r.nextLong(), r.nextLong()).toString();
            case "uri" -> "https://example.org/x";
            default -> schema.getPattern() != null && schema.getPattern().contains("\\d") ? "784301275"
                    : "fuzz-" + r.nextInt(1000);
        };
    }

    private JsonNode mutate(JsonNode value, Random r, List<String> kinds) {
        if (!(value instanceof ObjectNode o) || o.isEmpty()) {
            if (value instanceof ObjectNode o2) {
                kinds.add("extra");
                o2.put("unexpected", text(r));
                return o2;
            }
            kinds.add("replace");
            return scalar(r);
        }
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        String name = pick(r, names);
        JsonNode child = o.get(name);
        if (child instanceof ObjectNode && r.nextBoolean()) {
            o.set(name, mutate(child, r, kinds));
            return o;
        }
        if (child instanceof ArrayNode a && !a.isEmpty() && r.nextBoolean()) {
            a.set(0, mutate(a.get(0), r, kinds));
            return o;
        }
        switch (r.nextInt(7)) {
            case 0 -> {
                kinds.add("missing");
                o.remove(name);
            }
            case 1 -> {
                kinds.add("extra");
                o.put(pick(r, List.of("unexpected", "id", "version", "__proto__", "status", "")), text(r));
            }
            case 2 -> {
                kinds.add("wrong-type");
                o.set(name, child.isTextual() ? pick(r, List.of(NODES.numberNode(1), NODES.booleanNode(true),
                        NODES.arrayNode(), NODES.objectNode())) : NODES.textNode(text(r)));
            }
            case 3 -> {
                kinds.add("null");
                o.putNull(name);
            }
            case 4 -> {
                kinds.add("number");
                o.set(name, pick(r, NUMBERS));
            }
            case 5 -> {
                kinds.add("huge");
                o.put(name, pick(r, List.of("x", "é", "\uD83D\uDE00", "\u0000")).repeat(1000 + r.nextInt(60_000)));
            }
            default -> {
                kinds.add("text");
                o.put(name, text(r));
            }
        }
        return o;
    }

    private JsonNode scalar(Random r) {
        return switch (r.nextInt(3)) {
            case 0 -> NODES.textNode(text(r));
            case 1 -> pick(r, NUMBERS);
            default -> NODES.nullNode();
        };
    }

    private static String text(Random r) {
        return pick(r, TEXTS);
    }

    /** Percent-encodes everything but RFC 3986's unreserved characters (a lone surrogate becomes '?'). */
    static String encode(String s) {
        if (s.equals(LONE_SURROGATE)) {
            return "%ED%A0%80";
        }
        if (s.equals(RAW_CONTROL)) {
            return "%01%1F";
        }
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    private static <T> T pick(Random r, List<T> values) {
        return values.get(r.nextInt(values.size()));
    }
}
