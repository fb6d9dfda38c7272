package fr.actionlogement.territorial.conventions.domain;

import java.util.List;

/** What the conventions context knows of a territory (read model of territories-service's facts). */
public record Territory(String territoryId, String kind, String name, String regionCode, boolean retired,
        List<String> epciSirens, String epciNature) {

    /** the natures of EPCI that are large agglomerations: métropoles, communautés urbaines and d'agglomération. */
    public static final java.util.Set<String> LARGE_AGGLOMERATION_NATURES = java.util.Set.of("METRO", "MET69", "CU",
            "CA");

    /** an urban area (basin), or an EPCI whose nature is a métropole, communauté urbaine or d'agglomération. */
    public boolean isLargeAgglomeration() {
        return "BASSIN".equals(kind) || "EPCI".equals(kind) && LARGE_AGGLOMERATION_NATURES.contains(epciNature);
    }
}
