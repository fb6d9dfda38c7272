package fr.actionlogement.territorial.observatory.domain;

public enum StudyStatus {
    PROPOSED,
    COMMISSIONED,
    DELIVERED,
    PUBLISHED
}
