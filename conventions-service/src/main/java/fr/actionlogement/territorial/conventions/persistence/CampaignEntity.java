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
import fr.actionlogement.territorial.conventions.domain.Campaign;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Parameters;

/** R-02 campaigns. {@code version} (column {@code rev}) is the ETag. */
@Entity
@Table(name = "campaign")
@AttributeOverride(name = "version", column = @Column(name = "rev", nullable = false))
public class CampaignEntity extends VersionedEntity {

    /** API sort names to entity properties. */
    public static final Map<String, String> SORTABLE = Map.of("year", "year", "name", "name", "id", "id");

    @Id
    public String id;

    @Column(name = "name", nullable = false)
    public String name;

    @Column(name = "year", nullable = false)
    public int year;

    @Column(name = "cap", nullable = false)
    public int cap;

    @Column(name = "evaluation_year")
    public Integer evaluationYear;

    @Column(name = "open", nullable = false)
    public boolean open;

    public static CampaignEntity of(Campaign c) {
        CampaignEntity e = new CampaignEntity();
        e.id = c.campaignId();
        e.year = c.year();
        e.apply(c);
        return e;
    }

    public Campaign toDomain() {
        return new Campaign(id, name, year, cap, evaluationYear, open);
    }

    /** Copies what may change (not the id, not the year). */
    public void apply(Campaign c) {
        name = c.name();
        cap = c.cap();
        evaluationYear = c.evaluationYear();
        open = c.open();
    }

    /** Locks the campaign so that concurrent proposals are counted against the cap one after the other. */
    public static Optional<CampaignEntity> lock(String id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }

    public static PanacheQuery<CampaignEntity> list(Integer year, PageRequest page) {
        Parameters p = new Parameters();
        return find(where(year, p), page.panacheSort("id"), p).page(page.page(), page.size());
    }

    public static long count(Integer year) {
        Parameters p = new Parameters();
        return count(where(year, p), p);
    }

    private static String where(Integer year, Parameters p) {
        if (year == null) {
            return "1 = 1";
        }
        p.and("year", year);
        return "year = :year";
    }
}
