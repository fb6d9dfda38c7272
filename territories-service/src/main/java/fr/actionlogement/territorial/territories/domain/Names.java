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

    /**
     * What a typed query searches for: the distinct words of its search key, each to begin a word of the name (the
     * last one is usually still being typed). Empty for a blank query. At most {@code MAX_WORDS} words are kept,
     * the longest ones, which are the most selective.
     */
    public static java.util.List<String> searchWords(String typed) {
        String key = searchKey(typed);
        if (key.isEmpty()) {
            return java.util.List.of();
        }
        java.util.List<String> words = java.util.Arrays.stream(key.split(" ")).distinct()
                .collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new));
        // A word that begins another typed word adds nothing ("saint sa" is "saint").
        words.removeIf(w -> words.stream().anyMatch(o -> !o.equals(w) && o.startsWith(w)));
        if (words.size() > MAX_WORDS) {
            words.sort(java.util.Comparator.comparingInt(String::length).reversed());
            return java.util.List.copyOf(words.subList(0, MAX_WORDS));
        }
        return java.util.List.copyOf(words);
    }

    /** The most words a query searches for (a name has rarely more). */
    public static final int MAX_WORDS = 8;

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
