package fr.actionlogement.territorial.partnerships.domain;

/** State of one UESL review (exclusivity approval, R-21, or investment opinion, R-22). */
public enum UeslReview {
    NOT_REQUIRED,
    PENDING,
    GRANTED,
    REFUSED
}
