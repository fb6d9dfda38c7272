package fr.actionlogement.territorial.buildingblocks.input;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a JSON body parameter the resource method accepts as absent (an empty body or {@code null} reaches it as
 * {@code null}), e.g. a state transition whose only field is an optional reason. Every other JSON body is required:
 * see {@link RequiredBody}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface OptionalBody {
}
