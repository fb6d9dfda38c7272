package fr.actionlogement.territorial.gateway.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.actionlogement.territorial.gateway.api.Problem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** Problem responses written straight on the Vert.x response, for the routes that are not JAX-RS. */
final class Problems {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {
    }

    /** Answers with a problem when nothing was sent yet; otherwise cuts the connection (the status is gone). */
    static void send(RoutingContext ctx, Problem.Type type, String detail) {
        HttpServerResponse res = ctx.response();
        if (res.ended() || res.closed()) {
            return;
        }
        if (res.headWritten()) {
            res.reset();
            return;
        }
        // Let an unread request body drain so the connection stays usable.
        ctx.request().resume();
        Problem body = Problem.of(type, detail, ctx.request().path(), Correlation.requestId(ctx));
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        res.setStatusCode(type.status).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (type == Problem.Type.UNAUTHORIZED) {
            res.putHeader("WWW-Authenticate", "Bearer");
        }
        res.end(json);
    }
}
