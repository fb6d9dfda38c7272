package fr.actionlogement.territorial.buildingblocks.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** Query parameters of every paginated collection: {@code ?page=0&size=20&sort=name,asc}. */
public class PageParams {

    public static final int MAX_SIZE = 200;

    @QueryParam("page")
    @DefaultValue("0")
    @Min(value = 0, message = "must be 0 or more")
    @Max(value = 1_000_000, message = "must be at most 1000000")
    @Parameter(description = "Zero-based page number")
    public int page;

    @QueryParam("size")
    @DefaultValue("20")
    @Min(value = 1, message = "must be at least 1")
    @Max(value = MAX_SIZE, message = "must be at most " + MAX_SIZE)
    @Parameter(description = "Page size, 1 to " + MAX_SIZE)
    public int size;

    @QueryParam("sort")
    @Pattern(regexp = "[A-Za-z][A-Za-z0-9]*(,(asc|desc))?", message = "must be 'field' or 'field,asc|desc'")
    @Parameter(description = "Sort field and direction, e.g. 'createdAt,desc'; ties are broken by id for a stable order")
    public String sort;

    public PageParams() {
    }

    public PageParams(int page, int size, String sort) {
        this.page = page;
        this.size = size;
        this.sort = sort;
    }
}
