package fr.actionlogement.territorial.buildingblocks.security;

/**
 * A party as the row-level rules name it, {@code TYPE:id}: the keys a convention or a study stores for the parties
 * that may see it, and the keys {@link CurrentUser#partyKeys()} gives the caller. One spelling for every service.
 */
public final class PartyKey {

    private PartyKey() {
    }

    public static String cil(String siren) {
        return "CIL:" + siren;
    }

    public static String filiale(String siren) {
        return "FILIALE:" + siren;
    }

    public static String collectivite(String id) {
        return "COLLECTIVITE:" + id;
    }
}
