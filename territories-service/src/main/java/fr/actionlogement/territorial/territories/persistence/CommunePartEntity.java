package fr.actionlogement.territorial.territories.persistence;

import java.io.Serializable;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A commune déléguée / associée or arrondissement municipal, as read; written in bulk with the reference. */
@Entity
@Immutable
@IdClass(CommunePartEntity.Key.class)
@Table(name = "commune_part")
public class CommunePartEntity extends PanacheEntityBase {

    @Id
    @Column(name = "type")
    public String type;

    @Id
    @Column(name = "code")
    public String code;

    @Column(name = "name")
    public String name;

    @Column(name = "parent_code")
    public String parentCode;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "postcodes")
    public List<String> postcodes;

    public record Key(String type, String code) implements Serializable {
    }
}
