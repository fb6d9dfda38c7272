package fr.actionlogement.territorial.buildingblocks.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.Version;

import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * The row of an aggregate the API changes under an ETag: Hibernate checks and moves {@code version} (optimistic
 * locking), and the API shows it as the ETag. A stale {@code If-Match} is refused before any change; a concurrent
 * change that slips in between fails the UPDATE, which building-blocks' problem mappers answer with 412.
 * <p>
 * Every service's aggregate entities extend this class and write the same way: a creation is {@code persist()}
 * (then {@code flush()} when the response needs the row's id, version or unique-key check now), every accepted
 * change ends with {@link #flushRevision()}. The column is {@code version} (a {@code BIGINT} or {@code INT}); a
 * table whose column has another name maps it with {@code @AttributeOverride(name = "version", ...)}.
 * <p>
 * Where a service must serialize writers beyond optimistic locking (a count against a cap, R-02), the entity offers
 * {@code static Optional<X> lock(id)}: {@code findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE)}.
 */
@MappedSuperclass
public abstract class VersionedEntity extends PanacheEntityBase {

    @Version
    @Column(name = "version", nullable = false)
    public long version;

    /**
     * Writes this change now, so the caller can answer with the new version, and moves the version by exactly one:
     * an update that repeats the current state is still a new revision (the ETag changes on every accepted write).
     */
    public void flushRevision() {
        EntityManager em = Panache.getEntityManager(getClass());
        long before = version;
        em.flush();
        if (version == before) {
            em.lock(this, LockModeType.PESSIMISTIC_FORCE_INCREMENT);
        }
    }
}
