package fr.actionlogement.territorial.buildingblocks.api;

import java.util.List;
import java.util.function.Function;

import jakarta.ws.rs.core.Link;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.resteasy.reactive.RestResponse;

/** One page of a collection, with the total so a client can show "page x of y". */
public record Page<T>(
        @Schema(required = true, description = "The items of this page") List<T> items,
        @Schema(required = true, description = "Zero-based page number") int page,
        @Schema(required = true) int size,
        @Schema(required = true, description = "Number of items matching the filters") long totalItems,
        @Schema(required = true) int totalPages) {

    public static <T> Page<T> of(List<T> items, PageRequest request, long totalItems) {
        int pages = (int) ((totalItems + request.size() - 1) / request.size());
        return new Page<>(items, request.page(), request.size(), totalItems, pages);
    }

    public <R> Page<R> map(Function<T, R> f) {
        return new Page<>(items.stream().map(f).toList(), page, size, totalItems, totalPages);
    }

    /** 200 with this page as body, plus {@code Link} (next, prev) and {@code X-Total-Count} headers. */
    public Response toResponse(UriInfo uri) {
        return toRestResponse(uri).toResponse();
    }

    /**
     * The same response, typed: a resource method returning it gets a page schema of its own item type in the
     * OpenAPI document (e.g. {@code PageConventionView}) rather than a page of unknown items.
     */
    public RestResponse<Page<T>> toRestResponse(UriInfo uri) {
        RestResponse.ResponseBuilder<Page<T>> r = RestResponse.ResponseBuilder.ok(this).header("X-Total-Count",
                totalItems);
        if (page + 1 < totalPages) {
            r.links(Link.fromUriBuilder(uri.getRequestUriBuilder().replaceQueryParam("page", page + 1)).rel("next")
                    .build());
        }
        if (page > 0) {
            r.links(Link.fromUriBuilder(uri.getRequestUriBuilder().replaceQueryParam("page", page - 1)).rel("prev")
                    .build());
        }
        return r.build();
    }
}
