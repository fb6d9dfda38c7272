package fr.actionlogement.territorial.gateway.proxy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/** Small buffered GETs the gateway makes itself (dashboard parts, OpenAPI documents, readiness), each with a deadline. */
@ApplicationScoped
public class UpstreamCalls {

    public record Answer(int status, Buffer body, long durationMs) {
    }

    private final Vertx vertx;

    public UpstreamCalls(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Fails with {@link TimeoutException} past the deadline, or with the connection's error. */
    public Future<Answer> get(Upstreams.Upstream up, String uri, Map<String, String> headers, Duration timeout) {
        Promise<Answer> promise = Promise.promise();
        long start = System.nanoTime();
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        headers.forEach((k, v) -> {
            if (v != null) {
                h.set(k, v);
            }
        });
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(up.host()).setPort(up.port())
                .setSsl(up.ssl()).setURI(uri).setHeaders(h);
        long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), t -> promise.tryFail(new TimeoutException(
                up.name() + " did not answer within " + timeout.toMillis() + " ms")));
        up.client().request(options).onComplete(connected -> {
            if (connected.failed()) {
                vertx.cancelTimer(timer);
                promise.tryFail(connected.cause());
                return;
            }
            // Past the deadline, give the connection back rather than wait for the body.
            promise.future().onFailure(e -> connected.result().reset());
            connected.result().send().compose(response -> response.body()
                    .map(body -> new Answer(response.statusCode(), body, (System.nanoTime() - start) / 1_000_000)))
                    .onComplete(done -> {
                        vertx.cancelTimer(timer);
                        if (done.succeeded()) {
                            promise.tryComplete(done.result());
                        } else {
                            promise.tryFail(done.cause());
                        }
                    });
        });
        return promise.future();
    }
}
