package fr.actionlogement.territorial.territories.domain;

/** Kinds of territory id ({@code <KIND>:<code>}, docs/events/README.md). */
public enum TerritoryKind {
    REGION,
    DEPARTEMENT,
    COMMUNE,
    EPCI,
    BASSIN;

    public String idOf(String code) {
        return name() + ":" + code;
    }

    /** Parses {@code COMMUNE:69123}; empty for anything else. */
    public static java.util.Optional<TerritoryKind> ofId(String id) {
        if (id == null) {
            return java.util.Optional.empty();
        }
        int colon = id.indexOf(':');
        if (colon <= 0 || colon == id.length() - 1) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(valueOf(id.substring(0, colon)));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }
}
