package fr.actionlogement.territorial.observatory.persistence;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** Read model of CilPresenceChanged: whether a CIL is present on a territory, and since when. */
@Entity
@Table(name = "cil_presence")
@IdClass(CilPresenceEntity.Key.class)
public class CilPresenceEntity extends PanacheEntityBase {

    @Id
    @Column(name = "cil_id")
    public String cilId;

    @Id
    @Column(name = "territory_id")
    public String territoryId;

    @Column(name = "present", nullable = false)
    public boolean present;

    @Column(name = "since")
    public LocalDate since;

    @Column(name = "until")
    public LocalDate until;

    public static class Key implements Serializable {
        public String cilId;
        public String territoryId;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(cilId, k.cilId) && Objects.equals(territoryId, k.territoryId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(cilId, territoryId);
        }
    }
}
