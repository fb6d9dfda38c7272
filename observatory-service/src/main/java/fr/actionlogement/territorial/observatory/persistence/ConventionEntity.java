package fr.actionlogement.territorial.observatory.persistence;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** Read model of a signed convention (ConventionSigned, ConventionAmended) with its objectives, for R-44. */
@Entity
@Table(name = "convention")
public class ConventionEntity extends PanacheEntityBase {

    @Id
    @Column(name = "convention_id")
    public String conventionId;

    /** The convention's own version, from its events (not an optimistic lock: only the consumer writes here). */
    @Column(name = "version", nullable = false)
    public int version;

    @Column(name = "kind")
    public String kind;

    @Column(name = "territory_id", nullable = false)
    public String territoryId;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "covered_territory_ids", nullable = false)
    public String[] coveredTerritoryIds;

    @Column(name = "signed_on")
    public LocalDate signedOn;

    /** The convention's région (its délégués see it); null when its events did not say. */
    @Column(name = "region_code")
    public String regionCode;

    /** Its parties as {@code <partyType>:<partyId>}; null when its events did not say (the UESL only sees it). */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "party_keys")
    public String[] partyKeys;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "convention_objective", joinColumns = @JoinColumn(name = "convention_id"))
    public List<Objective> objectives = new ArrayList<>();

    @Embeddable
    public static class Objective {
        @Column(name = "objective_id", nullable = false)
        public String objectiveId;

        @Column(name = "indicator", nullable = false)
        public String indicator;

        @Column(name = "public_prioritaire")
        public String publicPrioritaire;

        @Column(name = "year", nullable = false)
        public int year;

        @Column(name = "target", nullable = false)
        public BigDecimal target;

        public static Objective of(ReadModels.Objective o) {
            Objective e = new Objective();
            e.objectiveId = o.objectiveId();
            e.indicator = o.indicator();
            e.publicPrioritaire = o.publicPrioritaire();
            e.year = o.year();
            e.target = o.target();
            return e;
        }

        public ReadModels.Objective toView() {
            return new ReadModels.Objective(objectiveId, indicator, publicPrioritaire, year, target);
        }
    }

    public ReadModels.Convention toView() {
        return new ReadModels.Convention(conventionId, version, kind, territoryId, List.of(coveredTerritoryIds),
                signedOn, regionCode, partyKeys == null ? null : List.of(partyKeys));
    }
}
