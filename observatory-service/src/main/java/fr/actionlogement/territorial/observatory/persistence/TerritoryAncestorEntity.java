package fr.actionlogement.territorial.observatory.persistence;

import java.io.Serializable;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * One row of the closure of the territory hierarchy (self included): queried by HQL; maintained in SQL by
 * {@link ReadModels#rebuildAncestors}, a set-based statement.
 */
@Entity
@Table(name = "territory_ancestor")
@IdClass(TerritoryAncestorEntity.Key.class)
public class TerritoryAncestorEntity extends PanacheEntityBase {

    @Id
    @Column(name = "ancestor_id")
    public String ancestorId;

    @Id
    @Column(name = "territory_id")
    public String territoryId;

    public static class Key implements Serializable {
        public String ancestorId;
        public String territoryId;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(ancestorId, k.ancestorId)
                    && Objects.equals(territoryId, k.territoryId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(ancestorId, territoryId);
        }
    }
}
