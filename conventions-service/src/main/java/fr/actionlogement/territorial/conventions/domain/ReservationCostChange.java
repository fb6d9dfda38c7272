package fr.actionlogement.territorial.conventions.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** one category's reservation cost against the territory's previous convention. */
public record ReservationCostChange(String category, Long previousUnitCostEuros, Long unitCostEuros, Long change,
        Trend trend) {

    public enum Trend {
        REDUCED,
        STABLE,
        INCREASED,
        NEW,
        DROPPED
    }

    public static List<ReservationCostChange> compare(List<ReservationCost> current, List<ReservationCost> previous) {
        Map<String, Long> before = new LinkedHashMap<>();
        Values.list(previous).forEach(c -> before.put(c.category(), c.unitCostEuros()));
        List<ReservationCostChange> changes = new ArrayList<>();
        for (ReservationCost c : Values.list(current)) {
            Long old = before.remove(c.category());
            if (old == null) {
                changes.add(new ReservationCostChange(c.category(), null, c.unitCostEuros(), null, Trend.NEW));
            } else {
                long delta = c.unitCostEuros() - old;
                Trend t = delta < 0 ? Trend.REDUCED : delta == 0 ? Trend.STABLE : Trend.INCREASED;
                changes.add(new ReservationCostChange(c.category(), old, c.unitCostEuros(), delta, t));
            }
        }
        before.forEach((cat, old) -> changes.add(new ReservationCostChange(cat, old, null, null, Trend.DROPPED)));
        return changes;
    }
}
