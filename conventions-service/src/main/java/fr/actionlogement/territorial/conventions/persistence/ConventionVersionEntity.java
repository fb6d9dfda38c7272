package fr.actionlogement.territorial.conventions.persistence;

import java.io.Serializable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.Mutability;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.java.Immutability;

import fr.actionlogement.territorial.conventions.domain.ConventionSnapshot;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** each signed version of a convention (the signature, then every amendment), as it was; never changed. */
@Entity
@Table(name = "convention_version")
@IdClass(ConventionVersionEntity.Key.class)
public class ConventionVersionEntity extends PanacheEntityBase {

    @Id
    @Column(name = "convention_id")
    public String conventionId;

    @Id
    @Column(name = "version")
    public int version;

    @Column(name = "recorded_at", nullable = false)
    public OffsetDateTime recordedAt;

    @Column(name = "recorded_by", nullable = false)
    public String recordedBy;

    @Column(name = "reason")
    public String reason;

    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    @Column(name = "document", nullable = false)
    public ConventionSnapshot document;

    public static ConventionVersionEntity record(ConventionSnapshot s, Instant at, String by, String reason) {
        ConventionVersionEntity e = new ConventionVersionEntity();
        e.conventionId = s.conventionId();
        e.version = s.version();
        e.recordedAt = ConventionEntity.at(at);
        e.recordedBy = by;
        e.reason = reason;
        e.document = s;
        e.persist();
        return e;
    }

    public static List<ConventionVersionEntity> of(String conventionId) {
        return list("conventionId = ?1 order by version", conventionId);
    }

    public static Optional<ConventionVersionEntity> of(String conventionId, int version) {
        return find("conventionId = ?1 and version = ?2", conventionId, version).firstResultOptional();
    }

    public static class Key implements Serializable {
        public String conventionId;
        public int version;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.version == version && Objects.equals(k.conventionId, conventionId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(conventionId, version);
        }
    }
}
