package fr.actionlogement.territorial.observatory;

import static fr.actionlogement.territorial.observatory.Fixtures.API;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.testsupport.EventFixture;
import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "observatory"))
class AggregateTest {

    @Inject
    DataSource dataSource;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    Fixtures fx;
    Fixtures.Hierarchy h;

    @BeforeEach
    void data() {
        fx = new Fixtures(bootstrap, dataSource);
        h = fx.hierarchy();
        String I = ",DEMANDES_LOGEMENT_SALARIES,";
        importAs(TestTokens.uesl(), "SHARED", ""
                + h.commune1() + I + "JEUNES_SALARIES,2023-01,10,CIL\n"
                + h.commune1() + I + "JEUNES_SALARIES,2023-02,5,CIL\n"
                + h.commune2() + I + "JEUNES_SALARIES,2023-01,20,CIL\n"
                + h.commune2() + I + "SALARIES_EN_MOBILITE,2024-06,3,CIL\n"
                + h.commune1() + ",NIVEAU_LOYER,JEUNES_SALARIES,2023,10,OLL\n"
                + h.commune2() + ",NIVEAU_LOYER,JEUNES_SALARIES,2023,14,OLL\n"
                + h.epci() + ",CONSTRUCTION_NEUVE,JEUNES_SALARIES,2024,40,DREAL\n");
        importAs(TestTokens.uesl(), "PUBLIC", h.commune1() + I + "JEUNES_SALARIES,2023-03,100,CIL\n");
        importAs(TestTokens.uesl(), "DRAFT", h.commune2() + I + "JEUNES_SALARIES,2023-03,1000,CIL\n");
    }

    private void importAs(String token, String visibility, String rows) {
        given().auth().oauth2(token).contentType("text/csv")
                .body((ObservationTest.HEADER + rows).getBytes(StandardCharsets.UTF_8))
                .when().post(API + "/observations/imports?visibility=" + visibility).then().statusCode(201)
                .body("rowsRejected", is(0));
    }

    @Test
    @DisplayName("R-44 aggregates roll communes up to their EPCI, département and région, by public and year; drafts never count")
    void rollUp() {
        for (String t : List.of(h.epci(), h.departement(), h.region())) {
            given().auth().oauth2(TestTokens.cil("782855696"))
                    .when().get(API + "/aggregates?territoryId=" + t + "&indicator=DEMANDES_LOGEMENT_SALARIES"
                            + "&periodType=MONTH&from=2023&to=2024")
                    .then().statusCode(200).body("unit", is("demandes")).body("aggregation", is("SUM"))
                    .body("visibilities", contains("SHARED", "PUBLIC"))
                    .body("series.publicPrioritaire", contains("JEUNES_SALARIES", "SALARIES_EN_MOBILITE"))
                    .body("series[0].points.period", contains("2023"))
                    .body("series[0].points[0].value", is(135)) // 10 + 5 + 20 + 100, not the 1000 draft
                    .body("series[0].points[0].observations", is(4))
                    .body("series[1].points[0].period", is("2024"));
        }
        // by month, for one public
        given().auth().oauth2(TestTokens.uesl())
                .when().get(API + "/aggregates?territoryId=" + h.epci() + "&indicator=DEMANDES_LOGEMENT_SALARIES"
                        + "&publicPrioritaire=JEUNES_SALARIES&granularity=MONTH&from=2023-01&to=2023-12")
                .then().statusCode(200).body("series", hasSize(1))
                .body("series[0].points.period", contains("2023-01", "2023-02", "2023-03"))
                .body("series[0].points.value", contains(30, 5, 100));
        // a commune alone
        given().auth().oauth2(TestTokens.uesl())
                .when().get(API + "/aggregates?territoryId=" + h.commune1() + "&indicator=DEMANDES_LOGEMENT_SALARIES"
                        + "&periodType=MONTH&from=2023&to=2023")
                .then().statusCode(200).body("series[0].points[0].value", is(115));
    }

    /** The national figure of 2017 (a year only this test writes) for the caller: value and observations. */
    private double[] national2017(String token) {
        var series = given().auth().oauth2(token)
                .when().get(API + "/aggregates?territoryId=NATION:FR&indicator=DEMANDES_LOGEMENT_SALARIES"
                        + "&publicPrioritaire=SALARIES_PRECAIRES_MODESTES&periodType=MONTH&from=2017&to=2017")
                .then().statusCode(200).body("territoryName", is("France")).extract().jsonPath();
        List<Number> values = series.getList("series[0].points.value");
        List<Number> counts = series.getList("series[0].points.observations");
        return values == null || values.isEmpty() ? new double[] { 0, 0 }
                : new double[] { values.get(0).doubleValue(), counts.get(0).doubleValue() };
    }

    @Test
    @DisplayName("R-44 the national level rolls every région's territories up (overseas communes included, basins not twice), with the same visibility rules")
    void nationalLevel() {
        Fixtures.Hierarchy other = fx.hierarchy();
        String overseas = "COMMUNE:97" + Fixtures.unique();
        fx.territory(overseas, "COMMUNE", overseas.substring(8), "Commune d'outre-mer", null, null, null);
        fx.awaitCount("SELECT count(*) FROM territory_ancestor WHERE territory_id = '" + overseas + "'", 1);
        String basin = "BASSIN:n" + Fixtures.unique().toLowerCase();
        fx.send(Fixtures.territories("BasinDefined").subject(basin).with("basinId", basin).with("name", "Bassin")
                .with("wave", 1).with("epciSirens", List.of(other.epci().substring(5))));
        fx.awaitCount("SELECT count(*) FROM territory_ancestor WHERE ancestor_id = '" + basin + "'", 4);
        double[] partnerBefore = national2017(TestTokens.cil("782855696"));
        double[] observerBefore = national2017(TestTokens.observateur());

        String I = ",DEMANDES_LOGEMENT_SALARIES,SALARIES_PRECAIRES_MODESTES,";
        importAs(TestTokens.uesl(), "SHARED", h.commune1() + I + "2017-01,7,CIL\n"
                + other.commune1() + I + "2017-02,11,CIL\n" + overseas + I + "2017-05,2,CIL\n"
                + basin + I + "2017-06,500,CIL\n");
        importAs(TestTokens.uesl(), "PUBLIC", other.commune2() + I + "2017-03,13,CIL\n");
        importAs(TestTokens.uesl(), "DRAFT", h.commune2() + I + "2017-04,1000,CIL\n");

        double[] partner = national2017(TestTokens.cil("782855696"));
        double[] observer = national2017(TestTokens.observateur());
        // 7 + 11 + 13 + 2: the two régions, the overseas commune; not the basin's 500, not the 1000 draft
        org.assertj.core.api.Assertions.assertThat(partner[0] - partnerBefore[0]).isEqualTo(33);
        org.assertj.core.api.Assertions.assertThat(partner[1] - partnerBefore[1]).isEqualTo(4);
        org.assertj.core.api.Assertions.assertThat(observer[0] - observerBefore[0]).isEqualTo(13);
        // the national figure is the régions' roll-ups put together (here: 7 on one, 11 + 13 on the other)
        for (var regionAndValue : List.of(List.of(h.region(), 7), List.of(other.region(), 24))) {
            given().auth().oauth2(TestTokens.cil("782855696"))
                    .when().get(API + "/aggregates?territoryId=" + regionAndValue.get(0)
                            + "&indicator=DEMANDES_LOGEMENT_SALARIES&publicPrioritaire=SALARIES_PRECAIRES_MODESTES"
                            + "&periodType=MONTH&from=2017&to=2017")
                    .then().statusCode(200).body("series[0].points[0].value", is(regionAndValue.get(1)));
        }
        // by month, and the same parameter checks as any territory
        given().auth().oauth2(TestTokens.uesl())
                .when().get(API + "/aggregates?territoryId=NATION:FR&indicator=DEMANDES_LOGEMENT_SALARIES"
                        + "&publicPrioritaire=SALARIES_PRECAIRES_MODESTES&granularity=MONTH&from=2017-01&to=2017-03")
                .then().statusCode(200).body("territoryId", is("NATION:FR"))
                .body("series[0].points.period", hasItem("2017-03"));
        given().auth().oauth2(TestTokens.uesl())
                .when().get(API + "/aggregates?territoryId=NATION:XX&indicator=DEMANDES_LOGEMENT_SALARIES")
                .then().statusCode(400).body("errors.field", hasItem("territoryId"));
        given().auth().oauth2(TestTokens.uesl())
                .when().get(API + "/aggregates?territoryId=NATION:FR&indicator=NOPE")
                .then().statusCode(400).body("errors.field", hasItem("indicator"));
        given().when().get(API + "/aggregates?territoryId=NATION:FR&indicator=NIVEAU_LOYER").then().statusCode(401);
    }

    @Test
    @DisplayName("R-44 an AVERAGE indicator (rent level) is averaged, not summed; observers see public figures only")
    void averagesAndObserverView() {
        given().auth().oauth2(TestTokens.collectivite("69123"))
                .when().get(API + "/aggregates?territoryId=" + h.epci() + "&indicator=NIVEAU_LOYER&from=2023&to=2023")
                .then().statusCode(200).body("aggregation", is("AVERAGE")).body("series[0].points[0].value", is(12));
        given().auth().oauth2(TestTokens.observateur())
                .when().get(API + "/aggregates?territoryId=" + h.region() + "&indicator=DEMANDES_LOGEMENT_SALARIES"
                        + "&periodType=MONTH&from=2023&to=2023")
                .then().statusCode(200).body("visibilities", contains("PUBLIC"))
                .body("series[0].points[0].value", is(100));
    }

    @Test
    @DisplayName("R-44 bad aggregate queries are 400 naming the parameter; an unknown territory is 404")
    void badQueries() {
        given().auth().oauth2(TestTokens.uesl()).when().get(API + "/aggregates?indicator=NIVEAU_LOYER")
                .then().statusCode(400).body("errors.field", hasItem("territoryId"));
        given().auth().oauth2(TestTokens.uesl())
                .when().get(API + "/aggregates?territoryId=" + h.epci() + "&indicator=NIVEAU_LOYER&granularity=WEEK")
                .then().statusCode(400).body("errors.field", hasItem("granularity"));
        given().auth().oauth2(TestTokens.uesl())
                .when().get(API + "/aggregates?territoryId=" + h.epci() + "&indicator=NOPE")
                .then().statusCode(400).body("errors.field", hasItem("indicator"));
        given().auth().oauth2(TestTokens.uesl())
                .when().get(API + "/aggregates?territoryId=EPCI:000000000&indicator=NIVEAU_LOYER")
                .then().statusCode(404);
        given().when().get(API + "/aggregates?territoryId=" + h.epci() + "&indicator=NIVEAU_LOYER").then().statusCode(401);
    }

    /** An achievement of objective o1 as conventions-service writes it: its own achievement id, a new event. */
    private static EventFixture achievement(String conventionId, String territoryId, long value) {
        return Fixtures.conventions("AchievementRecorded").subject(conventionId).with("conventionId", conventionId)
                .with("achievementId", UUID.randomUUID().toString()).with("objectiveId", "o1")
                .with("territoryId", territoryId).with("indicator", "CONSTRUCTION_NEUVE")
                .with("publicPrioritaire", "JEUNES_SALARIES").with("year", 2024).with("value", value)
                .with("recordedOn", "2024-12-31");
    }

    @Test
    @DisplayName("R-44 a signed convention's objectives are compared with its achievements and the needs observed on its territory")
    void conventionComparison() {
        String conv = "CONV-" + UUID.randomUUID();
        fx.send(Fixtures.conventionSigned(conv, h.epci(), "2023-05-12", List.of(
                Fixtures.objective("o1", "CONSTRUCTION_NEUVE", "JEUNES_SALARIES", 2024, 50),
                Fixtures.objective("o2", "ACCES_PARC_SOCIAL", "JEUNES_SALARIES", 2023, 80))));
        EventFixture achievement = achievement(conv, h.epci(), 20);
        fx.send(achievement);
        fx.send(achievement); // redelivered: counted once
        fx.send(achievement(conv, h.epci(), 10));
        fx.awaitCount("SELECT count(*) FROM convention_achievement WHERE convention_id = '" + conv + "'", 2);

        given().auth().oauth2(TestTokens.delegue("84")).when().get(API + "/conventions/" + conv + "/comparison")
                .then().statusCode(200).body("territoryId", is(h.epci()))
                .body("objectives.objectiveId", contains("o2", "o1"))
                .body("objectives[1].target", is(50)).body("objectives[1].achieved", is(30))
                .body("objectives[1].progressPercent", is(60))
                .body("objectives[1].observed", is(40)).body("objectives[1].targetShareOfObservedPercent", is(125))
                .body("objectives[0].achieved", is(0)).body("objectives[0].observed", nullValue())
                // 2023 needs of young employees on the EPCI: monthly demands summed, the yearly rent level averaged
                .body("objectives[0].observedNeeds.indicator", contains("DEMANDES_LOGEMENT_SALARIES", "NIVEAU_LOYER"))
                .body("objectives[0].observedNeeds[0].value", is(135))
                .body("objectives[0].observedNeeds[0].basis", is("MONTH"))
                .body("objectives[0].observedNeeds[1].basis", is("YEAR"));
        given().auth().oauth2(TestTokens.uesl()).when().get(API + "/conventions/CONV-unknown/comparison")
                .then().statusCode(404);
    }
}
