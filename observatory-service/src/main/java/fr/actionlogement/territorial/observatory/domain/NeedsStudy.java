package fr.actionlogement.territorial.observatory.domain;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * A needs study (étude de besoin), R-40..R-42. Immutable: each guarded transition returns the next state or
 * refuses with the rule that forbids it.
 */
public record NeedsStudy(
        UUID id,
        String title,
        String territoryId,
        String scale,
        Set<StudyTopic> topics,
        Set<PublicPrioritaire> publics,
        List<String> launchingCilIds,
        String operationalInterest,
        BigDecimal cost,
        List<FinancingShare> financing,
        List<StudySource> sources,
        StudyStatus status,
        String resultsSummary,
        String reportUri,
        LocalDate commissionedOn,
        LocalDate deliveredOn,
        LocalDate publishedOn) {

    /** What a proposal or a revision may set. */
    public record Terms(String title, String territoryId, String scale, Set<StudyTopic> topics,
            Set<PublicPrioritaire> publics, List<String> launchingCilIds, String operationalInterest,
            BigDecimal cost, List<FinancingShare> financing, List<StudySource> sources) {
    }

    /**
     * Proposes a study.
     *
     * @param presentOnTerritory whether a CIL is present on the study's territory (local read model of
     *        CilPresenceChanged)
     */
    public static NeedsStudy propose(UUID id, Terms terms, Predicate<String> presentOnTerritory) {
        launchedByCilsPresentOnTerritory(terms, presentOnTerritory);
        cilFinancingRequiresOperationalInterest(terms.financing(), terms.operationalInterest(), terms.publics());
        financingSharesAddUpToCost(terms.financing(), terms.cost(), false);
        return new NeedsStudy(id, terms.title(), terms.territoryId(), terms.scale(), Set.copyOf(terms.topics()),
                Set.copyOf(terms.publics()), List.copyOf(terms.launchingCilIds()), blankToNull(terms.operationalInterest()),
                terms.cost(), List.copyOf(terms.financing()), List.copyOf(terms.sources()), StudyStatus.PROPOSED, null,
                null, null, null, null);
    }

    /** Revises the terms of a study not yet commissioned. */
    public NeedsStudy revise(Terms terms, Predicate<String> presentOnTerritory) {
        if (status != StudyStatus.PROPOSED) {
            throw Refusal.conflict("R-41", "a study can be revised only while PROPOSED; it is " + status);
        }
        return propose(id, terms, presentOnTerritory);
    }

    /** commissioning commits the financing, which must then be complete. */
    public NeedsStudy commission(LocalDate today) {
        if (status != StudyStatus.PROPOSED) {
            throw Refusal.conflict("R-41", "only a PROPOSED study can be commissioned; it is " + status);
        }
        if (financing.isEmpty()) {
            throw Refusal.rule("R-41", "a study is commissioned with its financing: record the shares first");
        }
        cilFinancingRequiresOperationalInterest(financing, operationalInterest, publics);
        financingSharesAddUpToCost(financing, cost, true);
        return with(StudyStatus.COMMISSIONED, resultsSummary, reportUri, today, null, null);
    }

    public NeedsStudy deliver(String summary, String report, LocalDate today) {
        if (status != StudyStatus.COMMISSIONED) {
            throw Refusal.conflict("R-40", "only a COMMISSIONED study can be delivered; it is " + status);
        }
        if (summary == null || summary.isBlank()) {
            throw Refusal.rule("R-43", "a delivered study states its results (summary)");
        }
        return with(StudyStatus.DELIVERED, summary, report, commissionedOn, today, null);
    }

    /** the parties share the lessons of studies once published. */
    public NeedsStudy publish(LocalDate today) {
        if (status != StudyStatus.DELIVERED) {
            throw Refusal.conflict("R-43", "only a DELIVERED study can be published; it is " + status);
        }
        return with(StudyStatus.PUBLISHED, resultsSummary, reportUri, commissionedOn, deliveredOn, today);
    }

    public boolean launchedBy(String cilId) {
        return launchingCilIds.contains(cilId);
    }

    public boolean financedBy(String partnerId) {
        return financing.stream().anyMatch(f -> partnerId.equals(f.partnerId()));
    }

    public BigDecimal financedAmount() {
        return financing.stream().map(FinancingShare::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** launched by the CILs present on the territory (at least one). */
    static void launchedByCilsPresentOnTerritory(Terms terms, Predicate<String> presentOnTerritory) {
        if (terms.launchingCilIds() == null || terms.launchingCilIds().isEmpty()) {
            throw Refusal.rule("R-40", "a needs study is launched by at least one CIL present on the territory");
        }
        for (String cil : terms.launchingCilIds()) {
            if (!presentOnTerritory.test(cil)) {
                throw Refusal.rule("R-40", "CIL " + cil + " is not present on territory " + terms.territoryId()
                        + "; only the CILs present there launch its needs studies");
            }
        }
    }

    /** a study commits CIL money only with a stated operational interest for priority publics. */
    static void cilFinancingRequiresOperationalInterest(List<FinancingShare> financing, String interest,
            Set<PublicPrioritaire> publics) {
        boolean cilMoney = financing.stream()
                .anyMatch(f -> f.partnerType() == PartnerType.CIL && f.amount().signum() > 0);
        if (cilMoney && (interest == null || interest.isBlank() || publics.isEmpty())) {
            throw Refusal.rule("R-41", "CIL financing needs a stated operational interest for the priority publics'"
                    + " access to housing (operationalInterest and publicsPrioritaires)");
        }
    }

    /**
     * the shares add up to the cost. While proposed, partial financing may be recorded but never more than the
     * cost; at commissioning the sum must be exact.
     */
    static void financingSharesAddUpToCost(List<FinancingShare> financing, BigDecimal cost, boolean complete) {
        if (financing.isEmpty()) {
            return;
        }
        BigDecimal sum = financing.stream().map(FinancingShare::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        int cmp = sum.compareTo(cost);
        if (cmp > 0 || (complete && cmp != 0)) {
            throw Refusal.rule("R-41", "financing shares add up to " + sum.toPlainString() + " EUR but the study costs "
                    + cost.toPlainString() + " EUR; the shares must add up to the cost");
        }
    }

    private NeedsStudy with(StudyStatus next, String summary, String report, LocalDate commissioned,
            LocalDate delivered, LocalDate published) {
        return new NeedsStudy(id, title, territoryId, scale, topics, publics, launchingCilIds, operationalInterest,
                cost, financing, sources, next, summary, report, commissioned, delivered, published);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
