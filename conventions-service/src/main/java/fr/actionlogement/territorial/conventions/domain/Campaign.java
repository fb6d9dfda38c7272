package fr.actionlogement.territorial.conventions.domain;

/**
 * a programme of conventions (the 2011 experiment: about ten metropolises, evaluated in 2012), with a cap on
 * the conventions open in it at any time.
 */
public record Campaign(String campaignId, String name, int year, int cap, Integer evaluationYear, boolean open) {

    /** a new proposal fits under the cap, on a territory that has no open convention in this campaign. */
    public void admitsProposal(long openConventions, boolean territoryAlreadyOpen) {
        if (!open) {
            throw RuleViolation.conflict("R-02", "campaign " + campaignId + " is closed to new proposals");
        }
        if (territoryAlreadyOpen) {
            throw RuleViolation.conflict("R-02", "the territory already has an open convention in campaign "
                    + campaignId);
        }
        if (openConventions >= cap) {
            throw RuleViolation.refused("R-02", "campaign " + campaignId + " already has " + openConventions
                    + " open conventions, its cap is " + cap + "; conventions stay selective");
        }
    }
}
