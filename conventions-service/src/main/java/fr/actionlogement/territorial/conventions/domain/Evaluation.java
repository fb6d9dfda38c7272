package fr.actionlogement.territorial.conventions.domain;

import java.time.LocalDate;
import java.util.List;

/** the evaluation of a signed convention: objectives against achievements, and the assessment. */
public record Evaluation(LocalDate evaluatedOn, String assessment, List<ObjectiveProgress> results) {
}
