package fr.actionlogement.territorial.territories.domain;

import java.util.List;

/** Housing-market tension as the official zonage ABC states it (Abis most tense, C least). */
public final class Tension {

    public static final List<String> ZONES = List.of("Abis", "A", "B1", "B2", "C");

    private Tension() {
    }

    /** The canonical spelling of a zone ("abis", "A bis" -> "Abis"), or null when it is not a zone. */
    public static String canonical(String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.replace(" ", "").strip();
        for (String z : ZONES) {
            if (z.equalsIgnoreCase(s)) {
                return z;
            }
        }
        return null;
    }
}
