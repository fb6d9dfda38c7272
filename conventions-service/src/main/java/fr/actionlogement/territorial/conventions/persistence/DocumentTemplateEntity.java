package fr.actionlogement.territorial.conventions.persistence;

import java.util.List;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;

import fr.actionlogement.territorial.buildingblocks.persistence.VersionedEntity;
import fr.actionlogement.territorial.conventions.domain.ConventionKind;

/**
 * Issue 15 point 8: the header of the document template of one convention kind (its latest version; the ETag the
 * UESL sends back to publish the next). The versions are {@link DocumentTemplateVersionEntity}.
 */
@Entity
@Table(name = "document_template")
public class DocumentTemplateEntity extends VersionedEntity {

    @Id
    @Enumerated(EnumType.STRING)
    @Column(name = "kind")
    public ConventionKind kind;

    @Column(name = "latest_version", nullable = false)
    public int latestVersion;

    public static Optional<DocumentTemplateEntity> lock(ConventionKind kind) {
        return findByIdOptional(kind, LockModeType.PESSIMISTIC_WRITE);
    }

    public static Optional<DocumentTemplateEntity> of(ConventionKind kind) {
        return findByIdOptional(kind);
    }

    public static List<DocumentTemplateEntity> all() {
        return list("order by kind");
    }
}
