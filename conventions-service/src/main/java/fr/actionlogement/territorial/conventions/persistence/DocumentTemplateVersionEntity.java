package fr.actionlogement.territorial.conventions.persistence;

import java.io.Serializable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.Mutability;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.java.Immutability;

import fr.actionlogement.territorial.conventions.domain.ConventionKind;
import fr.actionlogement.territorial.conventions.domain.DocumentTemplate;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** Issue 15 point 8: one published version of a document template, as a JSON document; immutable once published. */
@Entity
@Table(name = "document_template_version")
@IdClass(DocumentTemplateVersionEntity.Key.class)
public class DocumentTemplateVersionEntity extends PanacheEntityBase {

    @Id
    @Enumerated(EnumType.STRING)
    @Column(name = "kind")
    public ConventionKind kind;

    @Id
    @Column(name = "version")
    public int version;

    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    @Column(name = "document", nullable = false)
    public DocumentTemplate document;

    @Column(name = "published_at", nullable = false)
    public OffsetDateTime publishedAt;

    @Column(name = "published_by", nullable = false)
    public String publishedBy;

    public static DocumentTemplateVersionEntity publish(DocumentTemplate t, Instant at, String by) {
        DocumentTemplateVersionEntity e = new DocumentTemplateVersionEntity();
        e.kind = t.kind();
        e.version = t.version();
        e.document = t;
        e.publishedAt = ConventionEntity.at(at);
        e.publishedBy = by;
        e.persist();
        return e;
    }

    public static Optional<DocumentTemplateVersionEntity> of(ConventionKind kind, int version) {
        return find("kind = ?1 and version = ?2", kind, version).firstResultOptional();
    }

    /** The version in force: the latest published. */
    public static Optional<DocumentTemplateVersionEntity> latest(ConventionKind kind) {
        return find("kind = ?1 order by version desc", kind).firstResultOptional();
    }

    public static List<DocumentTemplateVersionEntity> of(ConventionKind kind) {
        return list("kind = ?1 order by version", kind);
    }

    public static class Key implements Serializable {
        public ConventionKind kind;
        public int version;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.version == version && Objects.equals(k.kind, kind);
        }

        @Override
        public int hashCode() {
            return Objects.hash(kind, version);
        }
    }
}
