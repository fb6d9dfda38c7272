package fr.actionlogement.territorial.gateway.proxy;

import java.net.ConnectException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import fr.actionlogement.territorial.gateway.api.Problem;
import fr.actionlogement.territorial.gateway.api.TokenIssuer;
import fr.actionlogement.territorial.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ConnectTimeoutException;
import io.opentelemetry.api.trace.Span;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The reverse proxy: {@code /api/<context>/**} goes to that service unchanged, bodies streamed both ways (piped,
 * never held whole), after an early token check and the client's limits (see docs/api-conventions.md, "Rate and
 * concurrency limits"). The services validate the token again (defence in depth).
 */
@ApplicationScoped
public class ProxyRoutes {

    private static final Logger LOG = Logger.getLogger(ProxyRoutes.class);
    static final int ORDER_CORRELATION = RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT - 100;
    static final int ORDER_GUARD = RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT;
    static final int ORDER_PROXY = RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT + 100;

    // RFC 9110 section 7.6.1: connection-specific fields are not forwarded.
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "expect");
    // Replaced by the values the gateway computes (forwardedHeaders); X-Forwarded-Trusted-Proxy is Quarkus' verdict.
    private static final Predicate<String> FORWARDING = name -> name.equals("forwarded")
            || name.startsWith("x-forwarded-");
    private static final String TRUSTED_PROXY_HEADER = "X-Forwarded-Trusted-Proxy";
    private static final Set<String> TRACE_CONTEXT = Set.of("traceparent", "tracestate");

    @Inject
    Upstreams upstreams;

    @Inject
    RateLimiter rateLimiter;

    @Inject
    IdentityProviderManager identities;

    @Inject
    Vertx vertx;

    @Inject
    GatewayConfig config;

    @Inject
    MeterRegistry metrics;

    void routes(@Observes Router router) {
        boolean accessLog = config.accessLog().enabled();
        router.route("/*").order(ORDER_CORRELATION).handler(ctx -> Correlation.handle(ctx, accessLog));
        router.route("/api/*").order(ORDER_GUARD).handler(this::guard);
        router.route("/openapi/*").order(ORDER_GUARD).handler(ctx -> limit(ctx, "ip:" + clientIp(ctx)));
        upstreams.all().values().forEach(up -> router.route(up.prefix() + "/*").order(ORDER_PROXY)
                .handler(ctx -> proxy(ctx, up)));
        // Whatever no service and no gateway endpoint answered.
        router.route("/api/*").order(Integer.MAX_VALUE - 1)
                .handler(ctx -> Problems.send(ctx, Problem.Type.NOT_FOUND, "No API is served at " + ctx.request().path()));
    }

    /**
     * Rejects missing and invalid tokens before any service sees the request, then applies the client's limits. An
     * address that has sent too many requests without a valid token is refused before its token is even verified.
     */
    void guard(RoutingContext ctx) {
        if (rateLimiter.enabled()) {
            RateLimiter.Decision allowance = rateLimiter.unauthenticatedAllowance(clientIp(ctx));
            if (!allowance.allowed()) {
                metrics.counter("gateway.rate.limited", "kind", "unauthenticated").increment();
                tooMany(ctx, allowance.retryAfterSeconds(),
                        "Too many requests without a valid token from this address; retry after "
                                + allowance.retryAfterSeconds() + " s");
                return;
            }
        }
        if (ctx.request().getHeader(HttpHeaders.AUTHORIZATION) == null) {
            unauthorized(ctx);
            return;
        }
        ctx.request().pause();
        Context context = Vertx.currentContext();
        try {
            QuarkusHttpUser.getSecurityIdentity(ctx, identities).subscribe().with(
                    identity -> onContext(context, () -> admitted(ctx, identity)),
                    failure -> onContext(context, () -> refused(ctx, failure)));
        } catch (RuntimeException e) {
            // quarkus-oidc may throw before returning its Uni, e.g. when its lazy initialisation cannot reach Keycloak.
            refused(ctx, e);
        }
    }

    private void refused(RoutingContext ctx, Throwable failure) {
        boolean issuerDown = TokenIssuer.unreachable(failure);
        if (!issuerDown) {
            chargeUnauthenticated(ctx); // a bad token, whoever answers the 401
        }
        if (ctx.response().ended()) {
            return; // the same failure already reached the exception mappers (ProblemMappers), which answered
        }
        if (issuerDown) {
            LOG.warnf("%s %s: the token issuer cannot be reached (%s)", ctx.request().method(), ctx.request().path(),
                    failure);
            metrics.counter("gateway.token.issuer.unavailable").increment();
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, TokenIssuer.RETRY_AFTER_SECONDS);
            Problems.send(ctx, Problem.Type.SERVICE_UNAVAILABLE,
                    "The token issuer cannot be reached to verify the token; retry later");
            return;
        }
        Problems.send(ctx, Problem.Type.UNAUTHORIZED, "A valid bearer token is required");
    }

    /** A 401 that counts against the address's allowance of requests without a valid token. */
    private void unauthorized(RoutingContext ctx) {
        chargeUnauthenticated(ctx);
        Problems.send(ctx, Problem.Type.UNAUTHORIZED, "A valid bearer token is required");
    }

    private void chargeUnauthenticated(RoutingContext ctx) {
        if (rateLimiter.enabled()) {
            rateLimiter.chargeUnauthenticated(clientIp(ctx));
        }
    }

    private void admitted(RoutingContext ctx, SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            unauthorized(ctx);
            return;
        }
        String subject = null;
        String clientId = null;
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            subject = jwt.getSubject();
            Object azp = jwt.getClaim("azp");
            clientId = azp == null ? null : azp.toString();
        }
        String key = subject != null ? "sub:" + subject : "ip:" + clientIp(ctx);
        if (!withinRate(ctx, key, clientId, subject)) {
            return;
        }
        if (rateLimiter.enabled()) {
            Runnable release = rateLimiter.enter(key);
            if (release == null) {
                metrics.counter("gateway.rate.limited", "kind", "concurrent").increment();
                tooMany(ctx, 1, "At most " + rateLimiter.maxConcurrent()
                        + " requests in flight per client; retry when one has ended");
                return;
            }
            // Whatever ends the request (answer sent, caller gone, connection reset) frees its place, once.
            ctx.addEndHandler(ended -> release.run());
        }
        ctx.next();
    }

    private void limit(RoutingContext ctx, String key) {
        if (withinRate(ctx, key)) {
            ctx.next();
        }
    }

    /** Applies the client's token bucket; answers 429 itself and returns false when it is empty. */
    private boolean withinRate(RoutingContext ctx, String key, String... names) {
        if (!rateLimiter.enabled()) {
            return true;
        }
        RateLimiter.Decision d = rateLimiter.acquire(key, names);
        HttpServerResponse res = ctx.response();
        res.putHeader("X-RateLimit-Limit", String.valueOf(d.limit()));
        res.putHeader("X-RateLimit-Remaining", String.valueOf(d.remaining()));
        if (!d.allowed()) {
            metrics.counter("gateway.rate.limited", "kind", "rate").increment();
            tooMany(ctx, d.retryAfterSeconds(), "Rate limit of " + d.limit() + " requests exceeded; retry after "
                    + d.retryAfterSeconds() + " s");
            return false;
        }
        return true;
    }

    private static void tooMany(RoutingContext ctx, long retryAfterSeconds, String detail) {
        ctx.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
        Problems.send(ctx, Problem.Type.TOO_MANY_REQUESTS, detail);
    }

    void proxy(RoutingContext ctx, Upstreams.Upstream up) {
        ctx.request().pause();
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long max = config.proxy().maxBodySize().asLongValue();
        if (length != null && (!length.matches("\\d{1,18}") || Long.parseLong(length) > max)) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            Problems.send(ctx, length.matches("\\d{1,18}") ? Problem.Type.PAYLOAD_TOO_LARGE : Problem.Type.VALIDATION,
                    "Content-Length: at most " + max + " bytes");
            return;
        }
        HttpMethod method = ctx.request().method();
        attempt(ctx, up, method == HttpMethod.GET || method == HttpMethod.HEAD, 0);
    }

    private void attempt(RoutingContext ctx, Upstreams.Upstream up, boolean idempotent, int attempt) {
        HttpServerRequest in = ctx.request();
        long timeoutMs = up.timeoutFor(in.path()).toMillis();
        RequestOptions options = new RequestOptions().setMethod(in.method()).setHost(up.host()).setPort(up.port())
                .setSsl(up.ssl()).setURI(in.uri()).setHeaders(forwardedHeaders(ctx, idempotent))
                .setIdleTimeout(config.proxy().idleTimeout().toMillis());
        up.client().request(options).onComplete(connected -> {
            if (connected.failed()) {
                if (callerGone(ctx)) {
                    return;
                }
                if (retry(ctx, up, idempotent, attempt)) {
                    return;
                }
                unreachable(ctx, up, connected.cause());
                return;
            }
            HttpClientRequest out = connected.result();
            if (callerGone(ctx)) {
                out.reset(); // gone while the connection was being obtained: its end handlers have already run
                return;
            }
            // The caller went away before its answer was complete: stop the service's work on its behalf too. A
            // connection closed after a complete answer is the normal end of keep-alive, with nothing to stop.
            // (An end handler rather than the response's single closeHandler: the client's limits hook there too.)
            ctx.addEndHandler(v -> {
                if (!ctx.response().ended()) {
                    out.reset();
                }
            });
            AtomicBoolean settled = new AtomicBoolean();
            long timer = vertx.setTimer(timeoutMs, t -> {
                if (settled.compareAndSet(false, true)) {
                    out.reset();
                    LOG.warnf("%s %s: %s did not answer within %d ms", in.method(), in.path(), up.name(), timeoutMs);
                    failure(up, "timeout");
                    Problems.send(ctx, Problem.Type.GATEWAY_TIMEOUT, up.name() + " did not answer within "
                            + timeoutMs + " ms");
                }
            });
            out.response().onComplete(answered -> {
                vertx.cancelTimer(timer);
                if (!settled.compareAndSet(false, true)) {
                    return;
                }
                if (answered.failed()) {
                    if (callerGone(ctx)) {
                        return; // the gateway reset this request itself because its caller went away
                    }
                    if (retry(ctx, up, idempotent, attempt)) {
                        return;
                    }
                    LOG.warnf(answered.cause(), "%s %s: %s failed", in.method(), in.path(), up.name());
                    failure(up, "bad_gateway");
                    Problems.send(ctx, Problem.Type.BAD_GATEWAY, up.name() + " failed to answer: "
                            + answered.cause().getClass().getSimpleName());
                    return;
                }
                HttpClientResponse response = answered.result();
                int status = response.statusCode();
                if ((status == 502 || status == 503) && idempotent && attempt < config.proxy().retries()) {
                    // Drain the refusal so the connection can be reused, then try again.
                    response.body().onComplete(ignored -> retry(ctx, up, idempotent, attempt));
                    return;
                }
                relay(ctx, out, response);
            });
            if (idempotent) {
                // A GET or HEAD carries no body that matters: nothing to pipe (its Content-Length is not forwarded),
                // and it can be sent again. End the service's request first: resuming a request whose body was
                // already read to its end throws, and the service would wait for the end until the route timeout.
                out.end();
                if (!in.isEnded()) {
                    in.resume();
                }
            } else {
                // A body of unknown length (chunked HTTP/1.1, or HTTP/2, which has no Transfer-Encoding: the JDK's
                // HttpClient sends a multipart upload that way) goes to the service chunked.
                if (in.getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
                    out.setChunked(true);
                }
                if (in.headers().contains(HttpHeaders.EXPECT, HttpHeaders.CONTINUE, true)) {
                    ctx.response().writeContinue();
                }
                long max = config.proxy().maxBodySize().asLongValue();
                in.pipeTo(new CappedBody(out, max)).onFailure(e -> {
                    if (settled.compareAndSet(false, true)) {
                        vertx.cancelTimer(timer);
                        out.reset();
                        if (CappedBody.tooLarge(e)) {
                            // A chunked body past the limit: the service's request is cut, the caller's connection
                            // closed after the answer, so the rest of the body is never read.
                            metrics.counter("gateway.body.too.large").increment();
                            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                            ctx.addEndHandler(v -> ctx.request().connection().close());
                            Problems.send(ctx, Problem.Type.PAYLOAD_TOO_LARGE, "Request body: at most " + max
                                    + " bytes");
                        } else {
                            Problems.send(ctx, Problem.Type.BAD_GATEWAY, "The request body could not be forwarded to "
                                    + up.name());
                        }
                    }
                });
            }
        });
    }

    /** Bounded retries, for GET and HEAD only: they are safe to send again. */
    private boolean retry(RoutingContext ctx, Upstreams.Upstream up, boolean idempotent, int attempt) {
        if (!idempotent || attempt >= config.proxy().retries() || ctx.response().headWritten() || callerGone(ctx)) {
            return false;
        }
        long backoff = Math.max(1, config.proxy().retryBackoff().toMillis() * (attempt + 1));
        LOG.debugf("%s %s: retrying %s (attempt %d)", ctx.request().method(), ctx.request().path(), up.name(),
                attempt + 2);
        vertx.setTimer(backoff, t -> {
            if (!callerGone(ctx)) {
                attempt(ctx, up, true, attempt + 1);
            }
        });
        return true;
    }

    /** The caller closed its connection: nothing may be sent to the service on its behalf any more. */
    private static boolean callerGone(RoutingContext ctx) {
        return ctx.response().closed();
    }

    private void unreachable(RoutingContext ctx, Upstreams.Upstream up, Throwable cause) {
        LOG.warnf("%s %s: %s unreachable (%s)", ctx.request().method(), ctx.request().path(), up.name(), cause);
        failure(up, "unavailable");
        ctx.request().resume();
        if (cause instanceof ConnectException || cause instanceof ConnectTimeoutException
                || cause.getCause() instanceof ConnectException) {
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "5");
            Problems.send(ctx, Problem.Type.SERVICE_UNAVAILABLE, up.name() + " is unreachable; retry later");
        } else {
            Problems.send(ctx, Problem.Type.BAD_GATEWAY, up.name() + " could not be reached: "
                    + cause.getClass().getSimpleName());
        }
    }

    private void relay(RoutingContext ctx, HttpClientRequest out, HttpClientResponse response) {
        HttpServerResponse res = ctx.response();
        res.setStatusCode(response.statusCode());
        response.headers().forEach(h -> {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                res.headers().add(h.getKey(), h.getValue());
            }
        });
        int status = response.statusCode();
        boolean bodyless = ctx.request().method() == HttpMethod.HEAD || status == 204 || status == 304 || status < 200;
        if (!bodyless && !res.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            res.setChunked(true);
        }
        // The pipe does not end the response itself: the caller may have gone, or a problem been answered, meanwhile,
        // and a second end() is the "Response has already been written" IllegalStateException.
        response.pipe().endOnSuccess(false).endOnFailure(false).to(res).onComplete(piped -> {
            if (piped.succeeded()) {
                if (!res.ended() && !res.closed()) {
                    res.end();
                }
                return;
            }
            out.reset();
            if (res.closed() || clientGone(piped.cause())) {
                // The caller cancelled (closed the connection, reset its stream): an ordinary event, not a fault.
                metrics.counter("gateway.client.cancelled").increment();
                LOG.debugf("%s %s: the client went away before the end of the answer", ctx.request().method(),
                        ctx.request().path());
            } else {
                // The status is sent: all that is left is to cut both sides.
                LOG.warnf("%s %s: streaming the response failed (%s)", ctx.request().method(), ctx.request().path(),
                        piped.cause());
            }
            if (!res.ended() && !res.closed()) {
                res.reset();
            }
        });
    }

    /**
     * Whether a failed response pipe is the caller going away: its connection closed, or the service's stream reset
     * because the gateway reset it when the caller's connection closed.
     */
    static boolean clientGone(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String name = t.getClass().getSimpleName();
            if (t instanceof java.nio.channels.ClosedChannelException || t instanceof io.vertx.core.http.StreamResetException
                    || name.contains("ClosedChannelException")
                    || (t instanceof java.io.IOException && t.getMessage() != null
                            && (t.getMessage().contains("Connection reset") || t.getMessage().contains("Broken pipe")))) {
                return true;
            }
        }
        return false;
    }

    /** {@code gateway_upstream_failures_total{service,kind}} on /q/metrics: timeouts, unreachable, bad answers. */
    private void failure(Upstreams.Upstream up, String kind) {
        metrics.counter("gateway.upstream.failures", "service", up.name(), "kind", kind).increment();
    }

    /**
     * The request's headers for the service, with the forwarding headers the gateway vouches for: the scheme, host
     * and port its caller used (an ingress's X-Forwarded-* already applied by Quarkus when that ingress is a trusted
     * proxy), so the service's Location and Link name the public URL. A caller's own forwarding headers are dropped:
     * only a trusted proxy's survive, inside the values computed here. When tracing is on, the caller's trace headers
     * are replaced by the gateway's client span (written by Quarkus' tracer); when it is off they pass unchanged.
     */
    private static MultiMap forwardedHeaders(RoutingContext ctx, boolean idempotent) {
        HttpServerRequest in = ctx.request();
        // Reading the scheme makes Quarkus apply (or ignore) the forwarding headers before they are copied.
        String scheme = in.scheme() == null ? "http" : in.scheme();
        boolean trusted = "true".equals(in.getHeader(TRUSTED_PROXY_HEADER));
        String forwardedFor = in.getHeader("X-Forwarded-For");
        boolean traced = Span.current().getSpanContext().isValid();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        in.headers().forEach(h -> {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !FORWARDING.test(name) && !(idempotent && name.equals("content-length"))
                    && !(traced && TRACE_CONTEXT.contains(name))) {
                headers.add(h.getKey(), h.getValue());
            }
        });
        SocketAddress peer = in.connection() == null ? null : in.connection().remoteAddress();
        String ip = peer == null ? "unknown" : peer.hostAddress() == null ? peer.host() : peer.hostAddress();
        headers.set("X-Forwarded-For", trusted && forwardedFor != null ? forwardedFor + ", " + ip : ip);
        headers.set("X-Forwarded-Proto", scheme);
        HostAndPort authority = in.authority();
        if (authority != null) {
            int port = authority.port() > 0 ? authority.port() : "https".equals(scheme) ? 443 : 80;
            headers.set("X-Forwarded-Host", authority.host() + ":" + port);
            headers.set("X-Forwarded-Port", String.valueOf(port));
        }
        return headers;
    }

    private static String clientIp(RoutingContext ctx) {
        return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().host();
    }

    private static void onContext(Context context, Runnable action) {
        if (context == null || Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }
}
