package fr.actionlogement.territorial.partnerships.domain;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * One side's signature of an agreement: which side, on whose behalf (the party's key: {@code CIL:<siren>},
 * {@code FILIALE:<siren>}, {@code COLLECTIVITE:<id>}, {@code FONCIERE_LOGEMENT}, {@code APAGL}), the date it was
 * signed, who recorded it (the token subject: the party's user or client, or a UESL/admin user recording it for the
 * party) and when.
 */
public record Signature(SignatorySide side, String onBehalfOf, LocalDate signedOn, String signedBy,
        OffsetDateTime recordedAt) {

    public Signature {
        Objects.requireNonNull(side);
        Objects.requireNonNull(onBehalfOf);
        Objects.requireNonNull(signedOn);
        Objects.requireNonNull(signedBy);
        Objects.requireNonNull(recordedAt);
    }
}
