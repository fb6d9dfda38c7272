package fr.actionlogement.territorial.territories.domain;

import java.util.List;
import java.util.regex.Pattern;

/** an employment basin / urban area, a named set of EPCI defined by the UESL, with its roll-out wave. */
public final class Basin {

    private static final Pattern SLUG = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private Basin() {
    }

    public static String idOf(String slug) {
        return TerritoryKind.BASSIN.idOf(slug);
    }

    public static void requiresValidDefinition(String slug, int wave, List<String> epciSirens, String tension) {
        if (slug == null || !SLUG.matcher(slug).matches() || slug.length() > 60) {
            throw DomainRefusal.of("R-31", "requiresSlug", "slug must be lower-case words joined by '-'");
        }
        requiresKnownWave(wave);
        if (epciSirens == null || epciSirens.isEmpty()) {
            throw DomainRefusal.of("R-31", "requiresEpci", "a basin is a set of at least one EPCI");
        }
        if (tension != null && Tension.canonical(tension) == null) {
            throw DomainRefusal.of("R-31", "unknownTension", "tension must be one of " + Tension.ZONES);
        }
    }

    /** Wave 1: the tense metropolitan urban areas (2013); wave 2: the other large urban areas. */
    public static void requiresKnownWave(int wave) {
        if (wave != 1 && wave != 2) {
            throw DomainRefusal.of("R-31", "unknownWave", "wave must be 1 or 2");
        }
    }
}
