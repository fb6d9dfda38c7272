package fr.actionlogement.territorial.gateway.api;

import java.net.URI;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * RFC 9457 problem details, same shape and type URIs as the services' (building-blocks {@code Problem}); the types
 * are listed in docs/api-conventions.md. The gateway does not depend on building-blocks (persistence, Kafka).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem details")
public record Problem(
        @Schema(description = "Problem type; see docs/api-conventions.md", examples = "/problems/gateway-timeout") URI type,
        @Schema(examples = "Upstream service timed out") String title,
        @Schema(examples = "504") int status,
        @Schema(examples = "conventions did not answer within 30000 ms") String detail,
        @Schema(description = "The request path") URI instance,
        @Schema(description = "Correlation id of the request (X-Request-Id)") String requestId) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(Type type, String detail, String path, String requestId) {
        return new Problem(type.uri, type.title, type.status, detail, path == null ? null : safeUri(path), requestId);
    }

    private static URI safeUri(String path) {
        try {
            return URI.create(path);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The subset of the services' problem types that the gateway itself answers with. */
    public enum Type {
        VALIDATION(400, "validation", "Invalid request"),
        UNAUTHORIZED(401, "unauthorized", "Authentication required"),
        FORBIDDEN(403, "forbidden", "Not allowed"),
        NOT_FOUND(404, "not-found", "Resource not found"),
        METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
        PAYLOAD_TOO_LARGE(413, "payload-too-large", "Payload too large"),
        TOO_MANY_REQUESTS(429, "too-many-requests", "Too many requests"),
        INTERNAL(500, "internal", "Internal error"),
        BAD_GATEWAY(502, "bad-gateway", "Upstream service failed"),
        SERVICE_UNAVAILABLE(503, "service-unavailable", "Service unavailable"),
        GATEWAY_TIMEOUT(504, "gateway-timeout", "Upstream service timed out");

        public final int status;
        public final URI uri;
        public final String title;

        Type(int status, String slug, String title) {
            this.status = status;
            this.uri = URI.create("/problems/" + slug);
            this.title = title;
        }

        public static Type forStatus(int status) {
            for (Type t : values()) {
                if (t.status == status) {
                    return t;
                }
            }
            return status >= 500 ? INTERNAL : VALIDATION;
        }
    }
}
