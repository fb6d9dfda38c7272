package fr.actionlogement.territorial.systemtests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;

/**
 * Every exchange of the journeys (the test classes named {@code ...JourneyTest}) checked against the document
 * partners generate clients from: the gateway's {@code /openapi/merged} (Atlassian's OpenAPI request validator). A
 * response whose status, headers or body the document does not describe fails the test that received it; so does a
 * request the document forbids that the server nevertheless accepted (a refused one is what journeys send on purpose
 * to prove a rule). Exchanges outside the document (a path or method it does not have) are not judged here. The
 * fuzzing, security and fault tests are not checked (yet): their deliberately broken requests have not been run
 * against this check, and a status they draw that the document does not declare is the fuzzer's finding to fix first.
 */
public final class OpenApiContract {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Map<String, OpenApiInteractionValidator> BY_GATEWAY = new ConcurrentHashMap<>();
    private static final AtomicLong RESPONSES = new AtomicLong();
    private static final AtomicLong REQUESTS = new AtomicLong();
    private static final AtomicLong MISMATCHES = new AtomicLong();
    /** {@code -Dcontract.strict=false} prints every mismatch of a run ({@code [contract] MISMATCH}) instead of failing. */
    private static final boolean STRICT = Boolean.parseBoolean(System.getProperty("contract.strict", "true"));

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

    /** Checks one exchange and returns its reply; throws an {@link AssertionError} naming every mismatch. */
    public static Reply checked(String gateway, HttpRequest sent, byte[] body, Reply reply) {
        URI uri = sent.uri();
        String method = sent.method();
        if (uri.getRawPath().startsWith("/api/") && fromJourney()) {
            check(gateway, method, uri, sent.headers().map(), body, reply);
        }
        return reply;
    }

    private static void check(String gateway, String method, URI uri, Map<String, List<String>> headers, byte[] body,
            Reply reply) {
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
            if (!STRICT) {
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
            return OpenApiInteractionValidator.createForInlineApiSpecification(doc.body()).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
