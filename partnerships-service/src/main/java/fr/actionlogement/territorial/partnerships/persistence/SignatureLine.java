package fr.actionlogement.territorial.partnerships.persistence;

import java.time.LocalDate;
import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;

import fr.actionlogement.territorial.partnerships.domain.SignatorySide;
import fr.actionlogement.territorial.partnerships.domain.Signature;

/** One side's signature of an agreement. */
@Embeddable
public class SignatureLine {

    @Enumerated(EnumType.STRING)
    @Column(name = "side", nullable = false)
    public SignatorySide side;

    @Column(name = "on_behalf_of", nullable = false)
    public String onBehalfOf;

    @Column(name = "signed_on", nullable = false)
    public LocalDate signedOn;

    @Column(name = "signed_by", nullable = false)
    public String signedBy;

    @Column(name = "recorded_at", nullable = false)
    public OffsetDateTime recordedAt;

    static SignatureLine of(Signature s) {
        SignatureLine l = new SignatureLine();
        l.side = s.side();
        l.onBehalfOf = s.onBehalfOf();
        l.signedOn = s.signedOn();
        l.signedBy = s.signedBy();
        l.recordedAt = s.recordedAt();
        return l;
    }

    public Signature toDomain() {
        return new Signature(side, onBehalfOf, signedOn, signedBy, recordedAt);
    }
}
