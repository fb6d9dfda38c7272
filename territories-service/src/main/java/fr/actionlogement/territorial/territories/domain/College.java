package fr.actionlogement.territorial.territories.domain;

/** The two colleges of the social partners sitting in a conférence territoriale. */
public enum College {
    EMPLOYEURS,
    SALARIES
}
