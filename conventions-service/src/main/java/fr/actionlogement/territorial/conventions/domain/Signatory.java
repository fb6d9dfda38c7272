package fr.actionlogement.territorial.conventions.domain;

/**
 * a signatory. {@code ueslConcertation} records the UESL's agreement (reference of the decision) that
 * R-07 requires for CILs not present on the territory, their subsidiaries, Foncière Logement and APAGL.
 * {@code presentOnly}: the UESL recorded as present at signature rather than signing.
 */
public record Signatory(PartyType partyType, String partyId, String name, String ueslConcertation,
        boolean presentOnly) {

    public String key() {
        return partyType + ":" + partyId;
    }
}
