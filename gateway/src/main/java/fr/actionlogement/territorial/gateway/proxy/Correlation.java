package fr.actionlogement.territorial.gateway.proxy;

import java.util.UUID;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.vertx.ext.web.RoutingContext;

/**
 * Correlation id: {@code X-Request-Id} taken from the caller when it is safe to log, else made here; forwarded to
 * the services (which log and echo it), put in the logging context, echoed in every response and problem body.
 * A W3C {@code traceparent} is passed through unchanged and logged beside it. With tracing on, the access line
 * carries the request's trace and span ids too (written after the response, once the span is no longer current).
 * The access line is on unless {@code gateway.access-log.enabled=false}; the console handler is asynchronous, so the
 * event loop only queues it (formatting and writing happen on the handler's thread).
 */
public final class Correlation {

    public static final String HEADER = "X-Request-Id";
    public static final String TRACEPARENT = "traceparent";
    public static final String MDC_KEY = "requestId";
    private static final String KEY = "gateway.request-id";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Logger ACCESS = Logger.getLogger("fr.actionlogement.territorial.gateway.access");

    private Correlation() {
    }

    static void handle(RoutingContext ctx, boolean accessLog) {
        String id = ctx.request().getHeader(HEADER);
        if (id == null || !SAFE.matcher(id).matches()) {
            id = UUID.randomUUID().toString();
        }
        // Forwarded as given, or as made here: the services log the same id.
        ctx.request().headers().set(HEADER, id);
        ctx.put(KEY, id);
        MDC.put(MDC_KEY, id);
        String requestId = id;
        long start = System.nanoTime();
        SpanContext span = Span.current().getSpanContext();
        ctx.addHeadersEndHandler(v -> ctx.response().headers().set(HEADER, requestId));
        if (!accessLog || !ACCESS.isInfoEnabled()) {
            ctx.next();
            return;
        }
        ctx.addEndHandler(v -> {
            MDC.put(MDC_KEY, requestId);
            if (span.isValid()) {
                MDC.put("traceId", span.getTraceId());
                MDC.put("spanId", span.getSpanId());
            }
            String traceparent = ctx.request().getHeader(TRACEPARENT);
            ACCESS.infof("%s %s %d %d ms%s", ctx.request().method(), ctx.request().path(),
                    ctx.response().getStatusCode(), (System.nanoTime() - start) / 1_000_000,
                    traceparent == null ? "" : " traceparent=" + traceparent);
        });
        ctx.next();
    }

    public static String requestId(RoutingContext ctx) {
        return ctx == null ? null : ctx.get(KEY);
    }
}
