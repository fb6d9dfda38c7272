package fr.actionlogement.territorial.conventions.domain;

import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;

/** What the convention's rules consult beyond the aggregate itself. */
public record RuleContext(TerritoryFacts facts, EnvelopeLedger envelopes, Set<String> contingentProducts,
        boolean costIncreaseRequiresJustification) {

    /** The same rules with the facts as they were on a date: R-07 presence is judged on the signing date. */
    public RuleContext on(LocalDate date) {
        TerritoryFacts today = facts;
        TerritoryFacts dated = new TerritoryFacts() {
            @Override
            public Optional<Territory> territory(String territoryId) {
                return today.territory(territoryId);
            }

            @Override
            public Optional<CilFact> cil(String cilId) {
                return today.cil(cilId);
            }

            @Override
            public boolean cilPresentOn(String cilId, String territoryId, LocalDate on) {
                return today.cilPresentOn(cilId, territoryId, on == null ? date : on);
            }

            @Override
            public Optional<RegionalConference> regionalConference(String regionCode) {
                return today.regionalConference(regionCode);
            }

            @Override
            public Optional<InstalledConference> installedConference(String basinId) {
                return today.installedConference(basinId);
            }
        };
        return new RuleContext(dated, envelopes, contingentProducts, costIncreaseRequiresJustification);
    }
}
