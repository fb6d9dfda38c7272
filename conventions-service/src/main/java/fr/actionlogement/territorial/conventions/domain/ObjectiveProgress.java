package fr.actionlogement.territorial.conventions.domain;

/** an objective with what was achieved against it; progress in percent of the target, one decimal. */
public record ObjectiveProgress(String objectiveId, String indicator, PublicPrioritaire publicPrioritaire, int year,
        long target, long achieved, double progressPercent) {

    static ObjectiveProgress of(Objective o, long achieved) {
        double percent = o.target() == 0 ? 0 : Math.round(achieved * 1000.0 / o.target()) / 10.0;
        return new ObjectiveProgress(o.objectiveId(), o.indicator(), o.publicPrioritaire(), o.year(), o.target(),
                achieved, percent);
    }
}
