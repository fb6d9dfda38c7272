package fr.actionlogement.territorial.conventions.domain;

/** a quantified objective on an indicator, for a priority public and a year. */
public record Objective(String objectiveId, String indicator, PublicPrioritaire publicPrioritaire, Integer year,
        Long target) {
}
