package fr.actionlogement.territorial.buildingblocks.input;

/**
 * What PostgreSQL can store in {@code text} and {@code jsonb}: no NUL character (U+0000) and no lone UTF-16
 * surrogate (a broken character). Checked once where input enters a service (JSON bodies and URI parameters), so a
 * caller gets a 400 naming the field instead of a database error.
 */
public final class StorableText {

    private StorableText() {
    }

    /** Why {@code value} cannot be stored, or null when it can. */
    public static String problem(String value) {
        if (value == null) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\u0000') {
                return "must not contain the NUL character (U+0000)";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "contains a broken character (lone UTF-16 surrogate)";
            }
            if (Character.isLowSurrogate(c)) {
                return "contains a broken character (lone UTF-16 surrogate)";
            }
        }
        return null;
    }
}
