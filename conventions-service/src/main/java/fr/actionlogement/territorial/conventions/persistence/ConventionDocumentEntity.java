package fr.actionlogement.territorial.conventions.persistence;

import java.io.Serializable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import fr.actionlogement.territorial.conventions.domain.ConventionKind;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * Issue 15 point 8: one generated convention document (PDF), numbered from 1 per convention, with the SHA-256 of its
 * bytes; never changed once written. The bytes are loaded only when the document is downloaded.
 */
@Entity
@Table(name = "convention_document")
@IdClass(ConventionDocumentEntity.Key.class)
public class ConventionDocumentEntity extends PanacheEntityBase {

    @Id
    @Column(name = "convention_id")
    public String conventionId;

    @Id
    @Column(name = "number")
    public int number;

    @Column(name = "convention_version", nullable = false)
    public int conventionVersion;

    /** SUBMITTED_FOR_SIGNATURE, SIGNED or AMENDED: the step that generated it. */
    @Column(name = "stage", nullable = false)
    public String stage;

    /** The convention's status when it was generated. */
    @Column(name = "status", nullable = false)
    public String status;

    @Enumerated(EnumType.STRING)
    @Column(name = "template_kind", nullable = false)
    public ConventionKind templateKind;

    @Column(name = "template_version", nullable = false)
    public int templateVersion;

    @Column(name = "reason")
    public String reason;

    @Column(name = "sha256", nullable = false)
    public String sha256;

    @Column(name = "size_bytes", nullable = false)
    public int sizeBytes;

    @Basic(fetch = FetchType.LAZY)
    @Column(name = "content", nullable = false, updatable = false)
    public byte[] content;

    @Column(name = "generated_at", nullable = false)
    public OffsetDateTime generatedAt;

    @Column(name = "generated_by", nullable = false)
    public String generatedBy;

    /** The next number for a convention whose row the caller holds locked (numbers are then gapless and unique). */
    public static int nextNumber(String conventionId) {
        Object max = getEntityManager()
                .createQuery("select coalesce(max(d.number), 0) from ConventionDocumentEntity d"
                        + " where d.conventionId = :id")
                .setParameter("id", conventionId).getSingleResult();
        return ((Number) max).intValue() + 1;
    }

    public static ConventionDocumentEntity record(String conventionId, int conventionVersion, String stage,
            String status, ConventionKind kind, int templateVersion, String reason, byte[] pdf, String sha256,
            Instant at, String by) {
        ConventionDocumentEntity e = new ConventionDocumentEntity();
        e.conventionId = conventionId;
        e.number = nextNumber(conventionId);
        e.conventionVersion = conventionVersion;
        e.stage = stage;
        e.status = status;
        e.templateKind = kind;
        e.templateVersion = templateVersion;
        e.reason = reason;
        e.sha256 = sha256;
        e.sizeBytes = pdf.length;
        e.content = pdf;
        e.generatedAt = ConventionEntity.at(at);
        e.generatedBy = by;
        e.persist();
        return e;
    }

    public static List<ConventionDocumentEntity> of(String conventionId) {
        return list("conventionId = ?1 order by number", conventionId);
    }

    public static Optional<ConventionDocumentEntity> of(String conventionId, int number) {
        return find("conventionId = ?1 and number = ?2", conventionId, number).firstResultOptional();
    }

    public static Optional<ConventionDocumentEntity> latest(String conventionId) {
        return find("conventionId = ?1 order by number desc", conventionId).firstResultOptional();
    }

    public static class Key implements Serializable {
        public String conventionId;
        public int number;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.number == number && Objects.equals(k.conventionId, conventionId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(conventionId, number);
        }
    }
}
