package fr.actionlogement.territorial.observatory.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import fr.actionlogement.territorial.buildingblocks.persistence.VersionedEntity;

/** An entry of the catalogue of indicators: never changed once added, only new codes appear. */
@Entity
@Table(name = "indicator")
public class IndicatorEntity extends VersionedEntity {

    @Id
    @Column(name = "code")
    public String code;

    @Column(name = "label", nullable = false)
    public String label;

    @Column(name = "unit", nullable = false)
    public String unit;

    @Column(name = "definition", nullable = false)
    public String definition;

    /** SUM or AVERAGE: how values combine across territories and months. */
    @Column(name = "aggregation", nullable = false)
    public String aggregation;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
