package fr.actionlogement.territorial.observatory.persistence;

import java.math.BigDecimal;
import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

import fr.actionlogement.territorial.buildingblocks.persistence.PlainSql;
import fr.actionlogement.territorial.buildingblocks.persistence.VersionedEntity;
import fr.actionlogement.territorial.observatory.domain.ObservationPeriod;
import fr.actionlogement.territorial.observatory.domain.Viewer;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;

/**
 * One observation. The table is partitioned by period and holds tens of millions of rows: single rows are
 * read and changed here, imports, exports and publications of a whole batch go through {@link ObservationStore}.
 */
@Entity
@Table(name = "observation")
public class ObservationEntity extends VersionedEntity {

    /** From the column's sequence; unique across the partitions (the primary key adds the period for them). */
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    public Long id;

    @ManyToOne(fetch = FetchType.EAGER, optional = false)
    @JoinColumn(name = "batch_no", nullable = false)
    public ObservationBatchEntity batch;

    @Column(name = "territory_id", nullable = false)
    public String territoryId;

    @Column(name = "indicator", nullable = false)
    public String indicator;

    @Column(name = "public_prioritaire", nullable = false)
    public String publicPrioritaire;

    /** 'M' or 'Y', in PostgreSQL's one-byte {@code "char"}. */
    @ColumnTransformer(write = "?::\"char\"")
    @Column(name = "period_type", nullable = false)
    public char periodType;

    @Column(name = "period_start", nullable = false)
    public LocalDate periodStart;

    @Column(name = "value", nullable = false, precision = 18, scale = 4)
    public BigDecimal value;

    @Column(name = "source", nullable = false)
    public String source;

    @Column(name = "visibility", nullable = false)
    public String visibility;

    public static ObservationEntity of(ObservationBatchEntity batch, String territoryId, String indicator,
            String publicPrioritaire, ObservationPeriod period, BigDecimal value, String source, String visibility) {
        ObservationEntity o = new ObservationEntity();
        o.batch = batch;
        o.territoryId = territoryId;
        o.indicator = indicator;
        o.publicPrioritaire = publicPrioritaire;
        o.periodType = period.type().code();
        o.periodStart = period.start();
        o.value = value;
        o.source = source;
        o.visibility = visibility;
        return o;
    }

    /**
     * Inserts the observation at once (its id comes from the database). False when one of the same territory,
     * indicator, public, period and source exists: the transaction is then lost, the caller refuses the request.
     */
    public boolean insertUnlessDuplicate() {
        try {
            persist();
            return true;
        } catch (PersistenceException e) {
            if (PlainSql.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    /**
     * A correction; it is a new version (a new ETag) even when it confirms the figures, which the caller's
     * {@link #flushRevision()} sees to.
     */
    public void correct(BigDecimal newValue, String newSource) {
        if (newValue.compareTo(value) != 0 || !newSource.equals(source)) {
            value = newValue;
            source = newSource;
        }
    }

    public ObservationStore.Observation toView() {
        return new ObservationStore.Observation(id, territoryId, indicator, publicPrioritaire,
                ObservationPeriod.format(periodType, periodStart), AggregateQuery.plain(value), source, visibility,
                batch.producer, batch.importId, version, batch.createdAtUtc());
    }

    /** The observations matching the filter that the viewer may see, with their batch. */
    public static PanacheQuery<ObservationEntity> find(ObservationStore.Filter f, Viewer viewer, Sort sort) {
        StringBuilder q = new StringBuilder("from ObservationEntity o join fetch o.batch b where 1 = 1");
        Parameters p = new Parameters();
        if (f.territoryId() != null) {
            q.append(f.includeSubTerritories()
                    ? " and o.territoryId in (select a.territoryId from TerritoryAncestorEntity a where a.ancestorId = :territoryId)"
                    : " and o.territoryId = :territoryId");
            p.and("territoryId", f.territoryId());
        }
        if (f.indicator() != null) {
            q.append(" and o.indicator = :indicator");
            p.and("indicator", f.indicator());
        }
        if (f.publicPrioritaire() != null) {
            q.append(" and o.publicPrioritaire = :public");
            p.and("public", f.publicPrioritaire());
        }
        if (f.periodFrom() != null) {
            q.append(" and o.periodStart >= :from");
            p.and("from", f.periodFrom());
        }
        if (f.periodTo() != null) {
            q.append(" and o.periodStart <= :to");
            p.and("to", f.periodTo());
        }
        if (f.visibility() != null) {
            q.append(" and o.visibility = :visibility");
            p.and("visibility", f.visibility());
        }
        if (f.source() != null) {
            q.append(" and o.source = :source");
            p.and("source", f.source());
        }
        if (f.batchNo() != null) {
            q.append(" and b.batchNo = :batchNo");
            p.and("batchNo", f.batchNo());
        }
        if (!viewer.ueslOrAdmin()) {
            q.append(viewer.partner() ? " and (o.visibility in ('SHARED', 'PUBLIC')" : " and (o.visibility = 'PUBLIC'");
            q.append(" or (o.visibility = 'DRAFT' and b.producer = :producer))");
            p.and("producer", viewer.producer());
        }
        return find(q.toString(), sort, p);
    }
}
