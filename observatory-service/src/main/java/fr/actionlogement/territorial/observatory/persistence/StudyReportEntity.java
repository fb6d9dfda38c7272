package fr.actionlogement.territorial.observatory.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** The report file attached to a needs study (one per study; a new upload replaces it). */
@Entity
@Table(name = "needs_study_report")
public class StudyReportEntity extends PanacheEntityBase {

    @Id
    @Column(name = "study_id")
    public UUID studyId;

    @Column(name = "file_name", nullable = false)
    public String fileName;

    @Column(name = "media_type", nullable = false)
    public String mediaType;

    @Basic(fetch = FetchType.LAZY)
    @Column(name = "content", nullable = false)
    public byte[] content;

    @Column(name = "uploaded_at", nullable = false)
    public Instant uploadedAt;

    /** Stores the file of the study, replacing the one attached before. */
    public static void attach(UUID studyId, String fileName, String mediaType, byte[] content, Instant now) {
        StudyReportEntity found = findById(studyId);
        StudyReportEntity r = found != null ? found : new StudyReportEntity();
        r.studyId = studyId;
        r.fileName = fileName;
        r.mediaType = mediaType;
        r.content = content;
        r.uploadedAt = now;
        if (found == null) {
            r.persist();
        }
    }
}
