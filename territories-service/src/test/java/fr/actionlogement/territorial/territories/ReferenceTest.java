package fr.actionlogement.territorial.territories;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.territories.domain.TerritoryKind;
import fr.actionlogement.territorial.territories.persistence.ReferenceLoader;
import fr.actionlogement.territorial.territories.persistence.TerritoryRepository;
import fr.actionlogement.territorial.testsupport.KafkaTestClient;
import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "territories"))
class ReferenceTest {

    static final String SHIPPED = "classpath:reference/decoupage-administratif-6.0.0";

    @Inject
    TerritoryRepository territories;
    @Inject
    ReferenceLoader loader;
    @Inject
    DataSource dataSource;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private final String reader = TestTokens.observateur();

    long count(String sql) throws Exception {
        try (var c = dataSource.getConnection(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    @DisplayName("R-30 the shipped 2026 dataset loads with its official counts; overseas collectivities are filtered by zone")
    void shippedCounts() {
        Map<TerritoryKind, Long> counts = territories.countByKind(false);
        // 18 regions and 101 départements once the 8 overseas collectivities (zone com) are left out;
        // 34,969 communes actuelles; 1,255 EPCI + 11 EPT + Paris as territory T1.
        assertThat(counts).containsEntry(TerritoryKind.REGION, 18L).containsEntry(TerritoryKind.DEPARTEMENT, 101L)
                .containsEntry(TerritoryKind.COMMUNE, 34_969L).containsEntry(TerritoryKind.EPCI, 1_267L);
        given().auth().oauth2(reader).when().get("/api/territories/territories?kind=REGION&size=50")
                .then().statusCode(200).body("totalItems", is(18))
                .body("items.zone", everyItem(org.hamcrest.Matchers.oneOf("metro", "drom")));
        given().auth().oauth2(reader).when().get("/api/territories/territories/REGION:975").then().statusCode(404)
                .contentType("application/problem+json");
        // A commune of an overseas collectivity is kept, with no region nor département.
        given().auth().oauth2(reader).when().get("/api/territories/territories/COMMUNE:97502")
                .then().statusCode(200).body("zone", is("com")).body("regionCode", nullValue())
                .body("departementCode", nullValue()).body("epciSiren", nullValue());
    }

    @Test
    @DisplayName("R-30 a second load of the same data year changes and publishes nothing")
    void secondLoadChangesNothing() throws Exception {
        long outboxBefore = count("SELECT count(*) FROM outbox_event");
        long versions = count("SELECT sum(version) FROM territory");
        ReferenceLoader.LoadResult skipped = loader.load(SHIPPED, false);
        assertThat(skipped.skipped()).isTrue();
        // Skipped on its checksum alone (as every start-up does), still reporting the data year's territories.
        assertThat(skipped.unchanged()).isEqualTo(18 + 101 + 34_969 + 1_267);
        ReferenceLoader.LoadResult forced = loader.load(SHIPPED, true);
        assertThat(forced.skipped()).isFalse();
        assertThat(forced.checksum()).isEqualTo(skipped.checksum()); // the same checksum, parsed or not
        assertThat(forced.created() + forced.changed() + forced.retired()).isZero();
        assertThat(forced.unchanged()).isEqualTo(18 + 101 + 34_969 + 1_267);
        assertThat(count("SELECT count(*) FROM outbox_event")).isEqualTo(outboxBefore);
        assertThat(count("SELECT sum(version) FROM territory")).isEqualTo(versions);
    }

    @Test
    @DisplayName("R-30 the four island communes have no EPCI; the commune → EPCI link comes from epci.membres")
    void islandCommunesWithoutEpci() {
        for (String code : List.of("22016", "29083", "29155", "85113")) {
            given().auth().oauth2(reader).when().get("/api/territories/territories/COMMUNE:" + code)
                    .then().statusCode(200).body("zone", is("metro")).body("epciSiren", nullValue());
        }
        given().auth().oauth2(reader).when().get("/api/territories/territories?kind=COMMUNE&region=53&size=1")
                .then().statusCode(200);
        given().auth().oauth2(reader).when().get("/api/territories/territories/COMMUNE:01001")
                .then().statusCode(200).body("epciSiren", notNullValue());
    }

    @Test
    @DisplayName("R-30 Paris is in the Métropole du Grand Paris and in an EPT (territory T1); Lyon's metropolis is MET69")
    void parisAndLyon() {
        given().auth().oauth2(reader).when().get("/api/territories/territories/COMMUNE:75056/hierarchy")
                .then().statusCode(200)
                .body("epci.code", is("200054781")).body("epci.epciNature", is("METRO"))
                .body("ept.epciNature", is("EPT")).body("ept.code", is("217500016"))
                .body("departement.code", is("75")).body("region.code", is("11"))
                .body("basinIds", hasItem("BASSIN:ile-de-france"));
        given().auth().oauth2(reader).when().get("/api/territories/territories/COMMUNE:69123")
                .then().statusCode(200).body("epciSiren", is("200046977")).body("basinIds", contains("BASSIN:lyon"))
                .header("ETag", notNullValue());
        given().auth().oauth2(reader).when().get("/api/territories/territories/EPCI:200046977")
                .then().statusCode(200).body("epciNature", is("MET69")).body("name", is("Métropole de Lyon"))
                .body("basinIds", contains("BASSIN:lyon")).body("coveredByConventions", notNullValue());
        // GET by id reads the basins of the commune's EPCI or EPT in the same statement as the row.
        given().auth().oauth2(reader).when().get("/api/territories/territories/COMMUNE:75056")
                .then().statusCode(200).body("basinIds", hasItem("BASSIN:ile-de-france"));
        given().auth().oauth2(reader).when().get("/api/territories/territories/REGION:84")
                .then().statusCode(200).body("basinIds", empty());
        given().auth().oauth2(reader).when().get("/api/territories/territories/EPCI:200046977/members?size=200")
                .then().statusCode(200).body("items.code", hasItem("69123"));
        // An EPT of the Grand Paris lists its members; its communes are also in the MGP.
        given().auth().oauth2(reader).when().get("/api/territories/territories/COMMUNE:93001")
                .then().statusCode(200).body("epciSiren", is("200054781")).body("eptSiren", is("200057867"));
    }

    @Test
    @DisplayName("R-30 name search is accent- and case-insensitive, paginated with a stable order")
    void nameSearch() {
        given().auth().oauth2(reader).when().get("/api/territories/territories?q=saint etienne&kind=COMMUNE&size=100")
                .then().statusCode(200).body("items[0].name", is("Saint-Étienne"))
                .body("items.name", everyItem(org.hamcrest.Matchers.containsString("Étienne")));
        given().auth().oauth2(reader).when().get("/api/territories/territories?q=SAINT-ÉTIENNE&kind=COMMUNE&size=1")
                .then().statusCode(200).body("size", is(1))
                .header("Link", org.hamcrest.Matchers.containsString("rel=\"next\""));
        List<String> first = given().auth().oauth2(reader).when().get("/api/territories/territories?q=saint&size=5&page=0")
                .then().statusCode(200).extract().path("items.id");
        List<String> second = given().auth().oauth2(reader).when().get("/api/territories/territories?q=saint&size=5&page=1")
                .then().statusCode(200).extract().path("items.id");
        assertThat(first).doesNotContainAnyElementsOf(second);
        given().auth().oauth2(reader).when().get("/api/territories/territories?postcode=42100")
                .then().statusCode(200).body("items.code", hasItem("42218"));
        given().auth().oauth2(reader).when().get("/api/territories/territories?siren=200046977")
                .then().statusCode(200).body("items[0].id", equalTo("EPCI:200046977"));
        given().auth().oauth2(reader).when().get("/api/territories/territories?postcode=abc")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("postcode"));
        given().auth().oauth2(reader).when().get("/api/territories/territories?kind=PLANET")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("kind"));
        given().auth().oauth2(reader).when().get("/api/territories/territories?sort=nope")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(reader).when().get("/api/territories/territories/NOPE")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    @DisplayName("R-30 a former code (anciensCodes) still resolves to the commune that absorbed it")
    void formerCodesResolve() {
        // 01340 was merged into Arboys en Bugey (01015).
        given().auth().oauth2(reader).when().get("/api/territories/territories/COMMUNE:01340")
                .then().statusCode(200).body("code", is("01015")).body("formerCodes", hasItem("01340"));
    }

    @Test
    @DisplayName("R-30 every territory is published on the compacted reference topic, keyed by territory id")
    void publishedOnCompactedTopic() throws Exception {
        var records = new KafkaTestClient(bootstrap).await("territories.reference.v1",
                r -> "COMMUNE:69123".equals(r.key()) || "EPCI:200046977".equals(r.key()), 2, Duration.ofSeconds(90));
        assertThat(records).extracting(r -> r.key()).contains("COMMUNE:69123", "EPCI:200046977");
        assertThat(records.get(0).value()).contains("\"type\":\"fr.actionlogement.territories.TerritoryRegistered.v1\"");
        var props = new java.util.Properties();
        props.put("bootstrap.servers", bootstrap);
        try (var admin = org.apache.kafka.clients.admin.Admin.create(props)) {
            var resource = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "territories.reference.v1");
            var config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        }
    }

    @Test
    @DisplayName("R-30 reads need a valid token; loading a data year is for admins only")
    void authorization() {
        given().when().get("/api/territories/territories?q=lyon").then().statusCode(401)
                .contentType("application/problem+json");
        given().auth().oauth2(TestTokens.uesl()).when().post("/api/territories/reference/loads")
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.admin()).when().post("/api/territories/reference/loads")
                .then().statusCode(200).body("skipped", is(true));
    }
}
