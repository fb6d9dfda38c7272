package fr.actionlogement.territorial.territories.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import fr.actionlogement.territorial.buildingblocks.api.ETags;
import fr.actionlogement.territorial.buildingblocks.api.Page;
import fr.actionlogement.territorial.buildingblocks.api.PageParams;
import fr.actionlogement.territorial.buildingblocks.api.PageRequest;
import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;
import fr.actionlogement.territorial.buildingblocks.security.Roles;
import fr.actionlogement.territorial.territories.config.TerritoriesConfig;
import fr.actionlogement.territorial.territories.domain.Names;
import fr.actionlogement.territorial.territories.domain.TerritoryKind;
import fr.actionlogement.territorial.territories.persistence.CilService;
import fr.actionlogement.territorial.territories.persistence.ReferenceLoader;
import fr.actionlogement.territorial.territories.persistence.TerritoryRepository;
import io.quarkus.security.Authenticated;

/** the official territory reference, readable by every authenticated user. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Territories", description = "Official reference: regions, départements, communes, EPCI (R-30)")
public class TerritoryResource {

    private static final Map<String, String> SORTS = new LinkedHashMap<>();
    static {
        SORTS.put("name", "name_key");
        SORTS.put("code", "code");
        SORTS.put("population", "population");
        SORTS.put("id", "id");
        SORTS.put("relevance", "relevance");
    }

    @Schema(name = "TerritoryPage", requiredProperties = { "items", "page", "size", "totalItems", "totalPages" })
    public record TerritoryPage(List<TerritoryView> items, int page, int size, long totalItems, int totalPages) {
    }

    @Schema(name = "Hierarchy", description = "A territory and the territories above it")
    public record Hierarchy(TerritoryView territory, TerritoryView epci, TerritoryView ept, TerritoryView departement,
            TerritoryView region, List<String> basinIds) {
    }

    @Schema(name = "CommunePart", description = "Commune déléguée, associée or arrondissement municipal")
    public record CommunePartView(String type, String code, String name, String parentCode, List<String> postcodes) {
    }

    private final TerritoryRepository territories;
    private final CilService cils;
    private final ReferenceLoader loader;
    private final TerritoriesConfig config;

    TerritoryResource(TerritoryRepository territories, CilService cils, ReferenceLoader loader,
            TerritoriesConfig config) {
        this.territories = territories;
        this.cils = cils;
        this.loader = loader;
        this.config = config;
    }

    @GET
    @Path("territories")
    @Authenticated
    @Operation(operationId = "searchTerritories", summary = "Search the territory reference", description = "Search as people type: each typed word begins a word "
            + "anywhere in the name, accent- and case-insensitive, all words required ('lyon' finds Métropole de Lyon, "
            + "'etienne' and 'st etienne' find Saint-Étienne; 'st'/'ste' stand for saint/sainte, 'cc'/'ca'/'cu' for "
            + "communauté de communes/d'agglomération/urbaine). Filters by kind, INSEE code, SIREN, postcode, region, "
            + "département or EPCI. Paginated. With q, sorted by relevance unless asked otherwise: régions, "
            + "départements, EPCI, then communes, the most populous first within a kind, then name and id; "
            + "without q, by name then id.")
    @APIResponse(responseCode = "200", description = "One page of territories", content = @Content(schema = @Schema(implementation = TerritoryPage.class), examples = @ExampleObject(name = "saint etienne", value = """
            {"items":[{"id":"COMMUNE:42218","kind":"COMMUNE","code":"42218","name":"Saint-Étienne",
            "zone":"metro","regionCode":"84","departementCode":"42","epciSiren":"244200770",
            "siren":"214202186","postcodes":["42000","42100","42230"],"population":173136,
            "millesime":2026,"retired":false,"version":0}],"page":0,"size":20,"totalItems":1,
            "totalPages":1}""")))
    public Response search(
            @QueryParam("q") @Size(max = 100) @Parameter(description = "Words of the name, each a word's beginning", example = "st etienne") String q,
            @QueryParam("kind") @Parameter(description = "The kind of territory", schema = @Schema(enumeration = { "REGION",
                    "DEPARTEMENT", "COMMUNE", "EPCI" })) String kindName,
            @QueryParam("code") @Size(max = 12) @Parameter(description = "INSEE code or SIREN", example = "69123") String code,
            @QueryParam("siren") @Pattern(regexp = "\\d{9}", message = "must be 9 digits") String siren,
            @QueryParam("postcode") @Pattern(regexp = "\\d{5}", message = "must be 5 digits") @Parameter(example = "42000") String postcode,
            @QueryParam("region") @Size(max = 3) String region,
            @QueryParam("departement") @Size(max = 3) String departement,
            @QueryParam("epci") @Pattern(regexp = "\\d{9}", message = "must be 9 digits") @Parameter(description = "Members of this EPCI or EPT (SIREN)") String epci,
            @QueryParam("includeRetired") @Parameter(description = "Include codes a later data year removed") boolean includeRetired,
            @Valid @BeanParam PageParams pageParams, @Context UriInfo uri) {
        List<String> words = Names.searchWords(q);
        PageRequest page = PageRequest.of(pageParams, SORTS, words.isEmpty() ? "name" : "relevance");
        TerritoryKind kind = kindOf(kindName);
        String order = orderOf(page);
        List<TerritoryRepository.Row> rows = new ArrayList<>();
        long total = territories.search(new TerritoryRepository.Filter(words, kind, code, siren, postcode, region,
                departement, epci, includeRetired), order, page.size(), page.offset(), rows);
        return Page.of(rows.stream().map(r -> TerritoryView.of(r, null, null)).toList(), page, total).toResponse(uri);
    }

    @GET
    @Path("territories/{id}")
    @Authenticated
    @Operation(operationId = "getTerritory", summary = "Read a territory by id", description = "Id is KIND:code (COMMUNE:69123, EPCI:200046977, DEPARTEMENT:69, REGION:84). A commune code "
            + "that a merger retired still resolves (to the retired commune, naming its successors); a code "
            + "known only as a former code of a current commune resolves to that commune.")
    @APIResponse(responseCode = "200", description = "The territory, with its ETag", content = @Content(schema = @Schema(implementation = TerritoryView.class)))
    public Response get(@PathParam("id") @Parameter(example = "COMMUNE:69123") String id) {
        TerritoryKind kind = kindOfId(id);
        TerritoryRepository.Linked t = territories.findLinked(id)
                .or(() -> kind == TerritoryKind.COMMUNE
                        ? territories.findCommuneByFormerCode(id.substring(id.indexOf(':') + 1))
                                .flatMap(r -> territories.findLinked(r.territory().id()))
                        : java.util.Optional.empty())
                .orElseThrow(() -> ProblemException.notFound("Territory", id));
        return Response.ok(TerritoryView.of(t.row(), t.basins(), t.coveringConventions()))
                .tag(ETags.of(t.row().version())).build();
    }

    @GET
    @Path("territories/{id}/hierarchy")
    @Authenticated
    @Operation(operationId = "getTerritoryHierarchy", summary = "Commune → EPCI (and EPT) → département → région")
    @APIResponse(responseCode = "200", description = "The territory and those above it", content = @Content(schema = @Schema(implementation = Hierarchy.class)))
    public Hierarchy hierarchy(@PathParam("id") @Parameter(example = "COMMUNE:75056") String id) {
        TerritoryRepository.Row row = find(id);
        var t = row.territory();
        return new Hierarchy(TerritoryView.of(row, null, null), view("EPCI:" + t.epciSiren()),
                view("EPCI:" + t.eptSiren()), view("DEPARTEMENT:" + t.departementCode()),
                view("REGION:" + t.regionCode()), basinsOf(row));
    }

    @GET
    @Path("territories/{id}/members")
    @Authenticated
    @Operation(operationId = "listEpciMembers", summary = "Member communes of an EPCI or EPT, paginated")
    @APIResponse(responseCode = "200", description = "One page of communes", content = @Content(schema = @Schema(implementation = TerritoryPage.class)))
    public Response members(@PathParam("id") @Parameter(example = "EPCI:200046977") String id,
            @Valid @BeanParam PageParams pageParams, @Context UriInfo uri) {
        TerritoryRepository.Row row = find(id);
        if (row.territory().kind() != TerritoryKind.EPCI) {
            throw ProblemException.invalid("id", "members exist for EPCI only");
        }
        PageRequest page = PageRequest.of(pageParams, SORTS, "name");
        List<TerritoryRepository.Row> rows = new ArrayList<>();
        long total = territories.search(new TerritoryRepository.Filter(null, TerritoryKind.COMMUNE, null, null, null,
                null, null, row.territory().code(), false), orderOf(page),
                page.size(), page.offset(), rows);
        return Page.of(rows.stream().map(r -> TerritoryView.of(r, null, null)).toList(), page, total).toResponse(uri);
    }

    @GET
    @Path("territories/{id}/parts")
    @Authenticated
    @Operation(operationId = "listCommuneParts", summary = "Communes déléguées / associées and arrondissements municipaux of a commune")
    @APIResponse(responseCode = "200", description = "The parts of the commune")
    public List<CommunePartView> parts(@PathParam("id") @Parameter(example = "COMMUNE:69123") String id) {
        TerritoryRepository.Row row = find(id);
        return territories.partsOf(row.territory().code()).stream()
                .map(p -> new CommunePartView(p.type(), p.code(), p.name(), p.parentCode(), p.postcodes())).toList();
    }

    @GET
    @Path("territories/{id}/cils")
    @Authenticated
    @Operation(operationId = "listCilsOnTerritory", summary = "CIL presences on a territory (R-34)")
    @APIResponse(responseCode = "200", description = "Presences, current ones only unless all=true")
    public List<CilService.PresenceView> cilsOn(@PathParam("id") String id, @QueryParam("all") boolean all) {
        String territoryId = id.startsWith("BASSIN:") ? id : find(id).territory().id();
        return cils.presencesOnTerritory(territoryId, !all);
    }

    @GET
    @Path("reference/loads")
    @Authenticated
    @Operation(operationId = "listReferenceLoads", summary = "Data years loaded into the reference (R-30)")
    @APIResponse(responseCode = "200", description = "Every load that changed something, oldest first")
    public List<Map<String, Object>> loads() {
        return loader.history();
    }

    @POST
    @Path("reference/loads")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "loadReference", summary = "Load the configured data year (admin)", description = "Loads territories.reference.location (TERRITORIES_REFERENCE_LOCATION); idempotent: an "
            + "already applied dataset is diffed again only with force=true and then changes nothing. New, "
            + "changed and retired territories are published on territories.reference.v1.")
    @APIResponse(responseCode = "200", description = "What the load changed")
    public ReferenceLoader.LoadResult load(@QueryParam("force") boolean force) {
        return loader.load(config.reference().location(), force);
    }

    private TerritoryRepository.Row find(String id) {
        TerritoryKind kind = kindOfId(id);
        return territories.find(id)
                .or(() -> kind == TerritoryKind.COMMUNE
                        ? territories.findCommuneByFormerCode(id.substring(id.indexOf(':') + 1))
                        : java.util.Optional.empty())
                .orElseThrow(() -> ProblemException.notFound("Territory", id));
    }

    /** The kind an id names (KIND:code); basins are not territories here. */
    private static TerritoryKind kindOfId(String id) {
        TerritoryKind kind = TerritoryKind.ofId(id)
                .orElseThrow(() -> ProblemException.invalid("id", "expected KIND:code, e.g. COMMUNE:69123"));
        if (kind == TerritoryKind.BASSIN) {
            throw ProblemException.notFound("Territory", id + " (basins are read at /basins/" + id + ")");
        }
        return kind;
    }

    /** The SQL order of a page: relevance has one direction (the largest bodies first), ties on name and id. */
    private static String orderOf(PageRequest page) {
        if (page.sortColumn().equals("relevance")) {
            return TerritoryRepository.RELEVANCE;
        }
        String direction = page.descending() ? " DESC" : " ASC";
        return page.sortColumn() + direction + (page.sortColumn().equals("population") ? " NULLS LAST" : "") + ", id"
                + direction;
    }

    private static TerritoryKind kindOf(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        try {
            TerritoryKind kind = TerritoryKind.valueOf(name.strip().toUpperCase(java.util.Locale.ROOT));
            if (kind != TerritoryKind.BASSIN) {
                return kind;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw ProblemException.invalid("kind", "one of REGION, DEPARTEMENT, COMMUNE, EPCI (basins: /basins)");
    }

    private TerritoryView view(String id) {
        if (id.endsWith(":null")) {
            return null;
        }
        return territories.find(id).map(r -> TerritoryView.of(r, null, null)).orElse(null);
    }

    private List<String> basinsOf(TerritoryRepository.Row row) {
        var t = row.territory();
        String epci = t.kind() == TerritoryKind.EPCI ? t.code() : t.epciSiren();
        return territories.basinsContaining(epci, t.eptSiren());
    }
}
