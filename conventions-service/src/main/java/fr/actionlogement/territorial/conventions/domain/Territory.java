package fr.actionlogement.territorial.conventions.domain;

import java.util.List;

/** What the conventions context knows of a territory (read model of territories-service's facts). */
public record Territory(String territoryId, String kind, String name, String regionCode, boolean retired,
        List<String> epciSirens) {

    public boolean isAgglomeration() {
        return "EPCI".equals(kind) || "BASSIN".equals(kind);
    }
}
