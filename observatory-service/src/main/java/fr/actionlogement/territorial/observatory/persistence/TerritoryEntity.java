package fr.actionlogement.territorial.observatory.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** Read model of the territory reference (TerritoryRegistered, BasinDefined). */
@Entity
@Table(name = "territory")
public class TerritoryEntity extends PanacheEntityBase {

    @Id
    @Column(name = "territory_id")
    public String territoryId;

    @Column(name = "kind", nullable = false)
    public String kind;

    @Column(name = "code", nullable = false)
    public String code;

    @Column(name = "name")
    public String name;

    @Column(name = "region_code")
    public String regionCode;

    @Column(name = "departement_code")
    public String departementCode;

    @Column(name = "epci_siren")
    public String epciSiren;

    @Column(name = "retired", nullable = false)
    public boolean retired;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public ReadModels.Territory toView() {
        return new ReadModels.Territory(territoryId, kind, code, name, regionCode, departementCode, epciSiren, retired);
    }
}
