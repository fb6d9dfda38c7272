package fr.actionlogement.territorial.conventions.domain;

/** another partner the charter is opened to (CLLAJ, UNHAJ, a région...), not an Action Logement signatory. */
public record Partner(PartyType partyType, String partyId, String name, String role) {

    public String key() {
        return partyType + ":" + partyId;
    }
}
