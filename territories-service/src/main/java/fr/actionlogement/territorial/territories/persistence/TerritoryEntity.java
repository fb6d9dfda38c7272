package fr.actionlogement.territorial.territories.persistence;

import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import fr.actionlogement.territorial.territories.domain.ReferenceTerritory;
import fr.actionlogement.territorial.territories.domain.TerritoryKind;

/**
 * a territory of the reference, as read. Written only in bulk (COPY and batch updates in
 * {@link TerritoryRepository}), hence immutable here: Hibernate never dirty-checks it.
 */
@Entity
@Immutable
@Table(name = "territory")
public class TerritoryEntity extends io.quarkus.hibernate.orm.panache.PanacheEntityBase {

    @Id
    public String id;

    @Enumerated(EnumType.STRING)
    @Column(name = "kind")
    public TerritoryKind kind;

    @Column(name = "code")
    public String code;

    @Column(name = "name")
    public String name;

    @Column(name = "name_key")
    public String nameKey;

    @Column(name = "zone")
    public String zone;

    @Column(name = "region_code")
    public String regionCode;

    @Column(name = "departement_code")
    public String departementCode;

    @Column(name = "epci_siren")
    public String epciSiren;

    @Column(name = "ept_siren")
    public String eptSiren;

    @Column(name = "epci_nature")
    public String epciNature;

    @Column(name = "siren")
    public String siren;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "postcodes")
    public List<String> postcodes;

    @Column(name = "population")
    public Integer population;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "member_communes")
    public List<String> memberCommunes;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "former_codes")
    public List<String> formerCodes;

    @Column(name = "millesime")
    public int millesime;

    @Column(name = "retired")
    public boolean retired;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "replaced_by")
    public List<String> replacedBy;

    @Column(name = "tension")
    public String tension;

    @Column(name = "tension_source")
    public String tensionSource;

    @Column(name = "version")
    public long version;

    /** The entity as the repository's row (the benchmark's Hibernate side; reads go through TerritoryRepository). */
    public TerritoryRepository.Row toRow() {
        return new TerritoryRepository.Row(new ReferenceTerritory(kind, code, name, zone, regionCode, departementCode,
                epciSiren, eptSiren, epciNature, siren, postcodes, population, memberCommunes, formerCodes, millesime,
                retired, replacedBy), tension, tensionSource, version);
    }
}
