package fr.actionlogement.territorial.partnerships.persistence;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import fr.actionlogement.territorial.buildingblocks.persistence.VersionedEntity;
import fr.actionlogement.territorial.partnerships.domain.PartyType;

/** one submitted draft in the délégué territorial's inbox. */
@Entity
@Table(name = "delegue_notification")
public class NotificationEntity extends VersionedEntity {

    @Id
    public UUID id;

    @Column(name = "event_id", nullable = false)
    public String eventId;

    @Column(name = "region_code")
    public String regionCode;

    /** Null when the region had no délégué yet: any délégué of the region then sees it. */
    @Column(name = "delegue_subject")
    public String delegueSubject;

    @Column(name = "agreement_id", nullable = false)
    public UUID agreementId;

    @Enumerated(EnumType.STRING)
    @Column(name = "party_type", nullable = false)
    public PartyType partyType;

    @Column(name = "cil_id")
    public String cilId;

    @Column(name = "collectivite_id", nullable = false)
    public String collectiviteId;

    @Column(name = "summary", nullable = false)
    public String summary;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "read_at")
    public OffsetDateTime readAt;
}
