package fr.actionlogement.territorial.partnerships;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.partnerships.domain.Agreement;
import fr.actionlogement.territorial.partnerships.domain.AgreementRefused;
import fr.actionlogement.territorial.partnerships.domain.AgreementStatus;
import fr.actionlogement.territorial.partnerships.domain.Authority;
import fr.actionlogement.territorial.partnerships.domain.DraftDocument;
import fr.actionlogement.territorial.partnerships.domain.InvestmentKind;
import fr.actionlogement.territorial.partnerships.domain.InvestmentThresholds;
import fr.actionlogement.territorial.partnerships.domain.PartyType;
import fr.actionlogement.territorial.partnerships.domain.PlannedInvestment;
import fr.actionlogement.territorial.partnerships.domain.SignatorySide;
import fr.actionlogement.territorial.partnerships.domain.Signature;
import fr.actionlogement.territorial.partnerships.domain.Terms;
import fr.actionlogement.territorial.partnerships.domain.Transition;
import fr.actionlogement.territorial.partnerships.domain.UeslDecision;

/** The aggregate's guarded transitions, without infrastructure (the @QuarkusTest classes prove them end to end). */
class AgreementDomainTest {

    private static final InvestmentThresholds THRESHOLDS = kind -> BigDecimal.valueOf(100_000);
    private static final Authority LYON = new Authority("200046977", "EPCI:200046977", "Métropole de Lyon", "84");

    private static Agreement agreement(PartyType type, boolean exclusivity, PlannedInvestment... investments) {
        return Agreement.draft(UUID.randomUUID(), type, type.isCil() ? "314159265" : null, null, LYON,
                new Terms("Young employees", LocalDate.of(2026, 1, 1), 36, exclusivity, exclusivity ? "scope" : null,
                        List.of(investments)));
    }

    private static final LocalDate TODAY = LocalDate.of(2026, 6, 1);

    private static Signature partner(Agreement a, LocalDate on) {
        return new Signature(SignatorySide.PARTNER, a.partnerKey(), on, "cil-user", OffsetDateTime.now());
    }

    private static Signature authority(Agreement a, LocalDate on) {
        return new Signature(SignatorySide.AUTHORITY, a.authorityKey(), on, "collectivite-user", OffsetDateTime.now());
    }

    private static String ruleOf(Runnable r) {
        try {
            r.run();
        } catch (AgreementRefused e) {
            return e.rule();
        }
        return null;
    }

    @Test
    @DisplayName("R-21 requiresUeslPriorApproval: only a CIL's agreement with an exclusivity clause (R-25 for the national bodies)")
    void requiresUeslPriorApproval() {
        assertThat(agreement(PartyType.CIL, true).requiresUeslPriorApproval()).isTrue();
        assertThat(agreement(PartyType.CIL, false).requiresUeslPriorApproval()).isFalse();
        assertThat(agreement(PartyType.FONCIERE_LOGEMENT, true).requiresUeslPriorApproval()).isFalse();
        assertThat(agreement(PartyType.APAGL, true).requiresUeslPriorApproval()).isFalse();
    }

    @Test
    @DisplayName("R-24 submit records DRAFT → SUBMITTED → PENDING_UESL_APPROVAL, or → APPROVED when no review is needed")
    void submitTransitions() {
        Agreement pending = agreement(PartyType.CIL, true);
        assertThat(pending.submit(false, THRESHOLDS)).extracting(Transition::to)
                .containsExactly(AgreementStatus.SUBMITTED, AgreementStatus.PENDING_UESL_APPROVAL);
        Agreement approved = agreement(PartyType.CIL, false,
                new PlannedInvestment(InvestmentKind.PRET, BigDecimal.valueOf(100_000), null));
        assertThat(approved.submit(false, THRESHOLDS)).extracting(Transition::to)
                .containsExactly(AgreementStatus.SUBMITTED, AgreementStatus.APPROVED);
    }

    @Test
    @DisplayName("R-22 investmentsNeedingUeslOpinion: strictly above the threshold, CIL agreements only; without the document submit refuses")
    void investmentsNeedingOpinion() {
        PlannedInvestment big = new PlannedInvestment(InvestmentKind.SUBVENTION, new BigDecimal("100000.01"), null);
        assertThat(agreement(PartyType.CIL, false, big).investmentsNeedingUeslOpinion(THRESHOLDS)).containsExactly(big);
        assertThat(agreement(PartyType.APAGL, false, big).investmentsNeedingUeslOpinion(THRESHOLDS)).isEmpty();
        Agreement a = agreement(PartyType.CIL, false, big);
        assertThat(ruleOf(() -> a.submit(false, THRESHOLDS))).isEqualTo("R-22");
        assertThat(a.status()).isEqualTo(AgreementStatus.DRAFT);
    }

    @Test
    @DisplayName("R-21 sign before the grant names R-21; a refusal without reasons is refused")
    void signBeforeGrant() {
        Agreement a = agreement(PartyType.CIL, true);
        assertThat(ruleOf(() -> a.sign(partner(a, TODAY), TODAY))).isEqualTo("R-21");
        a.submit(false, THRESHOLDS);
        assertThat(ruleOf(() -> a.sign(partner(a, TODAY), TODAY))).isEqualTo("R-21");
        assertThat(ruleOf(() -> a.decideExclusivity(false, " "))).isEqualTo("R-21");
        assertThat(a.decideExclusivity(true, null)).map(Transition::to).contains(AgreementStatus.APPROVED);
        assertThat(a.sign(partner(a, LocalDate.of(2026, 2, 1)), TODAY)).isEmpty();
        assertThat(a.sign(authority(a, LocalDate.of(2026, 2, 1)), TODAY)).map(Transition::to)
                .contains(AgreementStatus.SIGNED);
        assertThat(ruleOf(() -> a.end(LocalDate.of(2026, 1, 1), "before"))).isEqualTo("R-24");
        assertThat(a.end(LocalDate.of(2027, 1, 1), "done").to()).isEqualTo(AgreementStatus.ENDED);
    }

    @Test
    @DisplayName("R-20 a CIL agreement names its CIL; R-25 a national body's has no CIL party")
    void parties() {
        Terms t = new Terms("x", null, 12, false, null, List.of());
        assertThatThrownBy(() -> Agreement.draft(UUID.randomUUID(), PartyType.CIL, null, null, LYON, t))
                .isInstanceOfSatisfying(AgreementRefused.class, e -> assertThat(e.rule()).isEqualTo("R-20"));
        assertThatThrownBy(() -> Agreement.draft(UUID.randomUUID(), PartyType.APAGL, "314159265", null, LYON, t))
                .isInstanceOfSatisfying(AgreementRefused.class, e -> assertThat(e.rule()).isEqualTo("R-25"));
    }

    @Test
    @DisplayName("R-22 a draft document must be a PDF by declared type and magic bytes, not empty, within the limit")
    void draftDocumentChecks() {
        byte[] pdf = "%PDF-1.7 body".getBytes();
        assertThat(DraftDocument.check("application/pdf", pdf, 100)).isNull();
        assertThat(DraftDocument.check("application/pdf", "GIF89a".getBytes(), 100))
                .isEqualTo(DraftDocument.Refusal.NOT_PDF_CONTENT);
        assertThat(DraftDocument.check("image/png", pdf, 100)).isEqualTo(DraftDocument.Refusal.NOT_PDF_CONTENT_TYPE);
        // The generic binary type (a generated client's default for a file part): the magic bytes decide.
        assertThat(DraftDocument.check("application/octet-stream", pdf, 100)).isNull();
        assertThat(DraftDocument.check("application/octet-stream", "GIF89a".getBytes(), 100))
                .isEqualTo(DraftDocument.Refusal.NOT_PDF_CONTENT);
        assertThat(DraftDocument.check("application/pdf", new byte[0], 100)).isEqualTo(DraftDocument.Refusal.EMPTY);
        assertThat(DraftDocument.check("application/pdf", pdf, 5)).isEqualTo(DraftDocument.Refusal.TOO_LARGE);
        assertThat(DraftDocument.sha256("abc".getBytes()))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    @DisplayName("R-24 each side signs on its own: APPROVED after the first, SIGNED at the second dated by the later; a future date or a second signature of one side refused")
    void signaturesByBothSides() {
        Agreement a = agreement(PartyType.CIL, false);
        a.submit(false, THRESHOLDS);
        assertThat(ruleOf(() -> a.sign(partner(a, TODAY.plusDays(1)), TODAY))).isEqualTo("R-24");
        assertThat(a.signatures()).isEmpty();
        assertThat(a.sign(authority(a, LocalDate.of(2026, 3, 20)), TODAY)).isEmpty();
        assertThat(a.status()).isEqualTo(AgreementStatus.APPROVED);
        assertThat(a.missingSignatures()).containsExactly(SignatorySide.PARTNER);
        assertThatThrownBy(() -> a.sign(authority(a, LocalDate.of(2026, 3, 21)), TODAY))
                .isInstanceOf(AgreementRefused.class).matches(e -> ((AgreementRefused) e).isConflict());
        assertThat(a.sign(partner(a, LocalDate.of(2026, 3, 15)), TODAY)).map(Transition::to)
                .contains(AgreementStatus.SIGNED);
        assertThat(a.signedOn()).isEqualTo(LocalDate.of(2026, 3, 20));
        assertThat(a.signatures()).extracting(Signature::onBehalfOf)
                .containsExactly("COLLECTIVITE:200046977", "CIL:314159265");
    }

    @Test
    @DisplayName("R-25 a national body's agreement is submitted after the UESL's recorded decision; staying out skips R-22, joining applies it")
    void ueslDecision() {
        PlannedInvestment big = new PlannedInvestment(InvestmentKind.SUBVENTION, new BigDecimal("500000"), null);
        Agreement out = agreement(PartyType.FONCIERE_LOGEMENT, true, big);
        assertThat(ruleOf(() -> out.submit(true, THRESHOLDS))).isEqualTo("R-25");
        UeslDecision future = new UeslDecision(UUID.randomUUID(), true, TODAY.plusDays(1), "uesl", "r",
                OffsetDateTime.now());
        assertThat(ruleOf(() -> out.recordUeslDecision(future, TODAY))).isEqualTo("R-25");
        out.recordUeslDecision(new UeslDecision(UUID.randomUUID(), true, TODAY, "uesl", "Own policy",
                OffsetDateTime.now()), TODAY);
        assertThat(out.submit(false, THRESHOLDS)).extracting(Transition::to)
                .containsExactly(AgreementStatus.SUBMITTED, AgreementStatus.APPROVED);
        assertThat(out.partnerKey()).isEqualTo("FONCIERE_LOGEMENT");

        Agreement joined = agreement(PartyType.APAGL, false, big);
        joined.recordUeslDecision(new UeslDecision(UUID.randomUUID(), false, TODAY, "uesl", "GRL stake",
                OffsetDateTime.now()), TODAY);
        assertThat(joined.investmentsNeedingUeslOpinion(THRESHOLDS)).containsExactly(big);
        assertThat(ruleOf(() -> agreement(PartyType.CIL, false).recordUeslDecision(future, TODAY)))
                .isEqualTo("R-25");
    }
}
