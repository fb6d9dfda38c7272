package fr.actionlogement.territorial.buildingblocks.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An aggregate's JSON document and its row's version as a {@link PlainSql} read returns them, for the reads that
 * skip the entity (docs/architecture.md, "Persistence"). Read with the application's ObjectMapper, the one
 * {@link ApplicationJsonFormat} gives Hibernate, so both paths see the same shape.
 */
public record StoredDocument(String json, long version) {

    public <T> T as(ObjectMapper mapper, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored document is not a " + type.getSimpleName(), e);
        }
    }
}
