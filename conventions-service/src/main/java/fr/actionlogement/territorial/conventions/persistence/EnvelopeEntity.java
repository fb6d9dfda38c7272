package fr.actionlogement.territorial.conventions.persistence;

import java.util.Map;
import java.util.Optional;

import jakarta.persistence.AttributeOverride;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;

import fr.actionlogement.territorial.buildingblocks.api.PageRequest;
import fr.actionlogement.territorial.buildingblocks.persistence.VersionedEntity;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Parameters;

/**
 * R-10 contingent envelope set by the UESL per CIL, product and year (unique). {@code version} (column {@code rev})
 * is the ETag.
 */
@Entity
@Table(name = "envelope")
@AttributeOverride(name = "version", column = @Column(name = "rev", nullable = false))
public class EnvelopeEntity extends VersionedEntity {

    /** API sort names to entity properties. */
    public static final Map<String, String> SORTABLE = Map.of("year", "year", "cilId", "cilId", "product", "product",
            "id", "id");

    @Id
    public String id;

    @Column(name = "cil_id", nullable = false)
    public String cilId;

    @Column(name = "product", nullable = false)
    public String product;

    @Column(name = "year", nullable = false)
    public int year;

    @Column(name = "amount", nullable = false)
    public long amount;

    public static Optional<EnvelopeEntity> lock(String id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * the envelope, locked (SELECT ... FOR UPDATE) until the transaction ends: commitments on one envelope are
     * decided one after the other.
     */
    public static Optional<EnvelopeEntity> lock(String cilId, String product, int year) {
        return find("cilId = ?1 and product = ?2 and year = ?3", cilId, product, year)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    public static Optional<EnvelopeEntity> find(String cilId, String product, int year) {
        return find("cilId = ?1 and product = ?2 and year = ?3", cilId, product, year).firstResultOptional();
    }

    public static PanacheQuery<EnvelopeEntity> list(String cilId, String product, Integer year, PageRequest page) {
        Parameters p = new Parameters();
        return find(where(cilId, product, year, p), page.panacheSort("id"), p).page(page.page(), page.size());
    }

    public static long count(String cilId, String product, Integer year) {
        Parameters p = new Parameters();
        return count(where(cilId, product, year, p), p);
    }

    private static String where(String cilId, String product, Integer year, Parameters p) {
        StringBuilder w = new StringBuilder("1 = 1");
        if (cilId != null) {
            w.append(" and cilId = :cilId");
            p.and("cilId", cilId);
        }
        if (product != null) {
            w.append(" and product = :product");
            p.and("product", product);
        }
        if (year != null) {
            w.append(" and year = :year");
            p.and("year", year);
        }
        return w.toString();
    }
}
