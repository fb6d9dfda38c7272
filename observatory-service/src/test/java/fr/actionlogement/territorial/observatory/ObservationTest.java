package fr.actionlogement.territorial.observatory;

import static fr.actionlogement.territorial.observatory.Fixtures.API;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "observatory"))
class ObservationTest {

    static final String HEADER = "territoryId,indicator,publicPrioritaire,period,value,source\n";
    static final String CIL_A = "782855696";
    static final String CIL_B = "552081317";

    @Inject
    DataSource dataSource;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    Fixtures fx;
    Fixtures.Hierarchy h;

    @BeforeEach
    void territory() {
        fx = new Fixtures(bootstrap, dataSource);
        h = fx.hierarchy();
    }

    private String obs(String territory, String indicator, String period, String value, String visibility) {
        return """
                {"territoryId":"%s","indicator":"%s","publicPrioritaire":"JEUNES_SALARIES","period":"%s","value":%s,
                 "source":"CIL demand file"%s}""".formatted(territory, indicator, period, value,
                visibility == null ? "" : ",\"visibility\":\"" + visibility + "\"");
    }

    private ValidatableResponse record(String token, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).when().post(API + "/observations")
                .then();
    }

    private ValidatableResponse importCsv(String token, String csv, String query) {
        return given().auth().oauth2(token).contentType("text/csv").body(csv.getBytes(StandardCharsets.UTF_8))
                .when().post(API + "/observations/imports" + query).then();
    }

    private long observationsOn(String territory) {
        return fx.count("SELECT count(*) FROM observation WHERE territory_id = '" + territory + "'");
    }

    @Test
    @DisplayName("R-43 a draft observation is seen by its producer and the UESL only; shared by partners; public by everybody")
    void visibilityRules() {
        int id = record(TestTokens.cil(CIL_A), obs(h.commune1(), "DEMANDES_LOGEMENT_SALARIES", "2024-03", "412", null))
                .statusCode(201).body("visibility", is("DRAFT")).body("producer", is("CIL:" + CIL_A)).extract().path("id");
        String url = API + "/observations/" + id;
        given().auth().oauth2(TestTokens.cil(CIL_A)).when().get(url).then().statusCode(200).header("ETag", is("\"0\""));
        given().auth().oauth2(TestTokens.uesl()).when().get(url).then().statusCode(200);
        given().auth().oauth2(TestTokens.cil(CIL_B)).when().get(url).then().statusCode(404);
        given().auth().oauth2(TestTokens.observateur()).when().get(url).then().statusCode(404);
        given().auth().oauth2(TestTokens.cil(CIL_B)).when().get(API + "/observations?territoryId=" + h.commune1())
                .then().statusCode(200).body("totalItems", is(0));

        // only the producer (or the UESL) publishes; another CIL cannot even see the draft
        given().auth().oauth2(TestTokens.cil(CIL_B)).contentType(ContentType.JSON).header("If-Match", "\"0\"")
                .body("{\"visibility\":\"SHARED\"}").when().post(url + "/publication").then().statusCode(404);
        given().auth().oauth2(TestTokens.cil(CIL_A)).contentType(ContentType.JSON)
                .body("{\"visibility\":\"SHARED\"}").when().post(url + "/publication").then().statusCode(428);
        given().auth().oauth2(TestTokens.cil(CIL_A)).contentType(ContentType.JSON).header("If-Match", "\"0\"")
                .body("{\"visibility\":\"SHARED\",\"reason\":\"validated\"}").when().post(url + "/publication")
                .then().statusCode(200).body("visibility", is("SHARED")).header("ETag", is("\"1\""));
        given().auth().oauth2(TestTokens.cil(CIL_B)).when().get(url).then().statusCode(200);
        given().auth().oauth2(TestTokens.collectivite("69123")).when().get(url).then().statusCode(200);
        given().auth().oauth2(TestTokens.observateur()).when().get(url).then().statusCode(404);
        // a partner who sees it still cannot change it
        given().auth().oauth2(TestTokens.cil(CIL_B)).contentType(ContentType.JSON).header("If-Match", "\"1\"")
                .body("{\"value\":1,\"source\":\"x\"}").when().put(url).then().statusCode(403);
        // publication never goes backwards
        given().auth().oauth2(TestTokens.cil(CIL_A)).contentType(ContentType.JSON).header("If-Match", "\"1\"")
                .body("{\"visibility\":\"DRAFT\"}").when().post(url + "/publication").then().statusCode(409)
                .body("rule", is("R-43"));
        given().auth().oauth2(TestTokens.uesl()).contentType(ContentType.JSON).header("If-Match", "\"1\"")
                .body("{\"visibility\":\"PUBLIC\"}").when().post(url + "/publication").then().statusCode(200);
        given().auth().oauth2(TestTokens.observateur()).when().get(url).then().statusCode(200);
        given().auth().oauth2(TestTokens.uesl()).when().get(url + "/history").then().statusCode(200)
                .body("items.action", contains("RECORDED", "PUBLISHED_SHARED", "PUBLISHED_PUBLIC"));
        assertThat(fx.kafka().await("observatory.events.v1",
                r -> r.value().contains("ObservationsPublished") && r.value().contains(h.commune1()), 2,
                Duration.ofSeconds(20))).hasSize(2);
    }

    @Test
    @DisplayName("R-43 an observation names a known territory, a catalogue indicator, a period and a value >= 0")
    void singleWriteValidation() {
        record(TestTokens.uesl(), obs("COMMUNE:00000", "DEMANDES_LOGEMENT_SALARIES", "2024", "1", null))
                .statusCode(422).body("rule", is("R-43")).body("detail", containsString("COMMUNE:00000"));
        record(TestTokens.uesl(), obs(h.commune1(), "UNKNOWN_INDICATOR", "2024", "1", null))
                .statusCode(422).body("rule", is("R-43"));
        record(TestTokens.uesl(), obs(h.commune1(), "DEMANDES_LOGEMENT_SALARIES", "2024-13", "1", null))
                .statusCode(400).body("errors.field", hasItem("period"));
        record(TestTokens.uesl(), obs(h.commune1(), "DEMANDES_LOGEMENT_SALARIES", "2024", "-5", null))
                .statusCode(400).body("errors.field", hasItem("value"));
        record(TestTokens.observateur(), obs(h.commune1(), "DEMANDES_LOGEMENT_SALARIES", "2024", "1", null))
                .statusCode(403);
        record(TestTokens.uesl(), obs(h.commune1(), "DEMANDES_LOGEMENT_SALARIES", "2024", "7", null)).statusCode(201);
        record(TestTokens.uesl(), obs(h.commune1(), "DEMANDES_LOGEMENT_SALARIES", "2024", "8", null))
                .statusCode(409).body("rule", is("R-43"));
        assertThat(observationsOn(h.commune1())).isEqualTo(1);
    }

    @Test
    @DisplayName("R-43 a CSV import keeps the good rows and reports each bad row with its line and reason")
    void csvImportReportsBadRows() {
        String csv = HEADER
                + h.commune1() + ",DEMANDES_LOGEMENT_SALARIES,JEUNES_SALARIES,2024-01,10,CIL A\n"
                + h.commune2() + ",DEMANDES_LOGEMENT_SALARIES,JEUNES_SALARIES,2024-01,20.5,CIL A\n"
                + "COMMUNE:00000,DEMANDES_LOGEMENT_SALARIES,JEUNES_SALARIES,2024-01,1,CIL A\n" // line 4
                + h.commune1() + ",NOPE,JEUNES_SALARIES,2024-01,1,CIL A\n" // line 5
                + h.commune1() + ",DEMANDES_LOGEMENT_SALARIES,RETRAITES,2024-01,1,CIL A\n" // line 6
                + h.commune1() + ",DEMANDES_LOGEMENT_SALARIES,JEUNES_SALARIES,2024-13,1,CIL A\n" // line 7
                + h.commune1() + ",DEMANDES_LOGEMENT_SALARIES,JEUNES_SALARIES,2024-02,abc,CIL A\n" // line 8
                + h.commune1() + ",DEMANDES_LOGEMENT_SALARIES,JEUNES_SALARIES,2024-02\n" // line 9
                + h.commune1() + ",DEMANDES_LOGEMENT_SALARIES,JEUNES_SALARIES,2024-01,11,CIL A\n" // line 10: duplicate of 2
                + "\n"
                + h.commune1() + ",NIVEAU_LOYER,SALARIES_EN_MOBILITE,2024,12.75,\"Observatoire, loyers\"\n"; // line 12
        String batchId = importCsv(TestTokens.cil(CIL_A), csv, "").statusCode(201)
                .body("rowsRead", is(10)).body("rowsImported", is(3)).body("rowsRejected", is(7))
                .body("rejections.line", contains(4, 5, 6, 7, 8, 9, 10))
                .body("rejections[0].reason", containsString("territoryId"))
                .body("rejections[1].reason", containsString("indicator"))
                .body("rejections[2].reason", containsString("publicPrioritaire"))
                .body("rejections[3].reason", containsString("period"))
                .body("rejections[4].reason", containsString("value"))
                .body("rejections[5].reason", containsString("fields"))
                .body("rejections[6].reason", containsString("duplicate"))
                .extract().path("batchId");
        assertThat(observationsOn(h.commune1()) + observationsOn(h.commune2())).isEqualTo(3);
        given().auth().oauth2(TestTokens.cil(CIL_A)).when().get(API + "/observations/imports/" + batchId)
                .then().statusCode(200).body("rowsRejected", is(7)).body("visibility", is("DRAFT"));
        given().auth().oauth2(TestTokens.cil(CIL_A)).when()
                .get(API + "/observations/imports/" + batchId + "/rejections?size=2&page=1")
                .then().statusCode(200).body("totalItems", is(7)).body("items.line", contains(6, 7));
        // another CIL does not see this producer's import
        given().auth().oauth2(TestTokens.cil(CIL_B)).when().get(API + "/observations/imports/" + batchId)
                .then().statusCode(404);
        // sharing the whole import publishes ObservationsPublished once
        given().auth().oauth2(TestTokens.cil(CIL_A)).contentType(ContentType.JSON).header("If-Match", "\"0\"")
                .body("{\"visibility\":\"SHARED\"}").when().post(API + "/observations/imports/" + batchId + "/publication")
                .then().statusCode(200).body("visibility", is("SHARED"));
        given().auth().oauth2(TestTokens.cil(CIL_B)).when().get(API + "/observations?batchId=" + batchId)
                .then().statusCode(200).body("totalItems", is(3));
        assertThat(fx.kafka().await("observatory.events.v1", r -> batchId.equals(r.key()), 1, Duration.ofSeconds(20)))
                .singleElement().satisfies(r -> assertThat(r.value()).contains("\"observationCount\":3"));
    }

    @Test
    @DisplayName("R-43 a CSV with more bad rows than tolerated imports nothing (no partial import)")
    void csvImportAllOrNothing() {
        String csv = HEADER
                + h.commune1() + ",DEMANDES_LOGEMENT_SALARIES,JEUNES_SALARIES,2024-01,10,CIL A\n"
                + h.commune1() + ",DEMANDES_LOGEMENT_SALARIES,JEUNES_SALARIES,2024-99,10,CIL A\n";
        long batches = fx.count("SELECT count(*) FROM observation_batch");
        importCsv(TestTokens.cil(CIL_A), csv, "?maxRejected=0").statusCode(422).contentType("application/problem+json")
                .body("rule", is("R-43")).body("detail", containsString("nothing was imported"))
                .body("errors[0].field", is("line 3"));
        assertThat(observationsOn(h.commune1())).isZero();
        assertThat(fx.count("SELECT count(*) FROM observation_batch")).isEqualTo(batches);
    }

    @Test
    @DisplayName("R-43 fatal CSV errors import nothing: bad header (400), not UTF-8 (400), wrong media type (415)")
    void csvFatalErrors() {
        importCsv(TestTokens.uesl(), "territory,indicator\nx,y\n", "").statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", is("file"));
        importCsv(TestTokens.uesl(), "", "").statusCode(400);
        byte[] latin1 = (HEADER + h.commune1() + ",DEMANDES_LOGEMENT_SALARIES,JEUNES_SALARIES,2024,1,Créteil\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        given().auth().oauth2(TestTokens.uesl()).contentType("text/csv").body(latin1)
                .when().post(API + "/observations/imports").then().statusCode(400).body("detail", containsString("UTF-8"));
        given().auth().oauth2(TestTokens.uesl()).contentType(ContentType.JSON).body("{}")
                .when().post(API + "/observations/imports").then().statusCode(415);
        importCsv(TestTokens.uesl(), HEADER, "?visibility=SECRET").statusCode(400).body("errors.field", hasItem("visibility"));
        importCsv(TestTokens.observateur(), HEADER, "").statusCode(403);
        assertThat(observationsOn(h.commune1())).isZero();
    }

    @Test
    @DisplayName("R-43 CSV and JSON exports stream what the caller may see, and the CSV re-imports")
    void exports() {
        String csv = HEADER
                + h.commune1() + ",MOBILITES_PROFESSIONNELLES,SALARIES_EN_MOBILITE,2023,5,INSEE\n"
                + h.commune2() + ",MOBILITES_PROFESSIONNELLES,SALARIES_EN_MOBILITE,2023,7,INSEE\n";
        importCsv(TestTokens.uesl(), csv, "?visibility=PUBLIC").statusCode(201).body("rowsImported", is(2));
        record(TestTokens.cil(CIL_A), obs(h.commune1(), "MOBILITES_PROFESSIONNELLES", "2024", "9", null)).statusCode(201);

        String exported = given().auth().oauth2(TestTokens.observateur()).accept("text/csv")
                .when().get(API + "/observations/export?territoryId=" + h.epci() + "&includeSubTerritories=true")
                .then().statusCode(200).contentType(containsString("text/csv")).extract().asString();
        assertThat(exported.lines()).hasSize(3).first().asString().startsWith(HEADER.trim());
        assertThat(exported).contains(h.commune2() + ",MOBILITES_PROFESSIONNELLES,SALARIES_EN_MOBILITE,2023,7,INSEE,");
        given().auth().oauth2(TestTokens.cil(CIL_A))
                .when().get(API + "/observations/export?format=json&territoryId=" + h.commune1())
                .then().statusCode(200).body("$", hasSize(2)).body("period", hasItem("2024"));

        // the first six columns are the import format: re-importing elsewhere is a duplicate, so every row is rejected
        String reimport = exported.lines().map(l -> String.join(",", java.util.Arrays.copyOf(l.split(","), 6)))
                .reduce("", (a, b) -> a + b + "\n");
        importCsv(TestTokens.uesl(), reimport, "").statusCode(201).body("rowsRejected", is(2))
                .body("rejections[0].reason", containsString("duplicate"));
    }

    @Test
    @DisplayName("R-43 an import's Idempotency-Key covers the file's bytes: a retry replays, another file of the same length is refused")
    void importIdempotencyCoversTheFile() {
        String key = "import-" + UUID.randomUUID();
        String first = HEADER + h.commune1() + ",MOBILITES_PROFESSIONNELLES,SALARIES_EN_MOBILITE,2021,5,INSEE\n";
        String sameLength = HEADER + h.commune1() + ",MOBILITES_PROFESSIONNELLES,SALARIES_EN_MOBILITE,2021,6,INSEE\n";
        assertThat(sameLength).hasSameSizeAs(first);
        String batch = importKeyed(key, first).statusCode(201).body("rowsImported", is(1)).extract().path("batchId");
        importKeyed(key, first).statusCode(201).header("Idempotent-Replayed", "true").body("batchId", is(batch));
        importKeyed(key, sameLength).statusCode(422).contentType("application/problem+json")
                .body("type", is("/problems/idempotency-key-reused"));
        assertThat(fx.count("SELECT count(*) FROM observation WHERE territory_id = '" + h.commune1()
                + "' AND period_start = DATE '2021-01-01'")).isEqualTo(1);
    }

    private ValidatableResponse importKeyed(String key, String csv) {
        return given().auth().oauth2(TestTokens.uesl()).contentType("text/csv").header("Idempotency-Key", key)
                .body(csv.getBytes(StandardCharsets.UTF_8)).when().post(API + "/observations/imports").then();
    }

    @Test
    @DisplayName("the CSV export neutralises formulas and keeps one row per observation whatever the source text holds")
    void exportNeutralisesFormulas() {
        String formula = "=HYPERLINK(\\\"http://evil.example\\\",\\\"x\\\")";
        String[] sources = { formula, "@SUM(A1)", "line\\rbreak" }; // JSON escapes: the last holds a CR
        for (int i = 0; i < sources.length; i++) {
            String body = obs(h.commune2(), "DEMANDES_LOGEMENT_SALARIES", "201" + i, "3", "PUBLIC")
                    .replace("CIL demand file", sources[i]);
            record(TestTokens.uesl(), body).statusCode(201);
        }
        String exported = given().auth().oauth2(TestTokens.observateur()).accept("text/csv")
                .when().get(API + "/observations/export?territoryId=" + h.commune2() + "&indicator=DEMANDES_LOGEMENT_SALARIES")
                .then().statusCode(200).extract().asString();
        assertThat(exported).contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",", ",\"'@SUM(A1)\",",
                ",\"line\rbreak\","); // the CR stays inside its quoted cell: no reader splits the row
    }
}
