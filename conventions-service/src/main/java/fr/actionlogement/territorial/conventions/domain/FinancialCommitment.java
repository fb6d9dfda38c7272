package fr.actionlogement.territorial.conventions.domain;

/**
 * A financial commitment of a CIL on a product for a year, in units of the product (loans, dwellings).
 * {@code collective}: a collective, non-individualised commitment of the movement.
 * {@code prescriber}: who prescribes the product to beneficiaries (a local authority never may on a contingent one).
 */
public record FinancialCommitment(String cilId, String product, Integer year, Long amount, boolean collective,
        PartyType prescriber) {
}
