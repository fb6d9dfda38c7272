package fr.actionlogement.territorial.conventions.config;

import java.io.IOException;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;

import fr.actionlogement.territorial.conventions.domain.Device;
import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * A device is its code on the wire and in the stored documents ("GRL"), as when devices were a closed enum: the
 * domain type stays free of Jackson. A code not in upper snake case is a 400; an unknown one a 422.
 */
@Singleton
public class DeviceJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("devices");
        module.addSerializer(Device.class, new JsonSerializer<>() {
            @Override
            public void serialize(Device value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(value.code());
            }
        });
        module.addDeserializer(Device.class, new JsonDeserializer<>() {
            @Override
            public Device deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                String code = p.getValueAsString();
                if (code == null || !p.currentToken().isScalarValue()) {
                    return (Device) ctxt.handleUnexpectedToken(Device.class, p);
                }
                try {
                    return Device.of(code);
                } catch (IllegalArgumentException e) {
                    return (Device) ctxt.handleWeirdStringValue(Device.class, code, e.getMessage());
                }
            }
        });
        mapper.registerModule(module);
    }
}
