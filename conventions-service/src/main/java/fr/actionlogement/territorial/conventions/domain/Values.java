package fr.actionlogement.territorial.conventions.domain;

import java.util.List;

/** Small helpers of the domain: null lists read as empty, blank strings as absent. */
final class Values {

    private Values() {
    }

    static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : List.copyOf(values.stream().filter(v -> v != null).toList());
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
