package fr.actionlogement.territorial.conventions.domain;

import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;

/**
 * What the convention's rules consult beyond the aggregate itself. {@code contingentProducts} are the catalogue's
 * {@link DeviceCatalogue#contingentProducts()}).
 */
public record RuleContext(TerritoryFacts facts, EnvelopeLedger envelopes, Set<String> contingentProducts,
        boolean costIncreaseRequiresJustification, DeviceCatalogue devices) {

    /** The rules read against a catalogue. */
    public RuleContext(TerritoryFacts facts, EnvelopeLedger envelopes, DeviceCatalogue devices,
            boolean costIncreaseRequiresJustification) {
        this(facts, envelopes, devices.contingentProducts(), costIncreaseRequiresJustification, devices);
    }

    /** For callers that name the contingent products themselves: the catalogue as the seeds define it. */
    public RuleContext(TerritoryFacts facts, EnvelopeLedger envelopes, Set<String> contingentProducts,
            boolean costIncreaseRequiresJustification) {
        this(facts, envelopes, contingentProducts, costIncreaseRequiresJustification, DeviceCatalogue.seeded());
    }

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
        return new RuleContext(dated, envelopes, contingentProducts, costIncreaseRequiresJustification, devices);
    }
}
