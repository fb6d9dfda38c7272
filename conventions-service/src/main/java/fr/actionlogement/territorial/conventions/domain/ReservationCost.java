package fr.actionlogement.territorial.conventions.domain;

/** the cost of reserving dwellings, per category (e.g. PLUS, PLAI, PLS), in euros per reserved dwelling. */
public record ReservationCost(String category, Long unitCostEuros) {
}
