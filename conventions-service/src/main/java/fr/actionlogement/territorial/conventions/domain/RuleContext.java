package fr.actionlogement.territorial.conventions.domain;

import java.util.Set;

/** What the convention's rules consult beyond the aggregate itself. */
public record RuleContext(TerritoryFacts facts, EnvelopeLedger envelopes, Set<String> contingentProducts,
        boolean costIncreaseRequiresJustification) {
}
