package fr.actionlogement.territorial.conventions.messaging;

import java.time.LocalDate;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * This context's view of territories-service's event payloads (docs/events/README.md): only the fields used here;
 * unknown fields are ignored so the producer may add some.
 */
public final class TerritoryFactsData {

    private TerritoryFactsData() {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TerritoryRegistered(String territoryId, String kind, String code, String name, String regionCode,
            String epciSiren, Boolean retired, String epciNature) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CilRegistered(String cilId, String name, String parentCilId) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CilPresenceChanged(String cilId, String territoryId, Boolean present, LocalDate since, LocalDate until) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RegionalConferenceChanged(String regionCode, List<String> memberCilIds) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DelegueAssigned(String regionCode, String delegueSubject, String delegueUsername, LocalDate since) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record BasinDefined(String basinId, String name, Integer wave, List<String> epciSirens, String tension) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TerritorialConferenceInstalled(String conferenceId, String basinId, LocalDate installedOn) {
    }
}
