package fr.actionlogement.territorial.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.netty.channel.EventLoop;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.ConnectionBase;

class EventLoopClientsTest {

    private static final int LOOPS = 4;
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(LOOPS));

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    @DisplayName("a request goes out on a connection of the caller's own event loop, and the cap on connections holds in all")
    void connectionsStayOnTheCallersLoop() throws Exception {
        int requests = 40;
        int maxConnections = 8;
        // The service answers only once as many requests as the cap are in, so the pools must open every connection
        // they may: a cap not shared out (or ignored) would open more. Every loop sends as many requests, so each
        // group of the cap is two per loop until the last.
        Set<Integer> peerPorts = ConcurrentHashMap.newKeySet();
        List<HttpServerRequest> held = new ArrayList<>();
        HttpServer server = vertx.createHttpServer().requestHandler(req -> {
            peerPorts.add(req.remoteAddress().port());
            synchronized (held) {
                held.add(req);
                if (held.size() == maxConnections) {
                    release(held);
                }
            }
        });
        int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .actualPort();
        EventLoopClients clients = new EventLoopClients(vertx, new HttpClientOptions().setKeepAlive(true),
                maxConnections);

        CountDownLatch done = new CountDownLatch(requests);
        List<String> mismatches = Collections.synchronizedList(new ArrayList<>());
        Set<Object> clientsSeen = ConcurrentHashMap.newKeySet();
        // The same number of requests on each event loop, on a context of that very loop (a round robin over the
        // loops would be skewed by any other context the client makes meanwhile).
        List<EventLoop> loops = new ArrayList<>();
        ((VertxInternal) vertx).getEventLoopGroup().forEach(e -> loops.add((EventLoop) e));
        for (int i = 0; i < requests; i++) {
            EventLoop callerLoop = loops.get(i % loops.size());
            ContextInternal context = ((VertxInternal) vertx).createEventLoopContext(callerLoop, null,
                    Thread.currentThread().getContextClassLoader());
            context.runOnContext(v -> {
                HttpClient client = clients.current();
                clientsSeen.add(client);
                client.request(HttpMethod.GET, port, "127.0.0.1", "/").compose(req -> {
                    EventLoop connectionLoop = ((ConnectionBase) req.connection()).channel().eventLoop();
                    if (connectionLoop != callerLoop) {
                        mismatches.add(connectionLoop + " != " + callerLoop);
                    }
                    return req.send().compose(resp -> resp.body());
                }).onComplete(answered -> done.countDown());
            });
        }

        assertThat(done.await(30, TimeUnit.SECONDS)).as("every request answered").isTrue();
        assertThat(mismatches).as("connections used from another event loop than their own").isEmpty();
        assertThat(clientsSeen).as("one client per event loop").hasSize(LOOPS);
        assertThat(peerPorts).as("connections opened in all: the cap, shared out between the loops").hasSize(maxConnections);
        clients.close();
        server.close();
    }

    private static void release(List<HttpServerRequest> held) {
        held.forEach(r -> r.response().end("ok"));
        held.clear();
    }
}
