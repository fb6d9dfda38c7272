package fr.actionlogement.territorial.observatory.domain;

/** who may finance a needs study. */
public enum PartnerType {
    CIL,
    COLLECTIVITE_LOCALE,
    EPCI,
    ETAT,
    CCI,
    FEDERATION_PROFESSIONNELLE,
    AUTRE
}
