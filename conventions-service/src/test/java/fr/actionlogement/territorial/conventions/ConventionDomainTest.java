package fr.actionlogement.territorial.conventions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.conventions.domain.Campaign;
import fr.actionlogement.territorial.conventions.domain.CilFact;
import fr.actionlogement.territorial.conventions.domain.Convention;
import fr.actionlogement.territorial.conventions.domain.ConventionContent;
import fr.actionlogement.territorial.conventions.domain.ConventionKind;
import fr.actionlogement.territorial.conventions.domain.EnvelopeLedger;
import fr.actionlogement.territorial.conventions.domain.FinancialCommitment;
import fr.actionlogement.territorial.conventions.domain.InstalledConference;
import fr.actionlogement.territorial.conventions.domain.PartyType;
import fr.actionlogement.territorial.conventions.domain.RegionalConference;
import fr.actionlogement.territorial.conventions.domain.ReservationCost;
import fr.actionlogement.territorial.conventions.domain.ReservationCostChange;
import fr.actionlogement.territorial.conventions.domain.RuleContext;
import fr.actionlogement.territorial.conventions.domain.RuleViolation;
import fr.actionlogement.territorial.conventions.domain.Section;
import fr.actionlogement.territorial.conventions.domain.Signatory;
import fr.actionlogement.territorial.conventions.domain.TemplateVersion;
import fr.actionlogement.territorial.conventions.domain.Territory;
import fr.actionlogement.territorial.conventions.domain.TerritoryFacts;

/** The aggregate's guarded transitions on their own, without Quarkus: refusals leave it unchanged. */
class ConventionDomainTest {

    private static final Territory LYON = new Territory("EPCI:200046977", "EPCI", "Métropole de Lyon", "84", false,
            List.of(), "MET69");

    private static final TerritoryFacts FACTS = new TerritoryFacts() {
        @Override
        public Optional<Territory> territory(String id) {
            return id.equals(LYON.territoryId()) ? Optional.of(LYON) : Optional.empty();
        }

        @Override
        public Optional<CilFact> cil(String id) {
            return Optional.of(new CilFact(id, "CIL " + id, null));
        }

        @Override
        public boolean cilPresentOn(String cilId, String territoryId, java.time.LocalDate on) {
            return cilId.equals("111111111");
        }

        @Override
        public Optional<RegionalConference> regionalConference(String region) {
            return Optional.of(new RegionalConference(region, List.of("111111111")));
        }

        @Override
        public Optional<InstalledConference> installedConference(String basinId) {
            return Optional.empty();
        }
    };

    private static RuleContext rules(Map<String, Long> envelopes, long elsewhere) {
        EnvelopeLedger ledger = new EnvelopeLedger() {
            @Override
            public OptionalLong envelope(String cil, String product, int year) {
                Long v = envelopes.get(cil + "/" + product + "/" + year);
                return v == null ? OptionalLong.empty() : OptionalLong.of(v);
            }

            @Override
            public long committedElsewhere(String cil, String product, int year, String excluding) {
                return elsewhere;
            }
        };
        return new RuleContext(FACTS, ledger, Set.of("PASS_FONCIER"), true);
    }

    private static Convention draft() {
        TemplateVersion template = new TemplateVersion("t", 1, "Modèle", ConventionKind.TERRITORIALE,
                List.of(new Section("CIL_INTERVENTIONS_OFFRE", "a", "")), List.of());
        return Convention.propose(ConventionKind.TERRITORIALE, new Campaign("c", "C", 2011, 10, 2012, true), 0, false,
                LYON.territoryId(), FACTS.territory(LYON.territoryId()), template, FACTS, null, 3, "delegue",
                Instant.parse("2011-03-01T10:00:00Z"));
    }

    private static ConventionContent content(List<FinancialCommitment> commitments) {
        return new ConventionContent("t", 2011, 2013, List.of(), List.of(), List.of(),
                List.of(new Signatory(PartyType.CIL, "111111111", "CIL", null, false)), commitments, List.of(), null,
                List.of(), List.of(), false, null);
    }

    @Test
    @DisplayName("R-10 the remaining envelope is the envelope minus what other conventions commit")
    void remainingEnvelope() {
        Convention c = draft();
        c.startNegotiation(FACTS.regionalConference("84"));
        var rules = rules(Map.of("111111111/PASS_FONCIER/2012", 100L), 70);
        var fits = List.of(new FinancialCommitment("111111111", "PASS_FONCIER", 2012, 30L, false, PartyType.CIL));
        c.revise(content(fits), rules);
        var over = List.of(new FinancialCommitment("111111111", "PASS_FONCIER", 2012, 20L, false, PartyType.CIL),
                new FinancialCommitment("111111111", "PASS_FONCIER", 2012, 11L, false, PartyType.CIL));
        assertThatThrownBy(() -> c.revise(content(over), rules)).isInstanceOf(RuleViolation.class)
                .extracting(e -> ((RuleViolation) e).rule()).isEqualTo("R-10");
        assertThat(c.content().commitments()).isEqualTo(fits);
    }

    @Test
    @DisplayName("R-14 a refused transition leaves the convention as it was")
    void refusedTransitionChangesNothing() {
        Convention c = draft();
        var before = c.snapshot();
        assertThatThrownBy(() -> c.sign(java.time.LocalDate.of(2011, 6, 30), null, List.of(), rules(Map.of(), 0)))
                .isInstanceOf(RuleViolation.class).extracting(e -> ((RuleViolation) e).rule()).isEqualTo("R-14");
        assertThat(c.snapshot()).isEqualTo(before);
    }

    @Test
    @DisplayName("R-11 reservation cost changes against the previous convention")
    void costChanges() {
        var changes = ReservationCostChange.compare(
                List.of(new ReservationCost("PLUS", 18000L), new ReservationCost("PLS", 9000L),
                        new ReservationCost("PLAI", 12000L)),
                List.of(new ReservationCost("PLUS", 20000L), new ReservationCost("PLS", 9000L),
                        new ReservationCost("LLI", 5000L)));
        assertThat(changes).extracting(ReservationCostChange::trend).containsExactly(
                ReservationCostChange.Trend.REDUCED, ReservationCostChange.Trend.STABLE,
                ReservationCostChange.Trend.NEW, ReservationCostChange.Trend.DROPPED);
        assertThat(changes.get(0).change()).isEqualTo(-2000L);
    }
}
