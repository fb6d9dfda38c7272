package fr.actionlogement.territorial.buildingblocks.security;

/** Realm roles of the Keycloak realm (deploy/keycloak), as carried in {@code realm_access.roles}. */
public final class Roles {

    public static final String UESL = "uesl";
    public static final String DELEGUE_TERRITORIAL = "delegue-territorial";
    public static final String CIL = "cil";
    public static final String COLLECTIVITE = "collectivite";
    public static final String OBSERVATEUR = "observateur";
    public static final String ADMIN = "admin";

    private Roles() {
    }
}
