package fr.actionlogement.territorial.observatory.domain;

/** where a study's data comes from. */
public enum SourceType {
    /** A contracted provider (prestataire). */
    PROVIDER,
    /** The CILs' own databases. */
    CIL_DATABASE,
    /** Partners' data. */
    PARTNER_DATA
}
