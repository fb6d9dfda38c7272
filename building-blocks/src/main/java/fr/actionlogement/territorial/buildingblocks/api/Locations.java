package fr.actionlogement.territorial.buildingblocks.api;

import java.net.URI;
import java.util.Arrays;

import jakarta.ws.rs.core.UriInfo;

/**
 * The {@code Location} of a created resource: the request's base URI (scheme, host and port as the caller used
 * them, i.e. the gateway's public URL once the trusted X-Forwarded-* headers are applied, then the service's
 * {@code /api/<context>}) followed by the resource's path segments.
 *
 * <p>
 * Always absolute: a relative URI given to {@code Response.created} is resolved by JAX-RS against the base URI,
 * and a path that repeats {@code /api/<context>} ends up there twice.
 */
public final class Locations {

    private Locations() {
    }

    /**
     * @param segments the path under the service's API, one value per segment ("campaigns", id); each is encoded,
     *        so an id holding '/' or '{' stays one segment
     */
    public static URI of(UriInfo uri, Object... segments) {
        StringBuilder template = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            template.append("/{s").append(i).append('}');
        }
        // Template values are encoded as whole segments, unlike path(String) which would split on '/'.
        return uri.getBaseUriBuilder().path(template.toString())
                .build(Arrays.stream(segments).map(String::valueOf).toArray());
    }

    /** A created resource's location without scheme and host, as an idempotent replay stores it. */
    static String withoutHost(URI location) {
        if (!location.isAbsolute()) {
            return location.toString();
        }
        return location.getRawPath() + (location.getRawQuery() == null ? "" : "?" + location.getRawQuery());
    }

    /** A stored location against this request's base, so a replay names the host the retry came through. */
    static URI resolve(UriInfo uri, String stored) {
        URI location = URI.create(stored);
        return location.isAbsolute() ? location : uri.getBaseUri().resolve(location);
    }
}
