package fr.actionlogement.territorial.territories.persistence;

import java.io.Serializable;
import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A territory or basin a signed convention covers (from ConventionSigned). */
@Entity
@IdClass(ConventionCoverageEntity.Key.class)
@Table(name = "convention_coverage")
public class ConventionCoverageEntity extends PanacheEntityBase {

    @Id
    @Column(name = "convention_id")
    public String conventionId;

    @Id
    @Column(name = "territory_id")
    public String territoryId;

    @Column(name = "kind")
    public String kind;

    @Column(name = "signed_on")
    public LocalDate signedOn;

    public record Key(String conventionId, String territoryId) implements Serializable {
    }

    /** Records the coverage once: a redelivered or repeated signature adds nothing. */
    public static void record(String conventionId, String territoryId, String kind, LocalDate signedOn) {
        if (findById(new Key(conventionId, territoryId)) != null) {
            return;
        }
        ConventionCoverageEntity c = new ConventionCoverageEntity();
        c.conventionId = conventionId;
        c.territoryId = territoryId;
        c.kind = kind;
        c.signedOn = signedOn;
        c.persist();
    }
}
