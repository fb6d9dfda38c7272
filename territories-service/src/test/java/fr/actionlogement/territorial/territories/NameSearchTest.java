package fr.actionlogement.territorial.territories;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.territories.domain.Names;
import fr.actionlogement.territorial.territories.persistence.TerritoryRepository;
import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Search as people type (issue 15), on the full shipped reference (34,969 communes, 1,267 EPCI and EPT, 101
 * départements, 18 régions) in a real PostgreSQL.
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "territories"))
class NameSearchTest {

    static final String METROPOLE_DE_LYON = "EPCI:200046977";
    static final String LYON = "COMMUNE:69123";
    static final String SAINT_ETIENNE_METROPOLE = "EPCI:244200770";
    static final String SAINT_ETIENNE = "COMMUNE:42218";
    static final Map<String, Integer> KIND_RANK = Map.of("REGION", 0, "DEPARTEMENT", 1, "EPCI", 2, "COMMUNE", 3);

    @Inject
    TerritoryRepository territories;
    @Inject
    DataSource dataSource;

    private final String reader = TestTokens.observateur();

    private JsonPath search(String query) {
        return given().auth().oauth2(reader).queryParam("q", query).queryParam("size", 200)
                .when().get("/api/territories/territories").then().statusCode(200).extract().jsonPath();
    }

    /** Every returned name has, for each typed word, a word (or its abbreviation) that begins with it. */
    private static void everyNameMatches(JsonPath page, String... typed) {
        for (String name : page.<String> getList("items.name")) {
            List<String> words = List.of(Names.searchKey(name).split(" "));
            for (String t : typed) {
                assertThat(words).as(name + " for " + t).anyMatch(w -> w.startsWith(t)
                        || (t.equals("st") && w.equals("saint")) || (t.equals("ste") && w.equals("sainte")));
            }
        }
    }

    /** Régions, départements, EPCI, then communes; the most populous first within a kind. */
    private static void rankedByKindThenPopulation(JsonPath page) {
        List<String> kinds = page.getList("items.kind");
        List<Integer> populations = page.getList("items.population");
        for (int i = 1; i < kinds.size(); i++) {
            int before = KIND_RANK.get(kinds.get(i - 1));
            int here = KIND_RANK.get(kinds.get(i));
            assertThat(here).as("kind order at " + i).isGreaterThanOrEqualTo(before);
            if (here == before && populations.get(i) != null) {
                assertThat(populations.get(i - 1)).as("population order at " + i).isNotNull()
                        .isGreaterThanOrEqualTo(populations.get(i));
            }
        }
    }

    @Test
    @DisplayName("R-30 search as people type: a word anywhere in the name ('lyon' finds Métropole de Lyon, then Lyon)")
    void wordAnywhereInTheName() {
        JsonPath lyon = search("lyon");
        List<String> ids = lyon.getList("items.id");
        assertThat(ids.get(0)).isEqualTo(METROPOLE_DE_LYON);
        assertThat(ids).contains(LYON);
        // Lyon is the first commune: the most populous one whose name has a word beginning with "lyon"
        assertThat(ids.stream().filter(id -> id.startsWith("COMMUNE:")).findFirst()).hasValue(LYON);
        // EPCI whose name only contains the word ("CC des Monts du Lyonnais") are found too
        assertThat(lyon.<String> getList("items.name")).contains("CC des Monts du Lyonnais");
        everyNameMatches(lyon, "lyon");
        rankedByKindThenPopulation(lyon);
    }

    @Test
    @DisplayName("R-30 search as people type: 'st etienne', 'etienne', 'Saint-Étienne' all find Saint-Étienne Métropole, then Saint-Étienne")
    void abbreviationsAccentsAndCase() {
        for (String typed : List.of("st etienne", "etienne", "Saint-Étienne", "ST ÉTIENNE", "saint etienne", "st-eti")) {
            JsonPath page = search(typed);
            List<String> ids = page.getList("items.id");
            assertThat(ids).as(typed).startsWith(SAINT_ETIENNE_METROPOLE);
            assertThat(ids.stream().filter(id -> id.startsWith("COMMUNE:")).findFirst()).as(typed).hasValue(SAINT_ETIENNE);
            rankedByKindThenPopulation(page);
        }
        everyNameMatches(search("st etienne"), "st", "etienne");
        // "ste" is sainte: Sainte-Foy-lès-Lyon
        JsonPath ste = search("ste foy");
        assertThat(ste.<String> getList("items.name")).contains("Sainte-Foy-lès-Lyon");
        everyNameMatches(ste, "ste", "foy");
        // EPCI kinds spelled out or abbreviated
        JsonPath cu = search("communaute urbaine");
        assertThat(cu.getInt("totalItems")).isPositive();
        assertThat(cu.<String> getList("items.name")).allMatch(n -> n.startsWith("CU "));
        assertThat(search("cu").<String> getList("items.name")).contains(cu.<String> getList("items.name").get(0));
        JsonPath agglo = search("agglo");
        assertThat(agglo.<String> getList("items.kind")).contains("EPCI");
        assertThat(agglo.<String> getList("items.name").stream().filter(n -> n.startsWith("CA ")).count()).isPositive();
    }

    @Test
    @DisplayName("R-30 search as people type: every typed word is required, in any order; kinds rank régions first")
    void allWordsRequiredAndKindRanking() {
        JsonPath both = search("lyon saint");
        everyNameMatches(both, "lyon", "saint");
        assertThat(both.<String> getList("items.name"))
                .containsExactly("CC Lyon-Saint-Exupéry en Dauphiné", "Sainte-Foy-lès-Lyon")
                .doesNotContain("Métropole de Lyon", "Lyon");
        assertThat(search("saint lyon").getInt("totalItems")).isEqualTo(both.getInt("totalItems"));
        assertThat(search("lyon zzzz").getInt("totalItems")).isZero();
        JsonPath loire = search("loire");
        assertThat(loire.<String> getList("items.kind").subList(0, 2)).containsOnly("REGION");
        assertThat(loire.<String> getList("items.kind").subList(2, 9)).containsOnly("DEPARTEMENT");
        assertThat(loire.<String> getList("items.name")).contains("Pays de la Loire", "Centre-Val de Loire", "Loire",
                "Loire-Atlantique", "Haute-Loire");
        rankedByKindThenPopulation(loire);
        // an explicit sort still wins; a kind filter still applies
        List<String> byName = given().auth().oauth2(reader).when().get("/api/territories/territories?q=lyon&sort=name&size=50")
                .then().statusCode(200).extract().path("items.name");
        assertThat(byName).hasSize(13).startsWith("Beauficel-en-Lyons")
                .isSortedAccordingTo(java.util.Comparator.comparing(Names::searchKey));
        given().auth().oauth2(reader).when().get("/api/territories/territories?q=lyon&kind=COMMUNE&size=1")
                .then().statusCode(200).body("items[0].id", is(LYON));
        given().auth().oauth2(reader).when().get("/api/territories/territories?sort=relevance,desc&size=1")
                .then().statusCode(200).body("items[0].kind", is("REGION"));
        given().auth().oauth2(reader).when().get("/api/territories/territories?q=" + "x".repeat(101))
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("q"));
    }

    @Test
    @DisplayName("R-30 search as people type is index-backed: PostgreSQL's plan of the one statement (count and page) scans territory_name_words once")
    void indexBacked() throws Exception {
        // The steady state: autovacuum analyses the table soon after a load.
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute("ANALYZE territory");
        }
        assertThat(territories.countByKind(false).values().stream().mapToLong(Long::longValue).sum())
                .isGreaterThan(36_000);
        for (String typed : List.of("lyon", "st etienne", "etienne", "metropole", "ste foy")) {
            List<String> plans = territories.searchPlans(new TerritoryRepository.Filter(Names.searchWords(typed),
                    null, null, null, null, null, null, null, false), TerritoryRepository.RELEVANCE, 20, 0);
            String plan = String.join("\n", plans);
            assertThat(plan).as(typed + ":\n" + plan).contains("Bitmap Index Scan on territory_name_words")
                    .doesNotContain("Seq Scan");
            assertThat(plans.stream().filter(l -> l.contains("territory_name_words")).count()).as(plan).isEqualTo(1);
        }
    }
}
