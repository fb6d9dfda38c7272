package fr.actionlogement.territorial.territories.persistence;

import java.time.LocalDate;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import fr.actionlogement.territorial.buildingblocks.persistence.VersionedEntity;
import fr.actionlogement.territorial.territories.domain.ProgrammingWork;

/** programming work a conférence territoriale is associated with. */
@Entity
@Table(name = "programming_work")
public class ProgrammingWorkEntity extends VersionedEntity {

    @Id
    public UUID id;

    @Column(name = "conference_id", nullable = false)
    public String conferenceId;

    @Enumerated(EnumType.STRING)
    @Column(name = "document_type", nullable = false)
    public ProgrammingWork.DocumentType documentType;

    @Column(name = "title", nullable = false)
    public String title;

    @Column(name = "authority_id", nullable = false)
    public String authorityId;

    @Column(name = "authority_name", nullable = false)
    public String authorityName;

    @Column(name = "period_start")
    public LocalDate periodStart;

    @Column(name = "period_end")
    public LocalDate periodEnd;

    @Column(name = "associated_on", nullable = false)
    public LocalDate associatedOn;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", nullable = false)
    public ProgrammingWork.Status status;
}
