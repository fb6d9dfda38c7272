package fr.actionlogement.territorial.territories.domain;

import java.time.LocalDate;
import java.util.Objects;

/**
 * a basin's conférence territoriale must be installed within a delay (six months in the 2013 protocol)
 * after the start of its wave, never counted from before the protocol's signature. Month arithmetic clamps to the
 * month's end: 31 August + 6 months is 28 (or 29) February, never 2 or 3 March.
 */
public final class InstallationDeadline {

    private InstallationDeadline() {
    }

    public static LocalDate of(LocalDate protocolSignedOn, LocalDate waveStartsOn, int delayMonths) {
        Objects.requireNonNull(protocolSignedOn, "protocolSignedOn");
        Objects.requireNonNull(waveStartsOn, "waveStartsOn");
        if (delayMonths < 0) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        LocalDate from = waveStartsOn.isBefore(protocolSignedOn) ? protocolSignedOn : waveStartsOn;
        return from.plusMonths(delayMonths);
    }
}
