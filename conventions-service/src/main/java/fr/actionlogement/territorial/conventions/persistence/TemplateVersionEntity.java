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

import fr.actionlogement.territorial.conventions.domain.TemplateVersion;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** one published version of a template, as a JSON document; immutable once published. */
@Entity
@Table(name = "template_version")
@IdClass(TemplateVersionEntity.Key.class)
public class TemplateVersionEntity extends PanacheEntityBase {

    @Id
    @Column(name = "template_id")
    public String templateId;

    @Id
    @Column(name = "version")
    public int version;

    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    @Column(name = "document", nullable = false)
    public TemplateVersion document;

    @Column(name = "published_at", nullable = false)
    public OffsetDateTime publishedAt;

    @Column(name = "published_by", nullable = false)
    public String publishedBy;

    public static TemplateVersionEntity publish(TemplateVersion v, Instant at, String by) {
        TemplateVersionEntity e = new TemplateVersionEntity();
        e.templateId = v.templateId();
        e.version = v.version();
        e.document = v;
        e.publishedAt = ConventionEntity.at(at);
        e.publishedBy = by;
        e.persist();
        return e;
    }

    public static Optional<TemplateVersionEntity> of(String templateId, int version) {
        return find("templateId = ?1 and version = ?2", templateId, version).firstResultOptional();
    }

    public static List<TemplateVersionEntity> of(String templateId) {
        return list("templateId = ?1 order by version", templateId);
    }

    public static class Key implements Serializable {
        public String templateId;
        public int version;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.version == version && Objects.equals(k.templateId, templateId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(templateId, version);
        }
    }
}
