package fr.actionlogement.territorial.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The collector in a test: an OTLP/HTTP receiver ({@code POST /v1/traces}, protobuf, as Quarkus' exporter sends
 * with {@code quarkus.otel.exporter.otlp.traces.protocol=http/protobuf}) on a free loopback port, keeping every span
 * it is sent. It reads only what a test asserts on (service name, ids, parent, name, kind), straight from the
 * protobuf wire format of {@code opentelemetry/proto/trace/v1/trace.proto}; unknown fields are skipped.
 */
public final class OtlpReceiver implements AutoCloseable {

    /** One received span; ids in lower-case hex, {@code parentSpanId} empty for a root span. */
    public record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name,
            Kind kind) {
    }

    /** {@code Span.SpanKind} of trace.proto. */
    public enum Kind {
        UNSPECIFIED,
        INTERNAL,
        SERVER,
        CLIENT,
        PRODUCER,
        CONSUMER
    }

    public final int port;
    /** What {@code quarkus.otel.exporter.otlp.traces.endpoint} is set to. */
    public final String endpoint;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    public OtlpReceiver() {
        this(FreePorts.next());
    }

    /** On a port chosen beforehand, e.g. one already given to the app's configuration. */
    public OtlpReceiver(int port) {
        this.port = port;
        this.endpoint = "http://127.0.0.1:" + port;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    /** Waits until the received spans satisfy {@code done} (exporters batch: a few seconds), returns them all. */
    public List<ReceivedSpan> await(Predicate<List<ReceivedSpan>> done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(spans()) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        return spans();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body;
            try (InputStream in = "gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(ex.getRequestBody())
                    : ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (!ex.getRequestURI().getPath().endsWith("/v1/traces")) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            spans.addAll(exportRequest(body));
            // An empty ExportTraceServiceResponse: everything accepted.
            ex.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            ex.sendResponseHeaders(200, -1);
        }
    }

    // ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
    static List<ReceivedSpan> exportRequest(byte[] body) {
        List<ReceivedSpan> out = new ArrayList<>();
        for (Field resourceSpans : Field.all(body)) {
            if (resourceSpans.number == 1) {
                resourceSpans(resourceSpans.bytes, out);
            }
        }
        return out;
    }

    // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
    // Resource { repeated KeyValue attributes = 1; }   ScopeSpans { repeated Span spans = 2; }
    private static void resourceSpans(byte[] message, List<ReceivedSpan> out) {
        String service = "";
        List<byte[]> scopes = new ArrayList<>();
        for (Field f : Field.all(message)) {
            if (f.number == 1) {
                for (Field attribute : Field.all(f.bytes)) {
                    if (attribute.number == 1 && "service.name".equals(key(attribute.bytes))) {
                        service = stringValue(attribute.bytes);
                    }
                }
            } else if (f.number == 2) {
                scopes.add(f.bytes);
            }
        }
        for (byte[] scope : scopes) {
            for (Field f : Field.all(scope)) {
                if (f.number == 2) {
                    out.add(span(service, f.bytes));
                }
            }
        }
    }

    // KeyValue { string key = 1; AnyValue value = 2; }   AnyValue { string string_value = 1; ... }
    private static String key(byte[] keyValue) {
        return Field.all(keyValue).stream().filter(f -> f.number == 1).map(Field::string).findFirst().orElse("");
    }

    private static String stringValue(byte[] keyValue) {
        return Field.all(keyValue).stream().filter(f -> f.number == 2)
                .flatMap(v -> Field.all(v.bytes).stream()).filter(f -> f.number == 1).map(Field::string)
                .findFirst().orElse("");
    }

    // Span { bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4;
    // string name = 5; SpanKind kind = 6; ... }
    private static ReceivedSpan span(String service, byte[] message) {
        String traceId = "";
        String spanId = "";
        String parent = "";
        String name = "";
        Kind kind = Kind.UNSPECIFIED;
        for (Field f : Field.all(message)) {
            switch (f.number) {
                case 1 -> traceId = HexFormat.of().formatHex(f.bytes);
                case 2 -> spanId = HexFormat.of().formatHex(f.bytes);
                case 4 -> parent = HexFormat.of().formatHex(f.bytes);
                case 5 -> name = f.string();
                case 6 -> kind = Kind.values()[(int) f.varint];
                default -> {
                    // not asserted on
                }
            }
        }
        return new ReceivedSpan(service, traceId, spanId, parent, name, kind);
    }

    /** One field of a protobuf message: its number and either its varint or its length-delimited bytes. */
    private record Field(int number, long varint, byte[] bytes) {

        String string() {
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }

        static List<Field> all(byte[] message) {
            List<Field> fields = new ArrayList<>();
            int[] pos = { 0 };
            while (pos[0] < message.length) {
                long tag = varint(message, pos);
                int number = (int) (tag >>> 3);
                switch ((int) (tag & 7)) {
                    case 0 -> fields.add(new Field(number, varint(message, pos), null));
                    case 1 -> pos[0] += 8;
                    case 2 -> {
                        int length = (int) varint(message, pos);
                        ByteArrayOutputStream bytes = new ByteArrayOutputStream(length);
                        bytes.write(message, pos[0], length);
                        pos[0] += length;
                        fields.add(new Field(number, 0, bytes.toByteArray()));
                    }
                    case 5 -> pos[0] += 4;
                    default -> throw new IllegalArgumentException("unsupported protobuf wire type in tag " + tag);
                }
            }
            return fields;
        }

        private static long varint(byte[] message, int[] pos) {
            long value = 0;
            for (int shift = 0;; shift += 7) {
                byte b = message[pos[0]++];
                value |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return value;
                }
            }
        }
    }
}
