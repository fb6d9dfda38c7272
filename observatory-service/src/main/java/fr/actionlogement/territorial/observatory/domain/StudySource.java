package fr.actionlogement.territorial.observatory.domain;

/** one source of a study, e.g. the provider's name or the partner whose data is used. */
public record StudySource(SourceType type, String name) {
}
