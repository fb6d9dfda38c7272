package fr.actionlogement.territorial.conventions.persistence;

import java.time.OffsetDateTime;
import java.util.List;
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

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import fr.actionlogement.territorial.buildingblocks.api.PageRequest;
import fr.actionlogement.territorial.buildingblocks.persistence.VersionedEntity;
import fr.actionlogement.territorial.conventions.domain.DeviceCatalogue;
import fr.actionlogement.territorial.conventions.domain.DeviceDefinition;
import fr.actionlogement.territorial.conventions.domain.PartyType;
import io.quarkus.hibernate.orm.panache.PanacheQuery;

/**
 * one device of the UESL's catalogue. {@code version} (column {@code rev}) is the ETag and the
 * device's revision in DeviceCatalogueChanged.
 */
@Entity
@Table(name = "device")
@AttributeOverride(name = "version", column = @Column(name = "rev", nullable = false))
public class DeviceEntity extends VersionedEntity {

    /** API sort names to entity properties. */
    public static final Map<String, String> SORTABLE = Map.of("code", "code", "label", "label");

    @Id
    public String code;

    @Column(name = "label", nullable = false)
    public String label;

    @Enumerated(EnumType.STRING)
    @Column(name = "run_by")
    public PartyType runBy;

    @Column(name = "contingent", nullable = false)
    public boolean contingent;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "product_codes", nullable = false)
    public String[] productCodes;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    @Column(name = "updated_by", nullable = false)
    public String updatedBy;

    public static Optional<DeviceEntity> lock(String code) {
        return findByIdOptional(code, LockModeType.PESSIMISTIC_WRITE);
    }

    public static PanacheQuery<DeviceEntity> list(PageRequest page) {
        return findAll(page.panacheSort("code")).page(page.page(), page.size());
    }

    /** The current catalogue, as the rules read it (a few dozen rows). */
    public static DeviceCatalogue catalogue() {
        return DeviceCatalogue.of(DeviceEntity.<DeviceEntity> listAll().stream().map(DeviceEntity::toDomain).toList());
    }

    public DeviceDefinition toDomain() {
        return new DeviceDefinition(code, label, runBy, contingent, List.of(productCodes));
    }
}
