package fr.actionlogement.territorial.territories.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.LockModeType;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.Version;

import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * An aggregate row under optimistic locking: Hibernate checks and moves {@code version}, which the API shows as the
 * ETag (a stale {@code If-Match} is refused before any change; a concurrent change that slips in between fails the
 * UPDATE and becomes 412).
 */
@MappedSuperclass
public abstract class VersionedEntity extends PanacheEntityBase {

    @Version
    @Column(name = "version", nullable = false)
    public long version;

    /**
     * Writes this change now, so the caller can answer with the new version, and moves the version by exactly one:
     * an update that repeats the current state is still a new revision (the API's ETag changes on every accepted
     * write, as it did before Hibernate).
     */
    public void flushRevision() {
        long before = version;
        Panache.getEntityManager().flush();
        if (version == before) {
            Panache.getEntityManager().lock(this, LockModeType.PESSIMISTIC_FORCE_INCREMENT);
        }
    }
}
