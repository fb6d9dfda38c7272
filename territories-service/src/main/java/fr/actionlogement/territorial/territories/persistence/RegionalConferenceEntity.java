package fr.actionlogement.territorial.territories.persistence;

import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;

import fr.actionlogement.territorial.buildingblocks.persistence.VersionedEntity;

/** a region's conference and its member CILs. */
@Entity
@Table(name = "regional_conference")
public class RegionalConferenceEntity extends VersionedEntity {

    @Id
    @Column(name = "region_code")
    public String regionCode;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "regional_conference_member", joinColumns = @JoinColumn(name = "region_code"))
    @Column(name = "cil_id", nullable = false)
    @OrderBy
    public List<String> memberCilIds = new ArrayList<>();
}
