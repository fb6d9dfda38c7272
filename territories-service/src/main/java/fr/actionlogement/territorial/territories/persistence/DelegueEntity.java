package fr.actionlogement.territorial.territories.persistence;

import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import fr.actionlogement.territorial.buildingblocks.persistence.VersionedEntity;

/** the délégué territorial of a region. */
@Entity
@Table(name = "delegue")
public class DelegueEntity extends VersionedEntity {

    @Id
    @Column(name = "region_code")
    public String regionCode;

    @Column(name = "subject", nullable = false)
    public String subject;

    @Column(name = "username", nullable = false)
    public String username;

    @Column(name = "since", nullable = false)
    public LocalDate since;
}
