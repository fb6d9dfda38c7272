package fr.actionlogement.territorial.observatory.persistence;

import java.math.BigDecimal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** Read model of AchievementRecorded: one achievement against a convention's objective. */
@Entity
@Table(name = "convention_achievement")
public class ConventionAchievementEntity extends PanacheEntityBase {

    /** The achievement id, else the event id: a redelivered event finds its row. */
    @Id
    @Column(name = "achievement_id")
    public String achievementId;

    @Column(name = "convention_id", nullable = false)
    public String conventionId;

    @Column(name = "objective_id", nullable = false)
    public String objectiveId;

    @Column(name = "value", nullable = false)
    public BigDecimal value;
}
