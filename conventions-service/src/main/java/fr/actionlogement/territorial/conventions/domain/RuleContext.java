package fr.actionlogement.territorial.conventions.domain;

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
}
