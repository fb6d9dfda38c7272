package fr.actionlogement.territorial.buildingblocks.api;

import java.util.Map;

import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;
import io.quarkus.panache.common.Sort;

/**
 * A validated page request: the sort field is one of the collection's whitelisted fields, and every sort ends
 * with the id so that pages never overlap or skip rows.
 *
 * @param sortColumn the entity property to sort on
 */
public record PageRequest(int page, int size, String sortColumn, boolean descending) {

    /**
     * @param sortable API sort names mapped to entity properties; the first entry is the default
     */
    public static PageRequest of(PageParams params, Map<String, String> sortable, String defaultSort) {
        String sort = params.sort == null || params.sort.isBlank() ? defaultSort : params.sort;
        String[] parts = sort.split(",");
        String column = sortable.get(parts[0]);
        if (column == null) {
            throw ProblemException.invalid("sort", "unknown sort field '" + parts[0] + "'; one of " + sortable.keySet());
        }
        boolean descending = parts.length > 1 && parts[1].equalsIgnoreCase("desc");
        int size = params.size <= 0 ? 20 : Math.min(params.size, PageParams.MAX_SIZE);
        return new PageRequest(Math.max(params.page, 0), size, column, descending);
    }

    public int offset() {
        return page * size;
    }

    /**
     * The one order of every service's pages: the sort column in the requested direction, rows without a value last
     * whichever the direction, then the id in the same direction as tie-breaker (so a descending page is the
     * ascending one reversed, and pages never overlap).
     */
    public Sort panacheSort(String idProperty) {
        Sort.Direction dir = descending ? Sort.Direction.Descending : Sort.Direction.Ascending;
        if (sortColumn.equals(idProperty)) {
            return Sort.by(idProperty, dir); // never null: the primary key's index serves both directions
        }
        return Sort.by(sortColumn, dir, Sort.NullPrecedence.NULLS_LAST).and(idProperty, dir);
    }
}
