package fr.actionlogement.territorial.partnerships.domain;

/**
 * The two sides that sign an agreement: the {@code PARTNER} (the CIL or its subsidiary; for R-25
 * Foncière Logement or APAGL) and the local {@code AUTHORITY}.
 */
public enum SignatorySide {
    PARTNER,
    AUTHORITY
}
