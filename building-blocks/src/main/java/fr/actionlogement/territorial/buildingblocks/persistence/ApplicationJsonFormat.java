package fr.actionlogement.territorial.buildingblocks.persistence;

import java.io.IOException;

import jakarta.inject.Singleton;

import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.JavaType;
import org.hibernate.type.format.FormatMapper;
import org.hibernate.type.format.jackson.JacksonJsonFormatMapper;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.orm.JsonFormat;
import io.quarkus.hibernate.orm.PersistenceUnitExtension;

/**
 * Hibernate's JSON columns (an aggregate kept as a document, e.g. a convention or a needs study) with the
 * application's ObjectMapper, the one that wrote the existing rows: ISO dates and times, the same shape for the old
 * and the new version during a rolling update. Without it Hibernate uses its own mapper (even with
 * {@code mapping.format.global=ignore}), which writes an Instant as a number; Quarkus also refuses to start when the
 * application customises its ObjectMapper and no mapper is named.
 */
@JsonFormat
@PersistenceUnitExtension
@Singleton
public class ApplicationJsonFormat implements FormatMapper {

    private final FormatMapper jackson;

    ApplicationJsonFormat(ObjectMapper mapper) {
        this.jackson = new JacksonJsonFormatMapper(mapper);
    }

    @Override
    public <T> T fromString(CharSequence json, JavaType<T> type, WrapperOptions options) {
        return jackson.fromString(json, type, options);
    }

    @Override
    public <T> String toString(T value, JavaType<T> type, WrapperOptions options) {
        return jackson.toString(value, type, options);
    }

    @Override
    public boolean supportsSourceType(Class<?> sourceType) {
        return jackson.supportsSourceType(sourceType);
    }

    @Override
    public boolean supportsTargetType(Class<?> targetType) {
        return jackson.supportsTargetType(targetType);
    }

    @Override
    public <T> void writeToTarget(T value, JavaType<T> type, Object target, WrapperOptions options)
            throws IOException {
        jackson.writeToTarget(value, type, target, options);
    }

    @Override
    public <T> T readFromSource(JavaType<T> type, Object source, WrapperOptions options) throws IOException {
        return jackson.readFromSource(type, source, options);
    }
}
