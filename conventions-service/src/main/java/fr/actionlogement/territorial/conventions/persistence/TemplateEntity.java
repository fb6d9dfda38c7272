package fr.actionlogement.territorial.conventions.persistence;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;

import jakarta.persistence.AttributeOverride;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;

import fr.actionlogement.territorial.buildingblocks.api.PageRequest;
import fr.actionlogement.territorial.buildingblocks.persistence.VersionedEntity;
import fr.actionlogement.territorial.conventions.domain.ConventionKind;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Parameters;

/** R-04 template: its header (name, kind, latest version); the versions are {@link TemplateVersionEntity}. */
@Entity
@Table(name = "template")
@AttributeOverride(name = "version", column = @Column(name = "rev", nullable = false))
public class TemplateEntity extends VersionedEntity {

    /** API sort names to entity properties. */
    public static final Map<String, String> SORTABLE = Map.of("name", "name", "createdAt", "createdAt", "id", "id");

    @Id
    public String id;

    @Column(name = "name", nullable = false)
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(name = "kind", nullable = false)
    public ConventionKind kind;

    @Column(name = "latest_version", nullable = false)
    public int latestVersion;

    /** Set by the database (default now()); only sorted on. */
    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    public static Optional<TemplateEntity> lock(String id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }

    public static PanacheQuery<TemplateEntity> list(ConventionKind kind, PageRequest page) {
        Parameters p = new Parameters();
        return find(where(kind, p), page.panacheSort("id"), p).page(page.page(), page.size());
    }

    public static long count(ConventionKind kind) {
        Parameters p = new Parameters();
        return count(where(kind, p), p);
    }

    private static String where(ConventionKind kind, Parameters p) {
        if (kind == null) {
            return "1 = 1";
        }
        p.and("kind", kind);
        return "kind = :kind";
    }
}
