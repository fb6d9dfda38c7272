package fr.actionlogement.territorial.territories.persistence;

import fr.actionlogement.territorial.buildingblocks.api.PageRequest;
import io.quarkus.panache.common.Sort;

/** How this service's collections page. */
final class Paging {

    private Paging() {
    }

    /** The page's order, then the id, always ascending (as this service has always sorted), so pages never overlap. */
    static Sort sort(PageRequest page) {
        Sort sort = Sort.by(page.sortColumn(), page.descending() ? Sort.Direction.Descending : Sort.Direction.Ascending);
        return page.sortColumn().equals("id") ? sort : sort.and("id");
    }
}
