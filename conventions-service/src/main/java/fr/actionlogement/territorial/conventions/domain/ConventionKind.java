package fr.actionlogement.territorial.conventions.domain;

/** TERRITORIALE: the 2011 territorial convention (charter); CADRE_DE_TERRITOIRE: the 2013 protocol's kind. */
public enum ConventionKind {
    TERRITORIALE,
    CADRE_DE_TERRITOIRE
}
