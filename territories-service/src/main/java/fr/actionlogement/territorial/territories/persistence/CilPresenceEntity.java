package fr.actionlogement.territorial.territories.persistence;

import java.time.LocalDate;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import fr.actionlogement.territorial.buildingblocks.persistence.VersionedEntity;

/** a CIL's presence on a territory or basin, between two dates. */
@Entity
@Table(name = "cil_presence")
public class CilPresenceEntity extends VersionedEntity {

    @Id
    public UUID id;

    @Column(name = "cil_id", nullable = false)
    public String cilId;

    @Column(name = "territory_id", nullable = false)
    public String territoryId;

    @Column(name = "since", nullable = false)
    public LocalDate since;

    @Column(name = "until")
    public LocalDate until;
}
