package fr.actionlogement.territorial.gateway.proxy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;

/**
 * One service's HTTP clients, one per event loop, each with its share of the service's connections. A connection
 * lives on the event loop that opened it; with one pool shared by every loop, a request served on one loop often
 * takes a connection of another, and its writes and its response then cross threads (a queued task and a wake-up
 * of the other loop each way, about 8 % of the gateway's CPU under load). With a client per loop, the caller's
 * request, the service's connection and the response stay on one thread.
 */
final class EventLoopClients {

    private final Vertx vertx;
    private final HttpClientOptions options;
    private final PoolOptions pool;
    private final Map<EventLoop, HttpClient> byLoop = new ConcurrentHashMap<>();

    EventLoopClients(Vertx vertx, HttpClientOptions options, int maxConnections) {
        this.vertx = vertx;
        this.options = options;
        int loops = 0;
        for (EventExecutor ignored : ((VertxInternal) vertx).getEventLoopGroup()) {
            loops++;
        }
        this.pool = new PoolOptions().setHttp1MaxSize(Math.max(1, maxConnections / Math.max(1, loops)));
    }

    /** The client of the calling thread's event loop (a worker thread's context has one too). */
    HttpClient current() {
        EventLoop loop = ((ContextInternal) vertx.getOrCreateContext()).nettyEventLoop();
        HttpClient client = byLoop.get(loop); // the hot path: no lambda made per request
        return client != null ? client : byLoop.computeIfAbsent(loop, l -> vertx.createHttpClient(options, pool));
    }

    void close() {
        byLoop.values().forEach(HttpClient::close);
    }
}
