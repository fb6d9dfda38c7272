package fr.actionlogement.territorial.conventions.domain;

import java.time.LocalDate;

/** a conférence territoriale installed on a basin (TerritorialConferenceInstalled). */
public record InstalledConference(String conferenceId, String basinId, LocalDate installedOn) {
}
