package fr.actionlogement.territorial.territories.domain;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The search key of a name: lower case, accents removed, every run of punctuation or spaces turned into one
 * space, so that "saint etienne", "ST-ÉTIENNE" typed as "saint-étienne" and "Saint-Étienne" meet. Computed here
 * rather than with PostgreSQL's unaccent, which embedded servers may not ship.
 */
public final class Names {

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern SEPARATORS = Pattern.compile("[^a-z0-9]+");

    private Names() {
    }

    public static String searchKey(String name) {
        if (name == null) {
            return "";
        }
        String s = name.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE");
        s = MARKS.matcher(Normalizer.normalize(s, Normalizer.Form.NFD)).replaceAll("");
        s = SEPARATORS.matcher(s.toLowerCase(Locale.ROOT)).replaceAll(" ");
        return s.strip();
    }
}
