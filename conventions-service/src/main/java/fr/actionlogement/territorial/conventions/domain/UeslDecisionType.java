package fr.actionlogement.territorial.conventions.domain;

/**
 * The UESL's decisions about a convention. CONCERTATION: a CIL not present on the territory, a subsidiary of
 * such a CIL, Foncière Logement or APAGL may sign. SIGNATURE_REQUEST: the UESL asks to sign for institutional
 * communication; SIGNATURE_REQUEST_WITHDRAWN withdraws that request.
 */
public enum UeslDecisionType {
    CONCERTATION,
    SIGNATURE_REQUEST,
    SIGNATURE_REQUEST_WITHDRAWN
}
