package fr.actionlogement.territorial.territories;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "territories"))
class BasinTest {

    static final String API = "/api/territories";

    @Inject
    DataSource dataSource;

    private final String uesl = TestTokens.uesl();

    long count(String sql) throws Exception {
        try (var c = dataSource.getConnection(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    @DisplayName("R-31 the twelve wave-1 basins of the 2013 protocol are seeded as demo data, each a set of EPCI")
    void wave1Basins() {
        given().auth().oauth2(TestTokens.observateur()).when().get(API + "/basins?wave=1&size=50")
                .then().statusCode(200).body("totalItems", is(12))
                .body("items.name", containsInAnyOrder("Île-de-France", "Bordeaux", "Grenoble", "Lille", "Lyon",
                        "Marseille", "Montpellier", "Nantes", "Nice", "Rennes", "Strasbourg", "Toulouse"))
                .body("items.demoData", org.hamcrest.Matchers.everyItem(is(true)));
        given().auth().oauth2(TestTokens.observateur()).when().get(API + "/basins/BASSIN:ile-de-france")
                .then().statusCode(200).body("epciSirens", hasItems("200054781", "200059889")).body("wave", is(1))
                .body("tension", is("Abis")).body("conferenceId", is("CT:ile-de-france:protocole-cadre-2013"));
        given().auth().oauth2(TestTokens.observateur()).when().get(API + "/basins/nope")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    @DisplayName("R-31 the UESL defines a basin (Idempotency-Key honoured); unknown EPCI and waves are refused; others get 403")
    void defineBasin() throws Exception {
        String key = UUID.randomUUID().toString();
        String body = """
                {"slug":"clermont","name":"Clermont-Ferrand","wave":2,"epciSirens":["246300701"],
                 "tension":"b1","tensionSource":"Zonage ABC 2014","protocolId":"protocole-cadre-2013"}""";
        given().auth().oauth2(uesl).contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .when().post(API + "/basins").then().statusCode(201).body("id", is("BASSIN:clermont"))
                .body("tension", is("B1")).body("conferenceId", is("CT:clermont:protocole-cadre-2013"));
        given().auth().oauth2(uesl).contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .when().post(API + "/basins").then().statusCode(201).header("Idempotent-Replayed", "true");
        given().auth().oauth2(uesl).contentType(ContentType.JSON).body(body)
                .when().post(API + "/basins").then().statusCode(409).contentType("application/problem+json");
        assertThat(count("SELECT count(*) FROM basin WHERE slug = 'clermont'")).isEqualTo(1);

        given().auth().oauth2(uesl).contentType(ContentType.JSON)
                .body(body.replace("clermont\"", "nowhere\"").replace("246300701", "999999999"))
                .when().post(API + "/basins").then().statusCode(422).body("rule", is("R-31"));
        given().auth().oauth2(uesl).contentType(ContentType.JSON)
                .body(body.replace("clermont\"", "wave3\"").replace("\"wave\":2", "\"wave\":3"))
                .when().post(API + "/basins").then().statusCode(400).body("errors.field", hasItem("wave"));
        for (String token : new String[] { TestTokens.cil("782855696"), TestTokens.delegue("84"),
                TestTokens.collectivite("200046977"), TestTokens.observateur() }) {
            given().auth().oauth2(token).contentType(ContentType.JSON).body(body.replace("clermont\"", "forbidden\""))
                    .when().post(API + "/basins").then().statusCode(403).contentType("application/problem+json");
        }
        assertThat(count("SELECT count(*) FROM basin WHERE slug IN ('nowhere', 'wave3', 'forbidden')")).isZero();

        String etag = given().auth().oauth2(uesl).when().get(API + "/basins/BASSIN:clermont").then().statusCode(200)
                .extract().header("ETag");
        given().auth().oauth2(uesl).contentType(ContentType.JSON).header("If-Match", "\"99\"")
                .body(body.replace("B1", "A").replace("b1", "A"))
                .when().put(API + "/basins/BASSIN:clermont").then().statusCode(412);
        given().auth().oauth2(uesl).contentType(ContentType.JSON).header("If-Match", etag)
                .body(body.replace("b1", "A"))
                .when().put(API + "/basins/BASSIN:clermont").then().statusCode(200).body("tension", is("A"));
        given().auth().oauth2(uesl).when().get(API + "/basins/BASSIN:clermont/history").then().statusCode(200)
                .body("items.action", hasItems("DEFINED", "REDEFINED"));
    }

    @Test
    @DisplayName("R-31 tension imported from a CSV by commune; a file with bad rows is refused row by row and imports nothing")
    void tensionCsv() {
        given().auth().oauth2(uesl).contentType("text/csv")
                .body("code_insee;zone\n33063;A\n31555;B1\n99999;A\n33063;B2\n13055;Z\n")
                .when().post(API + "/tension-imports?source=Zonage ABC 2014").then().statusCode(422)
                .contentType("application/problem+json").body("rule", is("R-31"))
                .body("errors.field", hasItems("line 4: code_insee", "line 5: code_insee", "line 6: zone"));
        given().auth().oauth2(uesl).when().get(API + "/territories/COMMUNE:33063").then().statusCode(200)
                .body("tension", nullValue());
        given().auth().oauth2(TestTokens.cil("782855696")).contentType("text/csv").body("33063;A\n")
                .when().post(API + "/tension-imports?source=x").then().statusCode(403);
        given().auth().oauth2(uesl).contentType("text/csv").body("33063;A\n")
                .when().post(API + "/tension-imports").then().statusCode(400).body("errors.field", hasItem("source"));
        given().auth().oauth2(uesl).contentType("text/csv").body("code_insee;zone\n33063;A\n31555;b1\n2A004;C\n")
                .when().post(API + "/tension-imports?source=Zonage ABC 2014").then().statusCode(200)
                .body("rows", is(3)).body("changed", is(3));
        given().auth().oauth2(TestTokens.observateur()).when().get(API + "/territories/COMMUNE:31555").then()
                .statusCode(200).body("tension", is("B1")).body("tensionSource", is("Zonage ABC 2014"));
        given().auth().oauth2(uesl).contentType("text/csv").body("code_insee;zone\n33063;A\n")
                .when().post(API + "/tension-imports?source=Zonage ABC 2014").then().statusCode(200).body("changed", is(0));
    }
}
