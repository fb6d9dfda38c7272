package fr.actionlogement.territorial.buildingblocks.input;

import java.io.IOException;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Every string read from a JSON body goes through {@link StorableText}: a value PostgreSQL could not store is a
 * {@link UnstorableTextException}, which the problem mappers answer with a 400 naming the field (Jackson adds the
 * path). Strings inside free-form JSON ({@code JsonNode} fields) are not seen here; should one reach the database,
 * its refusal is still a 400 (see ProblemMappers).
 */
@Singleton
public class StorableTextJson implements ObjectMapperCustomizer {

    /** A JSON string PostgreSQL cannot store. */
    public static final class UnstorableTextException extends JsonMappingException {
        UnstorableTextException(JsonParser p, String message) {
            super(p, message);
        }
    }

    @Override
    public void customize(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("storable-text");
        module.addDeserializer(String.class, new StringDeserializer() {
            @Override
            public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                return checked(p, super.deserialize(p, ctxt));
            }
        });
        mapper.registerModule(module);
    }

    static String checked(JsonParser p, String value) throws UnstorableTextException {
        String problem = StorableText.problem(value);
        if (problem != null) {
            throw new UnstorableTextException(p, problem);
        }
        return value;
    }
}
