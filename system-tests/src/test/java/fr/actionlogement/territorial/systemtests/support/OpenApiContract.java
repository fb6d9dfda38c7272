package fr.actionlogement.territorial.systemtests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Every exchange of the journeys (the test classes named {@code ...JourneyTest}) and of the fuzzing, security and
 * fault tests ({@link #COVERED}) checked against the document partners generate clients from: the gateway's
 * {@code /openapi/merged} (Atlassian's OpenAPI request validator). In a journey, a response whose status, headers or
 * body the document does not describe fails the test that received it; so does a request the document forbids that
 * the server nevertheless accepted (a refused one is what journeys send on purpose to prove a rule). In the fuzzing,
 * security and fault tests every mismatch is printed ({@code [contract] MISMATCH}) and counted, not failed: the fuzzer's
 * first run found leniencies of the servers (scalars coerced, unparsable or repeated query parameters ignored, 415 on a
 * GET that carries a Content-Type) to be fixed in the servers or the documents first. Exchanges outside the document
 * (a path or method it does not have, a path with a dot segment) are not judged here.
 */
public final class OpenApiContract {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Map<String, OpenApiInteractionValidator> BY_GATEWAY = new ConcurrentHashMap<>();
    private static final AtomicLong RESPONSES = new AtomicLong();
    private static final AtomicLong REQUESTS = new AtomicLong();
    private static final AtomicLong MISMATCHES = new AtomicLong();
    /** {@code -Dcontract.strict=false} prints every mismatch of a run ({@code [contract] MISMATCH}) instead of failing. */
    private static final boolean STRICT = Boolean.parseBoolean(System.getProperty("contract.strict", "true"));
    /** The test classes besides the journeys whose exchanges are checked (simple names). */
    static final List<String> COVERED = List.of("OpenApiFuzzTest", "GatewaySecurityTest", "FaultsTest");

    /** The operation is not in the document: nothing to compare with. */
    private static final List<String> OUTSIDE = List.of("validation.request.path.missing",
            "validation.request.operation.notAllowed", "validation.response.path.missing",
            "validation.response.operation.notAllowed");

    /**
     * A body sent to an operation that declares none (e.g. {@code {}} on a submit): the server ignores it and a client
     * generated from the document never sends one, so it is no drift of the document.
     */
    private static final List<String> TOLERATED = List.of("validation.request.body.unexpected");

    private OpenApiContract() {
    }

    /** How many responses and requests were checked so far (printed after the last journey as a figure). */
    public static String figures() {
        return RESPONSES.get() + " responses, " + REQUESTS.get() + " accepted requests checked against /openapi/merged, "
                + MISMATCHES.get() + " mismatches";
    }

    /** The figures once more, printed by the last covered class of the run ({@code [contract] ...}). */
    public static void print(String when) {
        System.out.println("[contract] " + when + ": " + figures());
    }

    /** Checks one exchange and returns its reply; throws an {@link AssertionError} naming every mismatch. */
    public static Reply checked(String gateway, HttpRequest sent, byte[] body, Reply reply) {
        URI uri = sent.uri();
        String method = sent.method();
        if (uri.getRawPath().startsWith("/api/") && !dotSegment(uri.getRawPath())) {
            if (fromJourney()) {
                check(gateway, method, uri, sent.headers().map(), body, reply, STRICT);
            } else if (covered()) {
                check(gateway, method, uri, sent.headers().map(), body, reply, false);
            }
        }
        return reply;
    }

    /** The same check for a test that sends with its own client (e.g. GatewaySecurityTest); returns {@code res}. */
    public static HttpResponse<String> checked(String gateway, HttpRequest sent, String body,
            HttpResponse<String> res) {
        byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        checked(gateway, sent, bytes, new Reply(sent.method(), sent.uri(), res.statusCode(), res.headers(),
                res.body() == null ? new byte[0] : res.body().getBytes(StandardCharsets.UTF_8)));
        return res;
    }

    private static void check(String gateway, String method, URI uri, Map<String, List<String>> headers, byte[] body,
            Reply reply, boolean strict) {
        OpenApiInteractionValidator validator = BY_GATEWAY.computeIfAbsent(gateway, OpenApiContract::load);
        Request.Method m = Request.Method.valueOf(method);
        SimpleResponse.Builder response = new SimpleResponse.Builder(reply.status()).withBody(reply.body());
        reply.headers().map().forEach((name, values) -> response.withHeader(name, values));
        ValidationReport responseReport = validator.validateResponse(uri.getRawPath(), m, response.build());
        if (outside(responseReport)) {
            return;
        }
        RESPONSES.incrementAndGet();
        StringBuilder failures = new StringBuilder(describe(responseReport));
        if (reply.status() / 100 == 2) {
            REQUESTS.incrementAndGet();
            failures.append(describe(validator.validateRequest(request(m, uri, headers, body))));
        }
        if (!failures.isEmpty()) {
            MISMATCHES.incrementAndGet();
            if (!strict) {
                System.out.println("[contract] MISMATCH " + method + " " + uri + " -> " + reply.status() + "\n" + failures);
                return;
            }
            throw new AssertionError("the exchange does not match /openapi/merged: " + method + " " + uri + " -> "
                    + reply.status() + "\n" + failures + "response body: " + abbreviate(reply.text()));
        }
    }

    private static boolean fromJourney() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> f.getClassName().endsWith("JourneyTest")));
    }

    /**
     * A path with a {@code .} or {@code ..} segment (plain or percent-encoded, as the fuzzer sends) is normalised on
     * the way (e.g. {@code /campaigns/..} reaches {@code /}): the answer is another operation's, not the templated one's.
     */
    private static boolean dotSegment(String rawPath) {
        for (String segment : rawPath.split("/")) {
            String s = segment.toLowerCase(java.util.Locale.ROOT).replace("%2e", ".");
            if (s.equals(".") || s.equals("..")) {
                return true;
            }
        }
        return false;
    }

    private static boolean covered() {
        return StackWalker.getInstance().walk(frames -> frames.map(StackWalker.StackFrame::getClassName)
                .anyMatch(name -> COVERED.contains(name.substring(name.lastIndexOf('.') + 1).split("\\$")[0])));
    }

    private static SimpleRequest request(Request.Method method, URI uri, Map<String, List<String>> headers,
            byte[] body) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(method, uri.getRawPath());
        headers.forEach(request::withHeader);
        if (body != null) {
            request.withBody(body);
        }
        String query = uri.getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                request.withQueryParam(name, value);
            }
        }
        return request.build();
    }

    private static boolean outside(ValidationReport report) {
        return report.getMessages().stream().anyMatch(msg -> OUTSIDE.contains(msg.getKey()));
    }

    private static String describe(ValidationReport report) {
        return report.getMessages().stream().filter(msg -> msg.getLevel() == ValidationReport.Level.ERROR)
                .filter(msg -> !TOLERATED.contains(msg.getKey()))
                .map(msg -> "  - [" + msg.getKey() + "] " + msg.getMessage() + "\n").collect(Collectors.joining());
    }

    private static String abbreviate(String text) {
        return text.length() <= 600 ? text : text.substring(0, 600) + "...";
    }

    private static OpenApiInteractionValidator load(String gateway) {
        try {
            HttpResponse<String> doc = HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/openapi/merged"))
                    .header("Accept", "application/json").timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (doc.statusCode() != 200) {
                throw new AssertionError("GET /openapi/merged answered " + doc.statusCode() + ": " + doc.body());
            }
            sameAsBuilt(doc.body());
            return OpenApiInteractionValidator.createForInlineApiSpecification(doc.body()).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The merged document the build wrote ({@code gateway/target/openapi/merged.json}, which clients/java generates
     * the merged client from) is the one the running gateway serves, but for the Keycloak URLs of its login (the
     * stack's port).
     */
    private static void sameAsBuilt(String served) throws IOException {
        Path built = Path.of(System.getProperty("repo.root", "..")).resolve("gateway/target/openapi/merged.json");
        if (!Files.isRegularFile(built)) {
            throw new AssertionError(built.toAbsolutePath() + " is missing: build the gateway module first");
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode expected = withoutLogin(json.readTree(built.toFile()));
        JsonNode actual = withoutLogin(json.readTree(served));
        List<String> differences = new ArrayList<>();
        differences(expected, actual, "", differences);
        if (!differences.isEmpty()) {
            throw new AssertionError("/openapi/merged is not the document the build wrote (" + built
                    + "), first differences:\n - " + String.join("\n - ", differences.subList(0,
                            Math.min(20, differences.size()))));
        }
        System.out.println("[contract] /openapi/merged served by the gateway is the document the build wrote ("
                + built.getFileName() + ", " + actual.path("paths").size() + " paths)");
    }

    private static JsonNode withoutLogin(JsonNode doc) {
        JsonNode schemes = doc.path("components").path("securitySchemes");
        if (schemes instanceof ObjectNode o) {
            o.remove("keycloak");
        }
        ((ObjectNode) doc).remove("x-missing-services");
        return doc;
    }

    private static void differences(JsonNode expected, JsonNode actual, String at, List<String> out) {
        if (out.size() >= 20) {
            return;
        }
        if (expected.isObject() && actual.isObject()) {
            Set<String> names = new TreeSet<>();
            expected.fieldNames().forEachRemaining(names::add);
            actual.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String where = at + "/" + name.replace("~", "~0").replace("/", "~1");
                if (!expected.has(name) || !actual.has(name)) {
                    out.add(where + (expected.has(name) ? " only in the built document" : " only in the served one"));
                } else {
                    differences(expected.get(name), actual.get(name), where, out);
                }
            }
        } else if (!expected.equals(actual)) {
            out.add(at + ": built " + abbreviate(expected.toString()) + ", served " + abbreviate(actual.toString()));
        }
    }
}
