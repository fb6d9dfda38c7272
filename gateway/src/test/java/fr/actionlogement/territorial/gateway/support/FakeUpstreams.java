package fr.actionlogement.territorial.gateway.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import fr.actionlogement.territorial.testsupport.FreePorts;

/**
 * Real HTTP servers on loopback ports standing in for the services: the unit under test is the gateway, so its
 * upstreams may be fakes (the services are tested against real PostgreSQL and Kafka in their own modules).
 * territories, conventions and partnerships answer; observatory's port has nothing listening (a dead service).
 */
public final class FakeUpstreams {

    public static final int MB = 1024 * 1024;
    public static final long BIG = 50L * MB;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FakeUpstreams instance;

    public final int territoriesPort;
    public final int conventionsPort;
    public final int partnershipsPort;
    public final int deadPort = FreePorts.next();

    /** Hits by "METHOD path" (no query). */
    public final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    /** Query string of the last request by path, where a test needs it. */
    public final Map<String, String> lastQuery = new ConcurrentHashMap<>();
    /** Headers of the last request by path. */
    public final Map<String, Map<String, List<String>>> lastHeaders = new ConcurrentHashMap<>();

    /** Released by the upstream once it has received the first MB of an upload. */
    public volatile CountDownLatch uploadStarted = new CountDownLatch(1);
    /** Released by the test once it has read the first bytes of a download. */
    public volatile CountDownLatch downloadFirstRead = new CountDownLatch(1);
    public final AtomicReference<Boolean> downloadStreamed = new AtomicReference<>();
    public final AtomicReference<Long> uploadedBytes = new AtomicReference<>();
    /** Holds every request to /api/territories/hold open until a test counts it down (30 s at most). */
    public volatile CountDownLatch holdReleased = new CountDownLatch(1);

    private FakeUpstreams() throws IOException {
        territoriesPort = start(this::territories);
        conventionsPort = start(this::conventions);
        partnershipsPort = start(this::partnerships);
    }

    public static synchronized FakeUpstreams get() {
        if (instance == null) {
            try {
                instance = new FakeUpstreams();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    public int hits(String method, String path) {
        AtomicInteger n = hits.get(method + " " + path);
        return n == null ? 0 : n.get();
    }

    private static int start(Handler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", exchange -> {
            try {
                handler.handle(exchange);
            } catch (Exception e) {
                // A cut connection is what some tests want.
            } finally {
                exchange.close();
            }
        });
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-upstream");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return server.getAddress().getPort();
    }

    private void record(HttpExchange ex) {
        String path = ex.getRequestURI().getPath();
        hits.computeIfAbsent(ex.getRequestMethod() + " " + path, k -> new AtomicInteger()).incrementAndGet();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), List.copyOf(v)));
        lastHeaders.put(path, headers);
    }

    private void territories(HttpExchange ex) throws Exception {
        record(ex);
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        if (path.equals("/q/health/ready")) {
            json(ex, 200, Map.of("status", "UP"));
        } else if (path.equals("/q/openapi")) {
            raw(ex, 200, "application/json", resource("/openapi/territories.json"));
        } else if (path.startsWith("/api/territories/echo")) {
            long bytes = ex.getRequestBody().transferTo(OutputStream.nullOutputStream());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("method", method);
            body.put("path", path);
            body.put("query", ex.getRequestURI().getRawQuery());
            body.put("bodyBytes", bytes);
            ex.getResponseHeaders().add("ETag", "\"7\"");
            json(ex, 200, body);
        } else if (path.equals("/api/territories/refuse")) {
            raw(ex, 422, "application/problem+json", """
                    {"type":"/problems/rule-violation","title":"Business rule violated","status":422,"rule":"R-32"}""");
        } else if (path.equals("/api/territories/slow")) {
            Thread.sleep(12_000);
            json(ex, 200, Map.of("late", true));
        } else if (path.equals("/api/territories/hold")) {
            boolean released = holdReleased.await(30, TimeUnit.SECONDS);
            json(ex, 200, Map.of("released", released));
        } else if (path.equals("/api/territories/slow-export")) {
            Thread.sleep(5000);
            json(ex, 200, Map.of("late", true));
        } else if (path.startsWith("/api/territories/flaky/")) {
            // Refuses the first request of each path with 503, then answers.
            if (hits(method, path) == 1) {
                raw(ex, 503, "application/problem+json", "{\"status\":503,\"title\":\"warming up\"}");
            } else {
                json(ex, 200, Map.of("attempt", hits(method, path)));
            }
        } else if (path.equals("/api/territories/upload")) {
            InputStream in = ex.getRequestBody();
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.read(buffer)) > 0;) {
                total += n;
                if (total >= MB) {
                    uploadStarted.countDown();
                }
            }
            uploadedBytes.set(total);
            json(ex, 200, Map.of("bytes", total));
        } else if (path.equals("/api/territories/download")) {
            ex.getResponseHeaders().add("Content-Type", "text/csv");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                byte[] chunk = new byte[MB];
                java.util.Arrays.fill(chunk, (byte) 'x');
                out.write(chunk);
                out.flush();
                // The rest only once the client has the first bytes: a buffering proxy never gets there in time.
                downloadStreamed.set(downloadFirstRead.await(20, TimeUnit.SECONDS));
                for (long sent = MB; sent < BIG; sent += MB) {
                    out.write(chunk);
                }
            }
        } else if (path.startsWith("/api/territories/things")) {
            things(ex, path, method);
        } else if (path.equals("/api/territories/conferences")) {
            json(ex, 200, Map.of("items", List.of(Map.of("status", "INSTALLED", "deadline", "2013-12-27")),
                    "query", ex.getRequestURI().getRawQuery()));
        } else if (path.startsWith("/api/territories/territories/")) {
            String rest = path.substring("/api/territories/territories/".length());
            if (rest.startsWith("EPCI:000000000")) {
                raw(ex, 404, "application/problem+json", "{\"type\":\"/problems/not-found\",\"status\":404}");
            } else {
                json(ex, 200, Map.of("territoryId", rest, "name", "Métropole de Lyon"));
            }
        } else {
            json(ex, 404, Map.of("status", 404));
        }
    }

    /**
     * A created resource and a paged collection, their Location and Link built as the services build them: the
     * absolute URL of the request as the gateway forwarded it (X-Forwarded-Proto and X-Forwarded-Host, port included),
     * never the upstream's own address. The services' own tests prove they build them so from the same headers.
     */
    private void things(HttpExchange ex, String path, String method) throws IOException {
        var h = ex.getRequestHeaders();
        String publicBase = h.getFirst("X-Forwarded-Proto") + "://" + h.getFirst("X-Forwarded-Host");
        if (method.equals("POST") && path.equals("/api/territories/things")) {
            ex.getResponseHeaders().add("Location", publicBase + "/api/territories/things/42");
            json(ex, 201, Map.of("id", 42));
        } else if (path.equals("/api/territories/things")) {
            ex.getResponseHeaders().add("Link", "<" + publicBase + "/api/territories/things?size=1&page=1>; rel=\"next\"");
            json(ex, 200, Map.of("items", List.of(Map.of("id", 42)), "page", 0));
        } else if (path.equals("/api/territories/things/42")) {
            json(ex, 200, Map.of("id", 42));
        } else {
            json(ex, 404, Map.of("status", 404));
        }
    }

    private void conventions(HttpExchange ex) throws Exception {
        record(ex);
        String path = ex.getRequestURI().getPath();
        if (path.equals("/q/health/ready")) {
            json(ex, 200, Map.of("status", "UP"));
        } else if (path.equals("/q/openapi")) {
            raw(ex, 200, "application/json", resource("/openapi/conventions.json"));
        } else if (path.equals("/api/conventions")) {
            json(ex, 200, Map.of("items", List.of(Map.of("conventionId", "c-1", "progress", 0.4)),
                    "query", ex.getRequestURI().getRawQuery()));
        } else {
            json(ex, 404, Map.of("status", 404));
        }
    }

    private void partnerships(HttpExchange ex) throws Exception {
        record(ex);
        String path = ex.getRequestURI().getPath();
        if (path.equals("/q/health/ready")) {
            json(ex, 200, Map.of("status", "UP"));
        } else if (path.equals("/q/openapi")) {
            raw(ex, 200, "application/json", resource("/openapi/partnerships.json"));
        } else if (path.equals("/api/partnerships/agreements")) {
            lastQuery.put(path, String.valueOf(ex.getRequestURI().getRawQuery()));
            Thread.sleep(10_000); // far slower than its dashboard part's timeout
            json(ex, 200, Map.of("items", List.of()));
        } else {
            json(ex, 404, Map.of("status", 404));
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = FakeUpstreams.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void json(HttpExchange ex, int status, Object body) throws IOException {
        raw(ex, status, "application/json", JSON.writeValueAsString(body));
    }

    private static void raw(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.getResponseHeaders().add("X-Upstream", "fake");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @FunctionalInterface
    interface Handler {
        void handle(HttpExchange exchange) throws Exception;
    }
}
