package fr.actionlogement.territorial.conventions.domain;

/** communication of needs studies, and publicity rules for Action Logement financing. */
public record CommunicationPlan(String needsStudies, String financingPublicity) {
}
