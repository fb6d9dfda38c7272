package fr.actionlogement.territorial.partnerships.domain;

/**
 * Who concludes the agreement with the local authority. R-25: Foncière Logement and APAGL record their particular
 * agreements here too, with their own party type.
 */
public enum PartyType {
    CIL,
    FONCIERE_LOGEMENT,
    APAGL;

    /** concern CILs' agreements only. */
    public boolean isCil() {
        return this == CIL;
    }
}
