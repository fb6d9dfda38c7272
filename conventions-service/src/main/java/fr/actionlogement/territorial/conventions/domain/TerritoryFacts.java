package fr.actionlogement.territorial.conventions.domain;

import java.util.Optional;

/** Port: territories-service's facts as the local read model holds them. */
public interface TerritoryFacts {

    Optional<Territory> territory(String territoryId);

    Optional<CilFact> cil(String cilId);

    /** A CIL is present on a basin when present on the basin itself or on one of its EPCIs. */
    boolean cilPresent(String cilId, String territoryId);

    Optional<RegionalConference> regionalConference(String regionCode);

    Optional<InstalledConference> installedConference(String basinId);
}
