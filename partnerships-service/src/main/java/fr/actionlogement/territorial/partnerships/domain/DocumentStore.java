package fr.actionlogement.territorial.partnerships.domain;

import java.util.Optional;
import java.util.UUID;

/** Where draft documents' bytes live: the service's database today, an object store tomorrow. */
public interface DocumentStore {

    /** Stores the content; must join the caller's transaction (or be compensated) so a failed upload stores nothing. */
    void put(UUID documentId, byte[] content);

    Optional<byte[]> get(UUID documentId);
}
