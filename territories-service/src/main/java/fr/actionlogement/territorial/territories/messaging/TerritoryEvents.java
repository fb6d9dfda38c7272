package fr.actionlogement.territorial.territories.messaging;

import java.time.LocalDate;
import java.util.List;

import fr.actionlogement.territorial.buildingblocks.events.DomainEvent;
import fr.actionlogement.territorial.buildingblocks.events.EventCatalog;
import fr.actionlogement.territorial.territories.domain.College;

/**
 * The events this service publishes (docs/events/README.md, schemas in docs/events/territories/). Names and fields
 * are the contract the conventions, partnerships and observatory services read.
 */
public final class TerritoryEvents {

    public static final String CONTEXT = "territories";
    public static final String EVENTS_TOPIC = "territories.events.v1";
    public static final String REFERENCE_TOPIC = "territories.reference.v1";

    private TerritoryEvents() {
    }

    public static String type(String name) {
        return EventCatalog.type(CONTEXT, name, 1);
    }

    /** Latest state of a territory, on the compacted reference topic keyed by territory id. */
    public record TerritoryRegistered(String territoryId, String kind, String code, String name, String regionCode,
            String departementCode, String epciSiren, String eptSiren, String epciNature, List<String> memberCommunes,
            List<String> postcodes, Integer population, int millesime, boolean retired, List<String> replacedBy,
            List<String> formerCodes) {
    }

    public record CilRegistered(String cilId, String name, String parentCilId) {
    }

    public record CilPresenceChanged(String cilId, String territoryId, boolean present, LocalDate since,
            LocalDate until) {
    }

    public record RegionalConferenceChanged(String regionCode, List<String> memberCilIds) {
    }

    public record DelegueAssigned(String regionCode, String delegueSubject, String delegueUsername, LocalDate since) {
    }

    public record BasinDefined(String basinId, String name, int wave, List<String> epciSirens, String tension,
            String tensionSource) {
    }

    public record ConferenceMember(String organisation, College college) {
    }

    public record TerritorialConferenceInstalled(String conferenceId, String basinId, LocalDate installedOn,
            List<ConferenceMember> members) {
    }

    public record ConferenceInstallationOverdue(String conferenceId, String basinId, LocalDate deadline) {
    }

    public static DomainEvent territoryRegistered(TerritoryRegistered data) {
        return new DomainEvent(REFERENCE_TOPIC, type("TerritoryRegistered"), "Territory", data.territoryId(), data);
    }

    public static DomainEvent cilRegistered(CilRegistered data) {
        return new DomainEvent(EVENTS_TOPIC, type("CilRegistered"), "Cil", data.cilId(), data);
    }

    public static DomainEvent cilPresenceChanged(CilPresenceChanged data) {
        // Keyed by CIL so that one CIL's presence changes stay ordered.
        return new DomainEvent(EVENTS_TOPIC, type("CilPresenceChanged"), "Cil", data.cilId(), data);
    }

    public static DomainEvent regionalConferenceChanged(RegionalConferenceChanged data) {
        return new DomainEvent(EVENTS_TOPIC, type("RegionalConferenceChanged"), "RegionalConference",
                "REGION:" + data.regionCode(), data);
    }

    public static DomainEvent delegueAssigned(DelegueAssigned data) {
        return new DomainEvent(EVENTS_TOPIC, type("DelegueAssigned"), "Delegue", "REGION:" + data.regionCode(), data);
    }

    public static DomainEvent basinDefined(BasinDefined data) {
        return new DomainEvent(EVENTS_TOPIC, type("BasinDefined"), "Basin", data.basinId(), data);
    }

    public static DomainEvent conferenceInstalled(TerritorialConferenceInstalled data) {
        return new DomainEvent(EVENTS_TOPIC, type("TerritorialConferenceInstalled"), "TerritorialConference",
                data.conferenceId(), data);
    }

    public static DomainEvent conferenceOverdue(ConferenceInstallationOverdue data) {
        return new DomainEvent(EVENTS_TOPIC, type("ConferenceInstallationOverdue"), "TerritorialConference",
                data.conferenceId(), data);
    }
}
