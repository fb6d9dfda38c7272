package fr.actionlogement.territorial.partnerships.persistence;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import fr.actionlogement.territorial.partnerships.domain.DocumentStore;

/**
 * Document content in the service's own database (bytea), written in the caller's transaction so a refused or
 * failed upload leaves nothing. An object store can replace this bean behind {@link DocumentStore}.
 */
@ApplicationScoped
public class PostgresDocumentStore implements DocumentStore {

    @Inject
    EntityManager em;

    @Override
    public void put(UUID documentId, byte[] content) {
        em.createNativeQuery("INSERT INTO document_content (document_id, content) VALUES (?1, ?2)")
                .setParameter(1, documentId).setParameter(2, content).executeUpdate();
    }

    @Override
    public Optional<byte[]> get(UUID documentId) {
        List<?> rows = em.createNativeQuery("SELECT content FROM document_content WHERE document_id = ?1")
                .setParameter(1, documentId).getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of((byte[]) rows.get(0));
    }
}
