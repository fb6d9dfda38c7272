package fr.actionlogement.territorial.partnerships.persistence;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import fr.actionlogement.territorial.buildingblocks.persistence.PlainSql;
import fr.actionlogement.territorial.partnerships.domain.DocumentStore;

/**
 * Document content in the service's own database (bytea), written in the caller's transaction so a refused or
 * failed upload leaves nothing. An object store can replace this bean behind {@link DocumentStore}.
 */
@ApplicationScoped
public class PostgresDocumentStore implements DocumentStore {

    private final PlainSql sql;

    PostgresDocumentStore(PlainSql sql) {
        this.sql = sql;
    }

    @Override
    public void put(UUID documentId, byte[] content) {
        sql.update("INSERT INTO document_content (document_id, content) VALUES (?, ?)", documentId, content);
    }

    @Override
    public Optional<byte[]> get(UUID documentId) {
        return sql.one("SELECT content FROM document_content WHERE document_id = ?", rs -> rs.getBytes(1), documentId);
    }
}
