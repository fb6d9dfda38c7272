package fr.actionlogement.territorial.conventions.domain;

/** Action Logement's priority publics (note 3554-10 bis). */
public enum PublicPrioritaire {
    JEUNES_SALARIES,
    SALARIES_EN_MOBILITE,
    SALARIES_PRECAIRES_MODESTES,
    ACCESSION_SOCIALE_INTERMEDIAIRES
}
