package fr.actionlogement.territorial.partnerships.domain;

/** DRAFT → SUBMITTED → (PENDING_UESL_APPROVAL →) APPROVED | REJECTED → SIGNED → ENDED. */
public enum AgreementStatus {
    DRAFT,
    SUBMITTED,
    PENDING_UESL_APPROVAL,
    APPROVED,
    REJECTED,
    SIGNED,
    ENDED
}
