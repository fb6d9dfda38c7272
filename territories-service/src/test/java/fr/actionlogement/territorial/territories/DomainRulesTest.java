package fr.actionlogement.territorial.territories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.territories.domain.College;
import fr.actionlogement.territorial.territories.domain.DomainRefusal;
import fr.actionlogement.territorial.territories.domain.InstallationDeadline;
import fr.actionlogement.territorial.territories.domain.Names;
import fr.actionlogement.territorial.territories.domain.ReferenceDiff;
import fr.actionlogement.territorial.territories.domain.ReferenceTerritory;
import fr.actionlogement.territorial.territories.domain.TensionCsv;
import fr.actionlogement.territorial.territories.domain.TerritorialConference;
import fr.actionlogement.territorial.territories.domain.TerritoryKind;

/** The domain rules that need no database: plain unit tests. */
class DomainRulesTest {

    private static final LocalDate SIGNED_2013 = LocalDate.of(2013, 6, 27);

    @Test
    @DisplayName("R-32 wave 1: signature on 27 June 2013 + six months = 27 December 2013 (a wave start before the signature does not count)")
    void wave1Deadline() {
        assertThat(InstallationDeadline.of(SIGNED_2013, LocalDate.of(2013, 1, 1), 6)).isEqualTo(LocalDate.of(2013, 12, 27));
        assertThat(InstallationDeadline.of(SIGNED_2013, SIGNED_2013, 6)).isEqualTo(LocalDate.of(2013, 12, 27));
    }

    @Test
    @DisplayName("R-32 a later wave counts from its own start; month ends clamp (31 August → 28 or 29 February)")
    void monthEndArithmetic() {
        assertThat(InstallationDeadline.of(SIGNED_2013, LocalDate.of(2014, 1, 1), 6)).isEqualTo(LocalDate.of(2014, 7, 1));
        assertThat(InstallationDeadline.of(SIGNED_2013, LocalDate.of(2013, 8, 31), 6)).isEqualTo(LocalDate.of(2014, 2, 28));
        assertThat(InstallationDeadline.of(SIGNED_2013, LocalDate.of(2015, 8, 31), 6)).isEqualTo(LocalDate.of(2016, 2, 29));
        assertThat(InstallationDeadline.of(SIGNED_2013, LocalDate.of(2013, 12, 31), 2)).isEqualTo(LocalDate.of(2014, 2, 28));
        assertThat(InstallationDeadline.of(SIGNED_2013, LocalDate.of(2013, 7, 31), 3)).isEqualTo(LocalDate.of(2013, 10, 31));
        // The delay is configuration.
        assertThat(InstallationDeadline.of(SIGNED_2013, SIGNED_2013, 9)).isEqualTo(LocalDate.of(2014, 3, 27));
    }

    @Test
    @DisplayName("R-32 a conference is overdue only after its deadline day, and installed once, by both colleges, not in the future")
    void installationGuards() {
        TerritorialConference c = new TerritorialConference("CT:lyon", "BASSIN:lyon", LocalDate.of(2013, 12, 27), null,
                List.of());
        assertThat(c.isOverdue(LocalDate.of(2013, 12, 27))).isFalse();
        assertThat(c.isOverdue(LocalDate.of(2013, 12, 28))).isTrue();
        var employers = new TerritorialConference.Member("MEDEF Rhône", College.EMPLOYEURS);
        var employees = new TerritorialConference.Member("CFDT Rhône", College.SALARIES);
        assertThatThrownBy(() -> c.install(LocalDate.of(2013, 11, 1), List.of(employers), LocalDate.of(2014, 1, 1)))
                .isInstanceOfSatisfying(DomainRefusal.class, r -> assertThat(r.reason()).isEqualTo("requiresBothColleges"));
        assertThatThrownBy(() -> c.install(LocalDate.of(2014, 2, 1), List.of(employers, employees), LocalDate.of(2014, 1, 1)))
                .isInstanceOfSatisfying(DomainRefusal.class, r -> assertThat(r.reason()).isEqualTo("installationInTheFuture"));
        c.install(LocalDate.of(2014, 1, 15), List.of(employers, employees), LocalDate.of(2014, 1, 20));
        assertThat(c.isOverdue(LocalDate.of(2014, 2, 1))).isFalse();
        assertThatThrownBy(() -> c.install(LocalDate.of(2014, 1, 16), List.of(employers, employees), LocalDate.of(2014, 1, 20)))
                .isInstanceOfSatisfying(DomainRefusal.class, r -> {
                    assertThat(r.reason()).isEqualTo("alreadyInstalled");
                    assertThat(r.isConflict()).isTrue();
                });
    }

    @Test
    @DisplayName("R-30 search keys ignore accents, case and punctuation")
    void searchKeys() {
        assertThat(Names.searchKey("Saint-Étienne")).isEqualTo("saint etienne");
        assertThat(Names.searchKey("saint etienne")).isEqualTo("saint etienne");
        assertThat(Names.searchKey("  SAINT--ÉTIENNE ")).isEqualTo("saint etienne");
        assertThat(Names.searchKey("L'Haÿ-les-Roses")).isEqualTo("l hay les roses");
        assertThat(Names.searchKey("Œuilly")).isEqualTo("oeuilly");
    }

    @Test
    @DisplayName("R-30 typed words: normalised, distinct, a word that begins another typed word adds nothing")
    void searchWords() {
        assertThat(Names.searchWords("St-Étienne")).containsExactly("st", "etienne");
        assertThat(Names.searchWords("  LYON  lyon ")).containsExactly("lyon");
        assertThat(Names.searchWords("st ste foy")).containsExactly("ste", "foy");
        assertThat(Names.searchWords("  -- ")).isEmpty();
        assertThat(Names.searchWords(null)).isEmpty();
        assertThat(Names.searchWords("a bb ccc dddd eeeee ffffff ggggggg hhhhhhhh iiiiiiiii"))
                .hasSize(Names.MAX_WORDS).doesNotContain("a");
    }

    @Test
    @DisplayName("R-30 a later data year retires merged communes (never deletes them) and names their successors")
    void laterYearRetiresAndKeepsFormerCodes() {
        ReferenceTerritory a = commune("01001", "A", List.of(), 2026);
        ReferenceTerritory b = commune("01002", "B", List.of(), 2026);
        ReferenceTerritory c = commune("01003", "C", List.of(), 2026);
        Map<String, ReferenceDiff.Stored> stored = Map.of(
                a.id(), new ReferenceDiff.Stored(a.fingerprintHash(), false),
                b.id(), new ReferenceDiff.Stored(b.fingerprintHash(), false),
                c.id(), new ReferenceDiff.Stored(c.fingerprintHash(), false));
        // 2027: B is merged into A (A lists 01002 in anciensCodes); C unchanged but for the year.
        ReferenceTerritory a2027 = commune("01001", "A", List.of("01002"), 2027);
        ReferenceTerritory c2027 = commune("01003", "C", List.of(), 2027);
        ReferenceDiff diff = ReferenceDiff.between(stored, List.of(a2027, c2027), 2027,
                id -> Map.of(b.id(), b).get(id));
        assertThat(diff.created()).isEmpty();
        assertThat(diff.changed()).containsExactly(a2027);
        assertThat(diff.unchanged()).isEqualTo(1);
        assertThat(diff.retired()).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo("01002");
            assertThat(r.retired()).isTrue();
            assertThat(r.replacedBy()).containsExactly("01001");
            assertThat(r.millesime()).isEqualTo(2027);
        });
        // Loading 2027 again: nothing to do.
        Map<String, ReferenceDiff.Stored> after = Map.of(
                a2027.id(), new ReferenceDiff.Stored(a2027.fingerprintHash(), false),
                b.id(), new ReferenceDiff.Stored(diff.retired().get(0).fingerprintHash(), true),
                c2027.id(), new ReferenceDiff.Stored(c2027.fingerprintHash(), false));
        assertThat(ReferenceDiff.between(after, List.of(a2027, c2027), 2027, id -> null).isEmpty()).isTrue();
    }

    @Test
    @DisplayName("R-31 the tension CSV reports every bad row with its line number")
    void tensionCsvReport() {
        TensionCsv.Parsed p = TensionCsv.parse("code_insee;zone\n69123;A\n42218;Z9\nabc;B1\n69123;B2\n\n2A004;abis\n", 100);
        assertThat(p.rows()).extracting(TensionCsv.Row::communeCode).containsExactly("69123", "2A004");
        assertThat(p.rows().get(1).zone()).isEqualTo("Abis");
        assertThat(p.errors()).extracting(TensionCsv.RowError::line).containsExactly(3, 4, 5);
        assertThat(p.errors()).extracting(TensionCsv.RowError::field).containsExactly("zone", "code_insee", "code_insee");
    }

    private static ReferenceTerritory commune(String code, String name, List<String> former, int year) {
        return new ReferenceTerritory(TerritoryKind.COMMUNE, code, name, "metro", "84", "01", null, null, null, null,
                List.of(), 100, List.of(), former, year, false, List.of());
    }
}
