package fr.actionlogement.territorial.observatory.persistence;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.OptimisticLock;

import fr.actionlogement.territorial.buildingblocks.persistence.VersionedEntity;

/** Who produced a set of observations (a CSV import or a single write), and when; the rows stay narrow. */
@Entity
@Table(name = "observation_batch")
public class ObservationBatchEntity extends VersionedEntity {

    public static final String IMPORT = "IMPORT";
    public static final String SINGLE = "SINGLE";

    /** Taken from the sequence by the database (inserted at once: the import's rejected rows refer to it). */
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "batch_no")
    public Long batchNo;

    /** The public id of the batch (batchId in the API). */
    @Column(name = "import_id", unique = true)
    public UUID importId;

    @Column(name = "kind", nullable = false)
    public String kind;

    @Column(name = "producer", nullable = false)
    public String producer;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "visibility", nullable = false)
    public String visibility;

    // The counts are bookkeeping of the import itself: recording them does not change the ETag.
    @OptimisticLock(excluded = true)
    @Column(name = "rows_read", nullable = false)
    public long rowsRead;

    @OptimisticLock(excluded = true)
    @Column(name = "rows_imported", nullable = false)
    public long rowsImported;

    @OptimisticLock(excluded = true)
    @Column(name = "rows_rejected", nullable = false)
    public long rowsRejected;

    /** A new batch, to persist (it is inserted at once: its number comes from the database). */
    public static ObservationBatchEntity of(String kind, String producer, String createdBy, Instant now,
            String visibility) {
        ObservationBatchEntity b = new ObservationBatchEntity();
        b.importId = UUID.randomUUID();
        b.kind = kind;
        b.producer = producer;
        b.createdBy = createdBy;
        b.createdAt = now;
        b.visibility = visibility;
        return b;
    }

    public static ObservationBatchEntity byBatchId(UUID batchId) {
        return find("importId", batchId).firstResult();
    }

    public void counts(long read, long imported, long rejected) {
        rowsRead = read;
        rowsImported = imported;
        rowsRejected = rejected;
    }

    public OffsetDateTime createdAtUtc() {
        return createdAt.atOffset(ZoneOffset.UTC);
    }
}
