package fr.actionlogement.territorial.conventions.domain;

import java.time.LocalDate;

/** a réalisation recorded against an objective. */
public record Achievement(String achievementId, String objectiveId, long value, LocalDate recordedOn, String note,
        String recordedBy) {
}
