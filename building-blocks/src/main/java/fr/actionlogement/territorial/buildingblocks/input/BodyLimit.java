package fr.actionlogement.territorial.buildingblocks.input;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.actionlogement.territorial.buildingblocks.api.RequestIdFilter;
import fr.actionlogement.territorial.buildingblocks.problem.Problem;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemType;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The default request body limit (see docs/api-conventions.md, "Request size"): every body but a streamed upload's
 * is read by Vert.x's body handler capped at {@code territorial.http.max-body-size} (1 MB). A declared
 * {@code Content-Length} over the limit is refused before one byte is read; a chunked body is counted as it arrives
 * and refused as soon as it passes the limit. Either way the answer is a 413 problem+json with
 * {@code Connection: close}, so the rest of the body is never read. Uploads (the content types of
 * {@code territorial.http.streamed-content-types}: CSV, PDF, octet-stream, multipart) are not buffered here: their
 * endpoints stream them with their own limits, under Quarkus' {@code quarkus.http.limits.max-body-size}.
 */
@ApplicationScoped
public class BodyLimit {

    /** Before the security and JAX-RS routes, after Quarkus' own Content-Length check. */
    static final int ORDER = -1000;
    private static final Pattern NUMBER = Pattern.compile("\\d{1,18}");

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "territorial.http.max-body-size", defaultValue = "1M")
    MemorySize maxBodySize;

    @ConfigProperty(name = "territorial.http.streamed-content-types", defaultValue = "text/csv,text/plain,application/pdf,application/octet-stream,multipart/form-data")
    List<String> streamedContentTypes;

    private BodyHandler bodyHandler;

    void routes(@Observes Router router) {
        long max = maxBodySize.asLongValue();
        bodyHandler = BodyHandler.create(false).setBodyLimit(max).setHandleFileUploads(false)
                .setMergeFormAttributes(false);
        router.route().order(ORDER).handler(this::handle).failureHandler(this::failed);
    }

    void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        boolean chunked = req.headers().contains(HttpHeaders.TRANSFER_ENCODING, "chunked", true);
        // HTTP/2 has no Transfer-Encoding: a body of unknown length there is counted like a chunked one.
        boolean unknownLength = chunked || req.version() == HttpVersion.HTTP_2;
        if ((length == null && !unknownLength) || "0".equals(length)
                || streamed(req.getHeader(HttpHeaders.CONTENT_TYPE))) {
            ctx.next();
            return;
        }
        long max = maxBodySize.asLongValue();
        if (length != null && NUMBER.matcher(length).matches() && Long.parseLong(length) > max) {
            tooLarge(ctx, max);
            return;
        }
        // The body handler reads at most max bytes, then fails the context with 413: answered by failed().
        bodyHandler.handle(ctx);
    }

    void failed(RoutingContext ctx) {
        if (ctx.statusCode() == 413) {
            tooLarge(ctx, maxBodySize.asLongValue());
        } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            // e.g. a form-encoded body whose attribute is over Vert.x's limit: still a problem+json, never plain JSON
            problem(ctx, ProblemType.MALFORMED_BODY, ctx.statusCode(), "The request body could not be read");
        } else {
            ctx.next();
        }
    }

    void tooLarge(RoutingContext ctx, long max) {
        problem(ctx, ProblemType.PAYLOAD_TOO_LARGE, 413, "The request body exceeds " + max + " bytes");
    }

    private void problem(RoutingContext ctx, ProblemType type, int status, String detail) {
        HttpServerResponse res = ctx.response();
        if (res.ended() || res.headWritten()) {
            return;
        }
        Problem body = new Problem(type.uri(), type.title(), status, detail, URI.create(safePath(ctx)), null,
                ctx.request().getHeader(RequestIdFilter.HEADER), null);
        String text;
        try {
            text = json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // Connection: close, so the rest of the body is never read.
        res.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close").end(text);
    }

    private boolean streamed(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return streamedContentTypes.stream().anyMatch(t -> t.trim().equalsIgnoreCase(type));
    }

    private static String safePath(RoutingContext ctx) {
        String path = ctx.request().path();
        try {
            return URI.create(path).getRawPath();
        } catch (IllegalArgumentException e) {
            return "/";
        }
    }
}
