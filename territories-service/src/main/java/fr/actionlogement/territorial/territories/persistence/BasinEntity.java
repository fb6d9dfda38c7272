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

import org.hibernate.annotations.OptimisticLock;

import fr.actionlogement.territorial.buildingblocks.persistence.VersionedEntity;

/** an employment basin, a named set of EPCI. */
@Entity
@Table(name = "basin")
public class BasinEntity extends VersionedEntity {

    @Id
    public String id;

    @Column(name = "slug", nullable = false)
    public String slug;

    @Column(name = "name", nullable = false)
    public String name;

    @Column(name = "wave", nullable = false)
    public int wave;

    @Column(name = "tension")
    public String tension;

    @Column(name = "tension_source")
    public String tensionSource;

    @Column(name = "protocol_id")
    public String protocolId;

    @Column(name = "demo_data", nullable = false)
    public boolean demoData;

    /** The version last published as BasinDefined; bookkeeping, not a revision of the basin. */
    @OptimisticLock(excluded = true)
    @Column(name = "published_version")
    public Long publishedVersion;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "basin_epci", joinColumns = @JoinColumn(name = "basin_id"))
    @Column(name = "epci_siren", nullable = false)
    @OrderBy
    public List<String> epciSirens = new ArrayList<>();
}
