package fr.actionlogement.territorial.buildingblocks.input;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.util.List;

import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import fr.actionlogement.territorial.buildingblocks.problem.Problem;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemType;

/**
 * A JSON body read as {@code null} (an empty body, or the JSON literal {@code null}) is a 400 naming {@code body},
 * unless the parameter is {@link OptionalBody}: a resource method never sees a null body it did not ask for, whether
 * or not its parameter carries {@code @NotNull} (a missing one was a NullPointerException, so a 500).
 */
@Provider
public class RequiredBody implements ReaderInterceptor {

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        Object body = context.proceed();
        if (body == null && isJson(context) && !optional(context.getAnnotations())) {
            throw new ProblemException(ProblemType.VALIDATION, 400, "body: a JSON body is required", null,
                    List.of(new Problem.FieldError("body", "a JSON body is required")));
        }
        return body;
    }

    private static boolean isJson(ReaderInterceptorContext context) {
        var type = context.getMediaType();
        return type != null && (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"));
    }

    private static boolean optional(Annotation[] annotations) {
        if (annotations != null) {
            for (Annotation a : annotations) {
                if (a.annotationType() == OptionalBody.class) {
                    return true;
                }
            }
        }
        return false;
    }
}
