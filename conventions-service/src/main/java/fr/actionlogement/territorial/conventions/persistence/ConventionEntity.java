package fr.actionlogement.territorial.conventions.persistence;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.StringJoiner;

import jakarta.persistence.AttributeOverride;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.Mutability;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.java.Immutability;

import fr.actionlogement.territorial.buildingblocks.api.PageRequest;
import fr.actionlogement.territorial.buildingblocks.persistence.VersionedEntity;
import fr.actionlogement.territorial.buildingblocks.security.PartyKey;
import fr.actionlogement.territorial.conventions.domain.Convention;
import fr.actionlogement.territorial.conventions.domain.ConventionKind;
import fr.actionlogement.territorial.conventions.domain.ConventionSnapshot;
import fr.actionlogement.territorial.conventions.domain.ConventionStatus;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;

/**
 * A convention: its whole state as a JSON document (the aggregate's snapshot), and beside it the columns the API
 * filters and sorts on, copied from the snapshot on every change. {@code version} (column {@code rev}) is the ETag.
 */
@Entity
@Table(name = "convention")
@AttributeOverride(name = "version", column = @Column(name = "rev", nullable = false))
public class ConventionEntity extends VersionedEntity {

    /** API sort names to entity properties; the first is the default. */
    public static final java.util.Map<String, String> SORTABLE = java.util.Map.of("proposedAt", "createdAt",
            "territoryId", "territoryId", "status", "status", "signedOn", "signedOn", "id", "id");

    @Id
    public String id;

    @Enumerated(EnumType.STRING)
    @Column(name = "kind", nullable = false)
    public ConventionKind kind;

    @Column(name = "campaign_id", nullable = false)
    public String campaignId;

    @Column(name = "territory_id", nullable = false)
    public String territoryId;

    @Column(name = "region_code")
    public String regionCode;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", nullable = false)
    public ConventionStatus status;

    /** The convention's own version (R-14: 1 when signed, +1 per amendment); not the row's {@code version}. */
    @Column(name = "version", nullable = false)
    public int conventionVersion;

    /** Keys ({@code CIL:<siren>}, {@code COLLECTIVITE:<id>}...) of the signatories and partners: who may see it. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "party_keys", nullable = false)
    public String[] partyKeys;

    @Column(name = "period_start", nullable = false)
    public int periodStart;

    @Column(name = "period_end", nullable = false)
    public int periodEnd;

    @Column(name = "signed_on")
    public LocalDate signedOn;

    @Column(name = "created_at", nullable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    // The domain never changes a snapshot in place (each change stores a new one): no deep copy to dirty-check.
    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    @Column(name = "document", nullable = false)
    public ConventionSnapshot document;

    public static ConventionEntity of(Convention c, Instant now) {
        ConventionEntity e = new ConventionEntity();
        e.createdAt = at(now);
        e.apply(c, now);
        return e;
    }

    public Convention toDomain() {
        return Convention.restore(document);
    }

    /** Copies the aggregate's state onto this row. */
    public void apply(Convention c, Instant now) {
        ConventionSnapshot s = c.snapshot();
        id = s.conventionId();
        kind = s.kind();
        campaignId = s.campaignId();
        territoryId = s.territoryId();
        regionCode = s.regionCode();
        status = s.status();
        conventionVersion = s.version();
        partyKeys = c.partyKeys().stream().sorted().toArray(String[]::new);
        periodStart = s.content().periodStartYear();
        periodEnd = s.content().periodEndYear();
        signedOn = s.signedOn();
        updatedAt = at(now);
        document = s;
    }

    /** A convention as a read returns it: the restored aggregate and its row's version (the ETag). */
    public record Read(Convention convention, long version) {
    }

    /** Loads the convention and locks its row until the end of the transaction (serializes concurrent writers). */
    public static Optional<ConventionEntity> lock(String id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }

    public static PanacheQuery<ConventionEntity> search(ConventionFilter f, PageRequest page) {
        Parameters p = new Parameters();
        return find(where(f, p), page.panacheSort("id"), p).page(page.page(), page.size());
    }

    /** The list's query (its filters and the caller's visibility), unpaged, in proposal order: for a streamed export. */
    public static PanacheQuery<ConventionEntity> exportQuery(ConventionFilter f) {
        Parameters p = new Parameters();
        return find(where(f, p), Sort.by("createdAt").and("id"), p);
    }

    public static long count(ConventionFilter f) {
        Parameters p = new Parameters();
        return count(where(f, p), p);
    }

    private static String where(ConventionFilter f, Parameters p) {
        StringBuilder w = new StringBuilder("1 = 1");
        if (f.territoryId() != null) {
            w.append(" and territoryId = :territoryId");
            p.and("territoryId", f.territoryId());
        }
        if (f.status() != null) {
            w.append(" and status = :status");
            p.and("status", ConventionStatus.valueOf(f.status()));
        }
        if (f.cilId() != null) {
            w.append(" and (").append(hasPartyKey("cilKey")).append(" or ").append(hasPartyKey("filialeKey")).append(")");
            p.and("cilKey", PartyKey.cil(f.cilId()));
            p.and("filialeKey", PartyKey.filiale(f.cilId()));
        }
        if (f.campaignId() != null) {
            w.append(" and campaignId = :campaignId");
            p.and("campaignId", f.campaignId());
        }
        if (f.year() != null) {
            w.append(" and periodStart <= :year and periodEnd >= :year");
            p.and("year", f.year());
        }
        if (!f.allVisible()) {
            if (f.visibleRegion() != null) {
                w.append(" and regionCode = :region");
                p.and("region", f.visibleRegion());
            } else {
                // One of the caller's keys among the convention's (none: nothing visible).
                StringJoiner any = new StringJoiner(" or ", " and (", ")").setEmptyValue(" and 1 = 0");
                int i = 0;
                for (String key : f.visiblePartyKeys().stream().sorted().toList()) {
                    any.add(hasPartyKey("visibleKey" + i));
                    p.and("visibleKey" + i++, key);
                }
                w.append(any);
            }
        }
        return w.toString();
    }

    /**
     * The convention's party keys hold the parameter's. Not {@code array_contains}/{@code array_intersects}: Hibernate
     * binds a String[] as {@code varchar[]}, which PostgreSQL does not compare with the {@code text[]} column;
     * {@code array_position} takes compatible types (Hibernate renders it 0 when absent).
     */
    private static String hasPartyKey(String parameter) {
        return "array_position(partyKeys, :" + parameter + ") > 0";
    }

    /**
     * conventions of the campaign not closed by evaluation or termination (two single values, not a list: see
     * the list-parameter rule in docs/architecture.md).
     */
    public static long countOpenInCampaign(String campaignId) {
        return count("campaignId = ?1 and status <> ?2 and status <> ?3", campaignId, ConventionStatus.EVALUATED,
                ConventionStatus.TERMINATED);
    }

    public static boolean territoryOpenInCampaign(String campaignId, String territoryId) {
        return count("campaignId = ?1 and territoryId = ?2 and status <> ?3 and status <> ?4", campaignId, territoryId,
                ConventionStatus.EVALUATED, ConventionStatus.TERMINATED) > 0;
    }

    /** the territory's latest convention signed before (or without) the given date, other than this one. */
    public static Optional<ConventionSnapshot> previousSigned(String territoryId, String excludingId,
            LocalDate notAfter) {
        return ConventionEntity.<ConventionEntity> find(
                "territoryId = ?1 and id <> ?2 and signedOn is not null and signedOn <= ?3",
                Sort.descending("signedOn").and("createdAt", Sort.Direction.Descending), territoryId, excludingId,
                notAfter == null ? LocalDate.of(9999, 12, 31) : notAfter)
                .firstResultOptional().map(e -> e.document);
    }

    /** A timestamp as PostgreSQL stores it (UTC, microseconds), so the response shows what a later read returns. */
    static OffsetDateTime at(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }
}
