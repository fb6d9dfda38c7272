package fr.actionlogement.territorial.territories.persistence;

import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import fr.actionlogement.territorial.buildingblocks.persistence.VersionedEntity;

/** a CIL, or a filiale when it has a parent. */
@Entity
@Table(name = "cil")
public class CilEntity extends VersionedEntity {

    @Id
    public String id;

    @Column(name = "name", nullable = false)
    public String name;

    @Column(name = "parent_cil_id")
    public String parentCilId;

    public static List<String> subsidiaryIdsOf(String id) {
        return getEntityManager().createQuery("select id from CilEntity where parentCilId = :id order by id", String.class)
                .setParameter("id", id).getResultList();
    }
}
