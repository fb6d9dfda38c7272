package fr.actionlogement.territorial.localstack;

import java.util.List;

/** The demo identities of deploy/keycloak/action-logement-realm.json (local use only). */
public final class DemoUsers {

    /** Every demo user's password. Local only: the realm export must never reach a shared environment as is. */
    public static final String PASSWORD = "demo";

    public static final String UESL = "uesl.demo";
    public static final String DELEGUE_ARA = "delegue.ara";
    public static final String CIL = "cil.demo";
    public static final String COLLECTIVITE_LYON = "collectivite.lyon";
    public static final String OBSERVATEUR = "observateur.demo";
    public static final String ADMIN = "admin.demo";

    /** SIREN of the demo CIL (fictitious), claim cil_id of cil.demo and partner-cil-demo. */
    public static final String DEMO_CIL_ID = "784301275";
    /** SIREN of the Métropole de Lyon, claim collectivite_id of collectivite.lyon and partner-metropole-lyon. */
    public static final String LYON_COLLECTIVITE_ID = "200046977";

    public record Identity(String name, String role, String claims) {
    }

    public static final List<Identity> USERS = List.of(
            new Identity(UESL, "uesl", ""),
            new Identity(DELEGUE_ARA, "delegue-territorial", "region=84"),
            new Identity(CIL, "cil", "cil_id=" + DEMO_CIL_ID),
            new Identity(COLLECTIVITE_LYON, "collectivite", "collectivite_id=" + LYON_COLLECTIVITE_ID),
            new Identity(OBSERVATEUR, "observateur", ""),
            new Identity(ADMIN, "admin", ""));

    public record Partner(String clientId, String secret, String role, String claims) {
    }

    public static final Partner PARTNER_METROPOLE_LYON = new Partner("partner-metropole-lyon",
            "partner-metropole-lyon-local-secret", "collectivite", "collectivite_id=" + LYON_COLLECTIVITE_ID);
    public static final Partner PARTNER_CIL_DEMO = new Partner("partner-cil-demo", "partner-cil-demo-local-secret",
            "cil", "cil_id=" + DEMO_CIL_ID);

    public static final List<Partner> PARTNERS = List.of(PARTNER_METROPOLE_LYON, PARTNER_CIL_DEMO);

    private DemoUsers() {
    }
}
