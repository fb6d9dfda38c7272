package fr.actionlogement.territorial.buildingblocks.problem;

import java.io.IOException;
import java.net.URI;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.persistence.OptimisticLockException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.hibernate.StaleStateException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.postgresql.util.PSQLException;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import fr.actionlogement.territorial.buildingblocks.api.RequestIdFilter;
import fr.actionlogement.territorial.buildingblocks.input.StorableTextJson;
import fr.actionlogement.territorial.buildingblocks.persistence.DatabaseUnavailable;
import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;
import io.quarkus.oidc.OIDCException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * Turns every exception that reaches the REST layer into {@code application/problem+json}: bad input is a 4xx
 * naming the field, never a 500.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, ContainerRequestContext request) {
        Response r = respond(request, e.type(), e.status(), e.getMessage(), e.rule(), e.errors());
        if (e.headers().isEmpty()) {
            return r;
        }
        Response.ResponseBuilder withHeaders = Response.fromResponse(r);
        e.headers().forEach(withHeaders::header);
        return withHeaders.build();
    }

    @ServerExceptionMapper
    public Response violations(ConstraintViolationException e, ContainerRequestContext request) {
        return respondToViolations(e, request);
    }

    // Quarkus' own mapper targets this subtype: map it too so ours wins.
    @ServerExceptionMapper
    public Response endpointViolations(ResteasyReactiveViolationException e, ContainerRequestContext request) {
        return respondToViolations(e, request);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, ContainerRequestContext request) {
        return malformed(e, request);
    }

    @ServerExceptionMapper
    public Response unmappableJson(DatabindException e, ContainerRequestContext request) {
        return malformed(e, request);
    }

    // Quarkus maps this subtype itself (plain JSON): map it too so ours wins.
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, ContainerRequestContext request) {
        return malformed(e, request);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, ContainerRequestContext request) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformed(json, request);
        }
        // JAX-RS answers 404 when a path or query parameter cannot be converted (e.g. size=abc); that is bad input.
        if (status == 404 && e.getCause() != null && !(e.getCause() instanceof WebApplicationException)) {
            return respond(request, ProblemType.VALIDATION, 400,
                    "A path or query parameter has an invalid value: " + e.getCause().getMessage(), null, List.of());
        }
        Response r = respond(request, ProblemType.forStatus(status), status, e.getMessage(), null, List.of());
        if (status == 405 && e.getResponse().getHeaderString(HttpHeaders.ALLOW) != null) {
            return Response.fromResponse(r).header(HttpHeaders.ALLOW, e.getResponse().getHeaderString(HttpHeaders.ALLOW))
                    .build();
        }
        return r;
    }

    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class })
    public Response unauthenticated(RuntimeException e, ContainerRequestContext request) {
        if (TokenIssuer.unreachable(e)) {
            return issuerUnavailable(e, request);
        }
        Response r = respond(request, ProblemType.UNAUTHORIZED, 401, "A valid bearer token is required", null,
                List.of());
        return Response.fromResponse(r).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    /** Keycloak cannot be reached to verify the token: the caller's token may be fine, so not a 401. */
    @ServerExceptionMapper
    public Response issuerUnavailable(OIDCException e, ContainerRequestContext request) {
        return issuerUnavailable((RuntimeException) e, request);
    }

    private Response issuerUnavailable(RuntimeException e, ContainerRequestContext request) {
        LOG.warnf("Token issuer unavailable: %s", e);
        return unavailable(request, "The token issuer cannot be reached to verify the token; retry later",
                TokenIssuer.RETRY_AFTER_SECONDS);
    }

    /** 503 problem+json with Retry-After: not the caller's fault, and worth a retry after that many seconds. */
    private static Response unavailable(ContainerRequestContext request, String detail, String retryAfterSeconds) {
        Response r = respond(request, ProblemType.SERVICE_UNAVAILABLE, 503, detail, null, List.of());
        return Response.fromResponse(r).header(HttpHeaders.RETRY_AFTER, retryAfterSeconds).build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, ContainerRequestContext request) {
        return respond(request, ProblemType.FORBIDDEN, 403, "Your role does not allow this operation", null,
                List.of());
    }

    @ServerExceptionMapper({ OptimisticLockException.class, StaleStateException.class })
    public Response concurrentChange(RuntimeException e, ContainerRequestContext request) {
        return respond(request, ProblemType.PRECONDITION_FAILED, 412,
                "The resource was changed by another request; read it again and retry with its new ETag", null,
                List.of());
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, ContainerRequestContext request) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProblemException p) {
                return problem(p, request);
            }
            if (t instanceof OptimisticLockException || t instanceof StaleStateException) {
                return concurrentChange((RuntimeException) t, request);
            }
            if (t instanceof IOException io && readingTheBody(io)) {
                return respond(request, ProblemType.MALFORMED_BODY, 400,
                        "The body cannot be read as its Content-Type says: " + io.getMessage(), null, List.of());
            }
            if (t instanceof SQLException sql) {
                Response refused = refusedByDatabase(sql, request);
                if (refused != null) {
                    return refused;
                }
                if (QUERY_CANCELED.equals(sql.getSQLState())) {
                    // statement_timeout (e.g. an export's, see Exports): the service is too busy or the query too wide.
                    LOG.warnf("Statement cancelled on %s %s: %s", request.getMethod(), request.getUriInfo().getPath(),
                            sql.getMessage());
                    return unavailable(request,
                            "The query took longer than allowed; narrow the filters or retry later", "30");
                }
            }
        }
        if (DatabaseUnavailable.causedBy(e)) {
            // No connection in time (a saturated pool) or none at all (PostgreSQL restarting): not the caller's fault,
            // and worth a retry; the request changed nothing (its transaction never began or was rolled back).
            LOG.warnf("Database unavailable on %s %s (request %s): %s", request.getMethod(),
                    request.getUriInfo().getPath(), RequestIdFilter.requestId(request), e.getMessage());
            return unavailable(request, "The service cannot reach its database right now; retry shortly", "2");
        }
        LOG.errorf(e, "Unexpected error on %s %s (request %s)", request.getMethod(),
                request.getUriInfo().getPath(), RequestIdFilter.requestId(request));
        return respond(request, ProblemType.INTERNAL, 500, "An unexpected error occurred; quote the request id",
                null, List.of());
    }

    /**
     * The database's refusals that are the caller's doing, wherever they are raised: a unique key already taken
     * (two creates racing past the service's own check) is a 409 naming the key; text PostgreSQL cannot store that
     * slipped past {@code StorableText} is a 400. Anything else is not the caller's fault (null).
     */
    private static Response refusedByDatabase(SQLException e, ContainerRequestContext request) {
        String state = e.getSQLState();
        if (UNIQUE_VIOLATION.equals(state)) {
            String key = e instanceof PSQLException p && p.getServerErrorMessage() != null
                    ? p.getServerErrorMessage().getDetail()
                    : null;
            // PostgreSQL's detail reads "Key (siren)=(784301275) already exists."
            String detail = key == null ? "A resource with the same key already exists"
                    : "Conflict with an existing resource: " + key;
            return respond(request, ProblemType.CONFLICT, 409, detail, null, List.of());
        }
        if (CHARACTER_NOT_IN_REPERTOIRE.equals(state) || UNTRANSLATABLE_CHARACTER.equals(state)) {
            return respond(request, ProblemType.VALIDATION, 400,
                    "The request holds text that cannot be stored (a NUL character or a broken one)", null, List.of());
        }
        return null;
    }

    /**
     * An I/O failure while the framework parsed the request's form or multipart body (a body that does not match its
     * {@code multipart/form-data} boundary ends "early"): the caller's body, not the service, is at fault.
     */
    private static boolean readingTheBody(IOException e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            if (frame.getClassName().startsWith("org.jboss.resteasy.reactive.server.core.multipart.")
                    || frame.getClassName().equals("org.jboss.resteasy.reactive.server.handlers.FormBodyHandler")) {
                return true;
            }
        }
        return false;
    }

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String QUERY_CANCELED = "57014";
    private static final String CHARACTER_NOT_IN_REPERTOIRE = "22021";
    private static final String UNTRANSLATABLE_CHARACTER = "22P05";

    private Response malformed(JsonProcessingException e, ContainerRequestContext request) {
        String field = e instanceof JsonMappingException m ? jsonPath(m) : null;
        String message;
        if (e instanceof JsonParseException) {
            JsonLocation at = e.getLocation();
            message = "The body is not valid JSON" + (at == null ? ""
                    : " (line " + at.getLineNr() + ", column "
                            + at.getColumnNr() + ")");
        } else if (e instanceof StorableTextJson.UnstorableTextException) {
            message = e.getOriginalMessage();
        } else if (e instanceof UnrecognizedPropertyException u) {
            message = "Unknown property '" + u.getPropertyName() + "'";
        } else if (e instanceof InvalidFormatException f) {
            message = "Value '" + f.getValue() + "' cannot be read as " + f.getTargetType().getSimpleName();
        } else {
            message = "The value has the wrong type or shape";
        }
        List<Problem.FieldError> errors = field == null || field.isEmpty() ? List.of()
                : List.of(new Problem.FieldError(field, message));
        return respond(request, ProblemType.MALFORMED_BODY, 400, field == null || field.isEmpty() ? message
                : field + ": " + message, null, errors);
    }

    private static String jsonPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private Response respondToViolations(ConstraintViolationException e, ContainerRequestContext request) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            errors.add(new Problem.FieldError(fieldOf(v.getPropertyPath()), v.getMessage()));
        }
        errors.sort(Comparator.comparing(Problem.FieldError::field));
        String detail = errors.stream().map(f -> f.field() + ": " + f.message()).reduce((a, b) -> a + "; " + b)
                .orElse("Invalid request");
        return respond(request, ProblemType.VALIDATION, 400, detail, null, errors);
    }

    /** "create.request.signatories[0].cilId" becomes "signatories[0].cilId"; a query parameter keeps its name. */
    static String fieldOf(Path path) {
        StringBuilder field = new StringBuilder();
        String parameter = null;
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.CONSTRUCTOR
                    || node.getKind() == ElementKind.CROSS_PARAMETER || node.getKind() == ElementKind.RETURN_VALUE) {
                continue;
            }
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
                continue;
            }
            // Hibernate Validator puts a container's index on the node that follows it.
            if (node.isInIterable()) {
                field.append('[').append(node.getIndex() != null ? node.getIndex() : node.getKey()).append(']');
            }
            if (node.getName() == null || node.getKind() == ElementKind.CONTAINER_ELEMENT) {
                continue;
            }
            if (!field.isEmpty()) {
                field.append('.');
            }
            field.append(node.getName());
        }
        if (field.isEmpty()) {
            return parameter == null ? path.toString() : parameter;
        }
        return field.toString();
    }

    static Response respond(ContainerRequestContext request, ProblemType type, int status, String detail,
            String rule, List<Problem.FieldError> errors) {
        Problem body = new Problem(type.uri(), type.title(), status, detail,
                request == null ? null : URI.create(request.getUriInfo().getRequestUri().getRawPath()), rule,
                request == null ? null : RequestIdFilter.requestId(request), errors);
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(body).build();
    }
}
