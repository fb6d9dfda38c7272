package fr.actionlogement.territorial.territories.domain;

import java.util.List;
import java.util.Objects;

/**
 * one territory of the official reference as a data year states it. Its {@link #fingerprint()} leaves the
 * millésime out, so a territory that a new data year does not change is not published again.
 */
public record ReferenceTerritory(
        TerritoryKind kind,
        String code,
        String name,
        String zone,
        String regionCode,
        String departementCode,
        String epciSiren,
        String eptSiren,
        String epciNature,
        String siren,
        List<String> postcodes,
        Integer population,
        List<String> memberCommunes,
        List<String> formerCodes,
        int millesime,
        boolean retired,
        List<String> replacedBy) {

    public ReferenceTerritory {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(name, "name");
        postcodes = postcodes == null ? List.of() : List.copyOf(postcodes);
        memberCommunes = memberCommunes == null ? List.of() : List.copyOf(memberCommunes);
        formerCodes = formerCodes == null ? List.of() : List.copyOf(formerCodes);
        replacedBy = replacedBy == null ? List.of() : List.copyOf(replacedBy);
    }

    public String id() {
        return kind.idOf(code);
    }

    public String searchKey() {
        return Names.searchKey(name);
    }

    /** What a consumer sees of this territory, without the data year. */
    public String fingerprint() {
        return String.join("|", kind.name(), code, name, Objects.toString(zone, ""), Objects.toString(regionCode, ""),
                Objects.toString(departementCode, ""), Objects.toString(epciSiren, ""), Objects.toString(eptSiren, ""),
                Objects.toString(epciNature, ""), Objects.toString(siren, ""), String.join(",", postcodes),
                Objects.toString(population, ""), String.join(",", memberCommunes), String.join(",", formerCodes),
                String.valueOf(retired), String.join(",", replacedBy));
    }

    /** A short stable digest of the fingerprint, stored to compare data years. */
    public String fingerprintHash() {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(fingerprint().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same territory, retired by a later data year, pointing at the communes that absorbed it. */
    public ReferenceTerritory retire(List<String> successors, int byMillesime) {
        return new ReferenceTerritory(kind, code, name, zone, regionCode, departementCode, epciSiren, eptSiren,
                epciNature, siren, postcodes, population, memberCommunes, formerCodes, byMillesime, true, successors);
    }
}
