package fr.actionlogement.territorial.observatory.domain;

/** The four priority publics of the 2011 note's "grandes lignes". */
public enum PublicPrioritaire {
    JEUNES_SALARIES,
    SALARIES_EN_MOBILITE,
    SALARIES_PRECAIRES_MODESTES,
    ACCESSION_SOCIALE_INTERMEDIAIRES
}
