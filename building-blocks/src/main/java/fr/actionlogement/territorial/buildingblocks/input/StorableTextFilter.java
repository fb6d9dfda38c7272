package fr.actionlogement.territorial.buildingblocks.input;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;

/** Path and query parameters go through {@link StorableText} before any resource method sees them. */
public class StorableTextFilter {

    @ServerRequestFilter
    public void check(ContainerRequestContext request) {
        check(request.getUriInfo().getPathParameters());
        check(request.getUriInfo().getQueryParameters());
    }

    private static void check(MultivaluedMap<String, String> parameters) {
        for (Map.Entry<String, List<String>> p : parameters.entrySet()) {
            for (String value : p.getValue()) {
                String problem = StorableText.problem(value);
                if (problem != null) {
                    throw ProblemException.invalid(p.getKey(), problem);
                }
            }
        }
    }
}
