package fr.actionlogement.territorial.systemtests.support;

import fr.actionlogement.territorial.localstack.DemoUsers;

/**
 * Who calls the API: a demo user of the realm export (token by the password grant) or a partner system (token by
 * client credentials). The constants are the identities of deploy/keycloak/action-logement-realm.json.
 */
public record Identity(String name, String secret) {

    public static final Identity UESL = user(DemoUsers.UESL);
    public static final Identity ADMIN = user(DemoUsers.ADMIN);
    /** Délégué territorial of Auvergne-Rhône-Alpes (claim region=84). */
    public static final Identity DELEGUE_ARA = user(DemoUsers.DELEGUE_ARA);
    /** A user of the demo CIL (claim cil_id=784301275). */
    public static final Identity CIL = user(DemoUsers.CIL);
    /** A user of the Métropole de Lyon (claim collectivite_id=200046977). */
    public static final Identity COLLECTIVITE_LYON = user(DemoUsers.COLLECTIVITE_LYON);
    public static final Identity OBSERVATEUR = user(DemoUsers.OBSERVATEUR);
    /** The demo CIL's partner system (client credentials, role cil). */
    public static final Identity PARTNER_CIL = client(DemoUsers.PARTNER_CIL_DEMO);
    /** The Métropole de Lyon's partner system (client credentials, role collectivite). */
    public static final Identity PARTNER_LYON = client(DemoUsers.PARTNER_METROPOLE_LYON);

    public static Identity user(String username) {
        return new Identity(username, null);
    }

    public static Identity client(DemoUsers.Partner partner) {
        return new Identity(partner.clientId(), partner.secret());
    }

    public boolean isClient() {
        return secret != null;
    }

    @Override
    public String toString() {
        return (isClient() ? "client " : "user ") + name;
    }
}
