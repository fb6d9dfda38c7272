package fr.actionlogement.territorial.buildingblocks.events;

import java.net.URI;

/**
 * Naming of event types and schemas, one place for every service: {@code fr.actionlogement.<context>.<Name>.v<n>}
 * and {@code https://schemas.actionlogement.fr/territorial/<context>/<Name>.v<n>.json}; the schema files live in
 * {@code docs/events/<context>/<Name>.v<n>.json}.
 */
public final class EventCatalog {

    public static final String TYPE_PREFIX = "fr.actionlogement.";
    public static final String SCHEMA_BASE = "https://schemas.actionlogement.fr/territorial/";

    private EventCatalog() {
    }

    public static String type(String context, String name, int version) {
        return TYPE_PREFIX + context + "." + name + ".v" + version;
    }

    /** The JSON Schema URI of a type built by {@link #type}. */
    public static URI schemaOf(String type) {
        if (!type.startsWith(TYPE_PREFIX)) {
            return null;
        }
        String rest = type.substring(TYPE_PREFIX.length()); // context.Name.vN
        int firstDot = rest.indexOf('.');
        return URI.create(SCHEMA_BASE + rest.substring(0, firstDot) + "/" + rest.substring(firstDot + 1) + ".json");
    }

    /** The short name ({@code ConventionSigned}) of a versioned type. */
    public static String nameOf(String type) {
        String[] parts = type.split("\\.");
        return parts.length >= 2 ? parts[parts.length - 2] : type;
    }
}
