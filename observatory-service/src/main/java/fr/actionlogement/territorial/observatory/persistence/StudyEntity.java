package fr.actionlogement.territorial.observatory.persistence;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Formula;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import fr.actionlogement.territorial.buildingblocks.persistence.VersionedEntity;
import fr.actionlogement.territorial.observatory.domain.NeedsStudy;
import fr.actionlogement.territorial.observatory.domain.StudyStatus;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;

/** A needs study: the aggregate as a JSON document, next to the columns its filters and row-level rules need. */
@Entity
@Table(name = "needs_study")
public class StudyEntity extends VersionedEntity {

    /** Who may see unpublished studies: the launching CILs, the financers, the délégué of the region. */
    public record Reader(boolean all, List<String> cilIds, List<String> partnerIds, String region) {
    }

    public record Filter(String territoryId, StudyStatus status, String cilId) {
    }

    @Id
    public UUID id;

    @Column(name = "title", nullable = false)
    public String title;

    @Column(name = "territory_id", nullable = false)
    public String territoryId;

    @Column(name = "region_code")
    public String regionCode;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", nullable = false)
    public StudyStatus status;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "launching_cil_ids", nullable = false)
    public String[] launchingCilIds;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "financer_ids", nullable = false)
    public String[] financerIds;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "body", nullable = false)
    public NeedsStudy body;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** Read with the study, so that the list shows it without loading any report. */
    @Formula("(SELECT EXISTS (SELECT 1 FROM needs_study_report r WHERE r.study_id = id))")
    public boolean reportAttached;

    public NeedsStudy toDomain() {
        return body;
    }

    /** Copies the aggregate's state onto this row. */
    public void apply(NeedsStudy s, Instant now) {
        id = s.id();
        title = s.title();
        territoryId = s.territoryId();
        status = s.status();
        launchingCilIds = s.launchingCilIds().toArray(String[]::new);
        financerIds = s.financing().stream().map(f -> f.partnerId()).filter(p -> p != null && !p.isBlank())
                .distinct().toArray(String[]::new);
        body = s;
        updatedAt = now;
    }

    public OffsetDateTime createdAtUtc() {
        return createdAt.atOffset(ZoneOffset.UTC);
    }

    public OffsetDateTime updatedAtUtc() {
        return updatedAt.atOffset(ZoneOffset.UTC);
    }

    /** The studies matching the filter that the reader may see. */
    public static PanacheQuery<StudyEntity> find(Filter f, Reader reader, Sort sort) {
        StringBuilder q = new StringBuilder("1 = 1");
        Parameters p = new Parameters();
        if (f.territoryId() != null) {
            q.append(" and territoryId = :territoryId");
            p.and("territoryId", f.territoryId());
        }
        if (f.status() != null) {
            q.append(" and status = :status");
            p.and("status", f.status());
        }
        // Element by element: Hibernate binds a String[] as varchar[], which PostgreSQL does not compare with text[].
        if (f.cilId() != null) {
            q.append(" and array_position(launchingCilIds, :cilId) > 0");
            p.and("cilId", f.cilId());
        }
        if (!reader.all()) {
            q.append(" and (status = :published");
            p.and("published", StudyStatus.PUBLISHED);
            for (int i = 0; i < reader.cilIds().size(); i++) {
                q.append(" or array_position(launchingCilIds, :cil" + i + ") > 0");
                p.and("cil" + i, reader.cilIds().get(i));
            }
            for (int i = 0; i < reader.partnerIds().size(); i++) {
                q.append(" or array_position(financerIds, :partner" + i + ") > 0");
                p.and("partner" + i, reader.partnerIds().get(i));
            }
            if (reader.region() != null) {
                q.append(" or regionCode = :region");
                p.and("region", reader.region());
            }
            q.append(")");
        }
        return find(q.toString(), sort, p);
    }
}
