package fr.actionlogement.territorial.observatory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.observatory.domain.FinancingShare;
import fr.actionlogement.territorial.observatory.domain.NeedsStudy;
import fr.actionlogement.territorial.observatory.domain.ObservationPeriod;
import fr.actionlogement.territorial.observatory.domain.PartnerType;
import fr.actionlogement.territorial.observatory.domain.PublicPrioritaire;
import fr.actionlogement.territorial.observatory.domain.Refusal;
import fr.actionlogement.territorial.observatory.domain.SourceType;
import fr.actionlogement.territorial.observatory.domain.StudySource;
import fr.actionlogement.territorial.observatory.domain.StudyStatus;
import fr.actionlogement.territorial.observatory.domain.StudyTopic;
import fr.actionlogement.territorial.observatory.domain.Viewer;
import fr.actionlogement.territorial.observatory.domain.Visibility;

/** The domain rules alone, without the service around them. */
class NeedsStudyRulesTest {

    private static NeedsStudy.Terms terms(String interest, String cost, FinancingShare... shares) {
        return new NeedsStudy.Terms("t", "EPCI:1", null, Set.of(StudyTopic.ACCES_LOCATIF_PRIVE),
                Set.of(PublicPrioritaire.JEUNES_SALARIES), List.of("111111111"), interest, new BigDecimal(cost),
                List.of(shares), List.of(new StudySource(SourceType.PARTNER_DATA, "DDT")));
    }

    private static FinancingShare share(PartnerType type, String amount) {
        return new FinancingShare(type, "111111111", "p", new BigDecimal(amount));
    }

    @Test
    @DisplayName("R-40 launchedByCilsPresentOnTerritory refuses a CIL that is not present")
    void presence() {
        assertThatThrownBy(() -> NeedsStudy.propose(UUID.randomUUID(), terms("x", "1"), cil -> false))
                .isInstanceOf(Refusal.class).extracting("rule").isEqualTo("R-40");
    }

    @Test
    @DisplayName("R-41 cilFinancingRequiresOperationalInterest and financingSharesAddUpToCost")
    void financing() {
        assertThatThrownBy(() -> NeedsStudy.propose(UUID.randomUUID(), terms(null, "10", share(PartnerType.CIL, "10")),
                cil -> true)).extracting("rule").isEqualTo("R-41");
        assertThatThrownBy(() -> NeedsStudy.propose(UUID.randomUUID(), terms("x", "10", share(PartnerType.CCI, "11")),
                cil -> true)).extracting("rule").isEqualTo("R-41");
        NeedsStudy partial = NeedsStudy.propose(UUID.randomUUID(), terms("x", "10", share(PartnerType.CIL, "4")), c -> true);
        assertThatThrownBy(() -> partial.commission(LocalDate.now())).extracting("rule").isEqualTo("R-41");
        NeedsStudy full = NeedsStudy.propose(UUID.randomUUID(),
                terms("x", "10.00", share(PartnerType.CIL, "4"), share(PartnerType.ETAT, "6.0")), c -> true);
        assertThat(full.commission(LocalDate.of(2024, 1, 2)).status()).isEqualTo(StudyStatus.COMMISSIONED);
    }

    @Test
    @DisplayName("R-43 lifecycle transitions are guarded; visibility only moves forward")
    void lifecycleAndVisibility() {
        NeedsStudy s = NeedsStudy.propose(UUID.randomUUID(), terms("x", "1", share(PartnerType.CIL, "1")), c -> true);
        assertThatThrownBy(() -> s.publish(LocalDate.now())).extracting("stateConflict").isEqualTo(true);
        NeedsStudy delivered = s.commission(LocalDate.now()).deliver("done", null, LocalDate.now());
        assertThat(delivered.publish(LocalDate.now()).status()).isEqualTo(StudyStatus.PUBLISHED);
        assertThat(Visibility.SHARED.canBecome(Visibility.DRAFT)).isFalse();
        Viewer observer = new Viewer("USER:o", false, false);
        Viewer partner = new Viewer("CIL:2", true, false);
        assertThat(Visibility.DRAFT.visibleTo(partner, "CIL:1")).isFalse();
        assertThat(Visibility.DRAFT.visibleTo(partner, "CIL:2")).isTrue();
        assertThat(Visibility.SHARED.visibleTo(partner, "CIL:1")).isTrue();
        assertThat(Visibility.SHARED.visibleTo(observer, "CIL:1")).isFalse();
        assertThat(Visibility.PUBLIC.visibleTo(observer, "CIL:1")).isTrue();
        assertThat(ObservationPeriod.parse("2024-03").toString()).isEqualTo("2024-03");
        assertThatThrownBy(() -> ObservationPeriod.parse("2024-3")).isInstanceOf(IllegalArgumentException.class);
    }
}
