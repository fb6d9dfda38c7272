package fr.actionlogement.territorial.observatory.domain;

/** what a needs study may cover. */
public enum StudyTopic {
    /** Access to private rental housing. */
    ACCES_LOCATIF_PRIVE,
    /** Access to social rental housing. */
    ACCES_LOCATIF_SOCIAL,
    /** Fit of supply to the demand for rental housing. */
    ADEQUATION_OFFRE_DEMANDE_LOCATIVE,
    /** Fit of supply to the demand for home ownership. */
    ADEQUATION_OFFRE_DEMANDE_ACCESSION
}
