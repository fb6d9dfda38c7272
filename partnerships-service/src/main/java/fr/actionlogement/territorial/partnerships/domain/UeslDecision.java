package fr.actionlogement.territorial.partnerships.domain;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.UUID;

/**
 * the UESL's recorded choice about a particular agreement of Foncière Logement or APAGL: to stay out of it
 * ({@code staysOut}: the UESL reviews nothing, the agreement is never blocked) or to join it (R-22: its investments
 * above the thresholds then need the UESL's opinion, as a CIL's). Written by a UESL user only, with its author, the
 * date of the decision and its reasons.
 */
public record UeslDecision(UUID id, boolean staysOut, LocalDate decidedOn, String decidedBy, String reasons,
        OffsetDateTime recordedAt) {

    public UeslDecision {
        Objects.requireNonNull(id);
        Objects.requireNonNull(decidedOn);
        Objects.requireNonNull(decidedBy);
        Objects.requireNonNull(reasons);
        Objects.requireNonNull(recordedAt);
    }
}
