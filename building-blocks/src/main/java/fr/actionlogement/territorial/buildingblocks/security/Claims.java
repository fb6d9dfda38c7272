package fr.actionlogement.territorial.buildingblocks.security;

/** User attributes that Keycloak maps into token claims (see deploy/keycloak). */
public final class Claims {

    /** SIREN of the CIL a CIL user works for. */
    public static final String CIL_ID = "cil_id";
    /** SIREN (EPCI, département, région) or INSEE code (commune) of a local authority user. */
    public static final String COLLECTIVITE_ID = "collectivite_id";
    /** INSEE code of the région a délégué territorial covers. */
    public static final String REGION = "region";

    private Claims() {
    }
}
