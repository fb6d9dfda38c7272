package fr.actionlogement.territorial.territories.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * what loading a data year changes. A territory is created when its id is new, changed when its fingerprint
 * differs, and retired (never deleted) when an earlier year had it and this one does not: references held by other
 * services keep resolving, and a merged commune names its successors (the communes listing it in
 * {@code anciensCodes}).
 */
public record ReferenceDiff(List<ReferenceTerritory> created, List<ReferenceTerritory> changed,
        List<ReferenceTerritory> retired, int unchanged) {

    /** What is stored of a territory: the digest of its fingerprint and whether it is already retired. */
    public record Stored(String fingerprintHash, boolean retired) {
    }

    /**
     * @param existing stored territories by id (basins excluded: they are not part of the official reference)
     * @param loadStored reads a stored territory in full, for the few that get retired
     */
    public static ReferenceDiff between(Map<String, Stored> existing, Collection<ReferenceTerritory> incoming,
            int millesime, Function<String, ReferenceTerritory> loadStored) {
        List<ReferenceTerritory> created = new ArrayList<>();
        List<ReferenceTerritory> changed = new ArrayList<>();
        int unchanged = 0;
        Map<String, Set<String>> successors = new HashMap<>();
        Set<String> incomingIds = new HashSet<>();
        for (ReferenceTerritory t : incoming) {
            incomingIds.add(t.id());
            for (String former : t.formerCodes()) {
                successors.computeIfAbsent(former, k -> new TreeSet<>()).add(t.code());
            }
        }
        for (ReferenceTerritory t : incoming) {
            Stored before = existing.get(t.id());
            if (before == null) {
                created.add(t);
            } else if (!before.fingerprintHash().equals(t.fingerprintHash())) {
                changed.add(t);
            } else {
                unchanged++;
            }
        }
        List<ReferenceTerritory> retired = new ArrayList<>();
        existing.forEach((id, stored) -> {
            if (!stored.retired() && !incomingIds.contains(id)) {
                ReferenceTerritory t = loadStored.apply(id);
                List<String> next = t.kind() == TerritoryKind.COMMUNE
                        ? List.copyOf(successors.getOrDefault(t.code(), Set.of()))
                        : List.of();
                retired.add(t.retire(next, millesime));
            }
        });
        return new ReferenceDiff(created, changed, retired, unchanged);
    }

    public boolean isEmpty() {
        return created.isEmpty() && changed.isEmpty() && retired.isEmpty();
    }
}
