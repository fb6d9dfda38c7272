package fr.actionlogement.territorial.partnerships;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** R-24 signatures by each side, R-25 UESL decisions as records, R-20 départements and régions, the exports. */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "partnerships"))
class SignaturesDecisionsAndExportsTest extends PartnershipsTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private String approved(World w) {
        String id = create(w, false, null).path("id");
        assertThat(submit(w.cilToken(), id).<String> path("status")).isEqualTo("APPROVED");
        return id;
    }

    @Test
    @DisplayName("R-24 each side signs on its own: a future date is 422 and changes nothing; another side 403; a side twice 409; SIGNED at the second, dated by the later")
    void bothSidesSign() {
        World w = world();
        String id = approved(w);
        String tomorrow = LocalDate.now().plusDays(1).toString();
        var future = post(w.cilToken(), id, "sign", "{\"signedOn\":\"" + tomorrow + "\"}");
        assertThat(future.statusCode()).isEqualTo(422);
        assertThat(future.<String> path("rule")).isEqualTo("R-24");
        assertThat(count("SELECT count(*) FROM agreement_signature WHERE agreement_id = '" + id + "'")).isZero();

        assertThat(post(w.cilToken(), id, "sign", "{\"signedOn\":\"2026-03-01\",\"side\":\"AUTHORITY\"}")
                .statusCode()).isEqualTo(403);
        var byFiliale = post(TestTokens.cil(w.filiale()), id, "sign", "{\"signedOn\":\"2026-03-01\"}");
        assertThat(byFiliale.statusCode()).isEqualTo(404); // the CIL's own agreement, not the subsidiary's
        var first = post(w.cilToken(), id, "sign", "{\"signedOn\":\"2026-03-01\",\"reason\":\"Board\"}");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.<String> path("status")).isEqualTo("APPROVED");
        assertThat(first.<String> path("signatures[0].onBehalfOf")).isEqualTo("CIL:" + w.cil());
        assertThat(first.<String> path("signatures[0].signedBy")).isEqualTo("cil-user-" + w.cil());
        assertThat(first.<String> path("signedOn")).isNull();
        var twice = post(w.cilToken(), id, "sign", "{\"signedOn\":\"2026-03-02\"}");
        assertThat(twice.statusCode()).isEqualTo(409);
        assertThat(twice.<String> path("rule")).isEqualTo("R-24");

        // The UESL records the authority's signature on its behalf, naming the side.
        var second = post(uesl, id, "sign", "{\"signedOn\":\"2026-03-05\",\"side\":\"AUTHORITY\"}");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.<String> path("status")).isEqualTo("SIGNED");
        assertThat(second.<String> path("signedOn")).isEqualTo("2026-03-05");
        assertThat(second.<String> path("signatures[1].onBehalfOf")).isEqualTo("COLLECTIVITE:" + w.epci());
        assertThat(second.<List<String>> path("missingSignatures")).isEmpty();
        given().auth().oauth2(uesl).when().get(BASE + "/agreements/" + id + "/history?size=50").then()
                .body("items.action", hasItem("SIGNATURE_RECORDED"));
    }

    @Test
    @DisplayName("R-24 a UESL call naming no side records both missing signatures at once (a paper agreement), each on its party's behalf")
    void ueslRecordsBoth() {
        World w = world();
        String id = approved(w);
        var signed = post(uesl, id, "sign", "{\"signedOn\":\"2026-02-10\"}");
        assertThat(signed.<String> path("status")).isEqualTo("SIGNED");
        assertThat(signed.<List<String>> path("signatures.onBehalfOf"))
                .containsExactly("CIL:" + w.cil(), "COLLECTIVITE:" + w.epci());
    }

    @Test
    @DisplayName("R-25 the UESL's choice to stay out is a record written only by a UESL user (403 for délégué, CIL, admin), with author, date, reasons, in the history; submission needs it")
    void ueslDecisionRecord() {
        World w = world();
        String id = given().auth().oauth2(uesl).contentType(ContentType.JSON).body("""
                {"partyType":"APAGL","collectiviteId":"%s","object":"GRL for young employees","durationMonths":24}"""
                .formatted(w.epci())).when().post(BASE + "/agreements").then().statusCode(201).extract().path("id");
        var early = submit(uesl, id);
        assertThat(early.statusCode()).isEqualTo(422);
        assertThat(early.<String> path("rule")).isEqualTo("R-25");
        String decision = "{\"staysOut\":true,\"decidedOn\":\"2026-01-20\",\"reasons\":\"APAGL's own GRL policy\"}";
        for (String token : List.of(w.delegueToken(), w.cilToken(), TestTokens.admin(),
                TestTokens.collectivite(w.epci()))) {
            assertThat(post(token, id, "uesl-decision", decision).statusCode()).isEqualTo(403);
        }
        assertThat(count("SELECT count(*) FROM agreement_uesl_decision WHERE agreement_id = '" + id + "'")).isZero();
        String future = "{\"staysOut\":true,\"decidedOn\":\"" + LocalDate.now().plusDays(3) + "\",\"reasons\":\"x\"}";
        assertThat(post(uesl, id, "uesl-decision", future).<String> path("rule")).isEqualTo("R-25");
        assertThat(post(uesl, id, "uesl-decision", "{\"staysOut\":true,\"decidedOn\":\"2026-01-20\"}").statusCode())
                .isEqualTo(400);
        var recorded = post(uesl, id, "uesl-decision", decision);
        assertThat(recorded.statusCode()).isEqualTo(200);
        assertThat(recorded.<String> path("ueslDecisions[0].reasons")).isEqualTo("APAGL's own GRL policy");
        assertThat(recorded.<String> path("ueslDecisions[0].decidedBy")).isNotBlank();
        assertThat(recorded.<String> path("ueslDecisions[0].decidedOn")).isEqualTo("2026-01-20");
        var submitted = submit(uesl, id);
        assertThat(submitted.<String> path("status")).isEqualTo("APPROVED");
        assertThat(submitted.<String> path("statusHistory[2].reason")).contains("UESL stays out", "R-25",
                recorded.<String> path("ueslDecisions[0].decisionId"));
        given().auth().oauth2(uesl).when().get(BASE + "/agreements/" + id + "/history?size=50").then()
                .body("items.action", hasItem("UESL_STAYS_OUT"))
                .body("items.find { it.action == 'UESL_STAYS_OUT' }.reason", is("APAGL's own GRL policy"));
        // A CIL's agreement has no such decision (R-21, R-22 apply).
        String cilAgreement = create(w, false, null).path("id");
        assertThat(post(uesl, cilAgreement, "uesl-decision", decision).<String> path("rule")).isEqualTo("R-25");
    }

    @Test
    @DisplayName("R-20 a département and a région are parties by their territory id (DEPARTEMENT:<code>, REGION:<code>); the département's user signs")
    void departementAndRegionAsParties() {
        World w = world();
        String dep = "DEPARTEMENT:" + ThreadLocalRandom.current().nextInt(100, 999);
        String reg = String.valueOf(ThreadLocalRandom.current().nextInt(10, 99));
        registerTerritory("DEPARTEMENT", dep.substring(12), "Département test", w.region(), false);
        registerTerritory("REGION", reg, "Région test", null, false);
        awaitRow("SELECT count(*) FROM territory_ref WHERE territory_id = '" + dep + "'");
        awaitRow("SELECT count(*) FROM territory_ref WHERE territory_id = 'REGION:" + reg + "'");
        var created = given().auth().oauth2(w.cilToken()).contentType(ContentType.JSON).body("""
                {"collectiviteId":"%s","object":"Young employees in the département","durationMonths":24}"""
                .formatted(dep)).when().post(BASE + "/agreements").then().statusCode(201).extract();
        assertThat(created.<String> path("territoryId")).isEqualTo(dep);
        assertThat(created.<String> path("regionCode")).isEqualTo(w.region());
        assertThat(created.<String> path("authorityName")).isEqualTo("Département test");
        String id = created.path("id");
        submit(w.cilToken(), id);
        post(w.cilToken(), id, "sign", "{\"signedOn\":\"2026-04-01\"}");
        var signed = post(TestTokens.collectivite(dep), id, "sign", "{\"signedOn\":\"2026-04-02\"}");
        assertThat(signed.<String> path("status")).isEqualTo("SIGNED");
        assertThat(signed.<String> path("signatures[1].onBehalfOf")).isEqualTo("COLLECTIVITE:" + dep);

        var region = given().auth().oauth2(w.cilToken()).contentType(ContentType.JSON).body("""
                {"collectiviteId":"REGION:%s","object":"Regional mobility","durationMonths":12}""".formatted(reg))
                .when().post(BASE + "/agreements").then().statusCode(201).extract();
        assertThat(region.<String> path("regionCode")).isEqualTo(reg);
        given().auth().oauth2(w.cilToken()).contentType(ContentType.JSON).body("""
                {"collectiviteId":"DEPARTEMENT:9999","object":"x","durationMonths":12}""")
                .when().post(BASE + "/agreements").then().statusCode(400);
        given().auth().oauth2(w.cilToken()).contentType(ContentType.JSON).body("""
                {"collectiviteId":"DEPARTEMENT:2B","object":"x","durationMonths":12}""")
                .when().post(BASE + "/agreements").then().statusCode(422).body("rule", is("R-20"));
    }

    @Test
    @DisplayName("exports: CSV (RFC 4180, formula-safe) and JSON lines, the list's filters and visibility: a CIL sees only its rows")
    void exports() throws Exception {
        World w = world();
        World other = world();
        String mine = given().auth().oauth2(w.cilToken()).contentType(ContentType.JSON).body("""
                {"collectiviteId":"%s","object":"=HYPERLINK(\\"http://evil\\"),\\"x\\"","durationMonths":12,
                 "investments":[{"kind":"PRET","amount":1500.50}]}""".formatted(w.epci()))
                .when().post(BASE + "/agreements").then().statusCode(201).extract().path("id");
        String second = create(w, false, null).path("id");
        String theirs = create(other, false, null).path("id");

        String csv = given().auth().oauth2(w.cilToken()).accept("text/csv").when()
                .get(BASE + "/agreements/export").then().statusCode(200)
                .contentType(is("text/csv; charset=UTF-8"))
                .header("Content-Disposition", is("attachment; filename=\"agreements.csv\"")).extract().asString();
        String[] lines = csv.split("\r\n");
        assertThat(lines[0]).startsWith("id,partyType,cilId,filialeId,collectiviteId");
        assertThat(lines).hasSize(3);
        assertThat(csv).contains(mine, second).doesNotContain(theirs);
        String formulaLine = Arrays.stream(lines).filter(l -> l.startsWith(mine)).findFirst().orElseThrow();
        assertThat(formulaLine).contains(",\"'=HYPERLINK(\"\"http://evil\"\"),\"\"x\"\"\",")
                .contains(",1500.50,");

        String jsonl = given().auth().oauth2(w.cilToken()).accept("application/x-ndjson").when()
                .get(BASE + "/agreements/export?status=DRAFT").then().statusCode(200)
                .contentType(is("application/x-ndjson; charset=UTF-8")).extract().asString();
        List<JsonNode> rows = jsonl.lines().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(l, e);
            }
        }).toList();
        assertThat(rows).extracting(r -> r.get("id").asText()).containsExactly(mine, second);
        assertThat(rows.get(0).get("object").asText()).startsWith("=HYPERLINK");

        // Filters as the list's: cilId of another CIL gives nothing to this caller; the UESL sees both CILs'.
        String none = given().auth().oauth2(w.cilToken()).when()
                .get(BASE + "/agreements/export?format=jsonl&cilId=" + other.cil()).then().statusCode(200)
                .extract().asString();
        assertThat(none).isEmpty();
        String ueslCsv = given().auth().oauth2(uesl).when()
                .get(BASE + "/agreements/export?format=csv&regionCode=" + other.region()).then().statusCode(200)
                .extract().asString();
        assertThat(ueslCsv).contains(theirs).doesNotContain(mine);
        String delegue = given().auth().oauth2(w.delegueToken()).when().get(BASE + "/agreements/export").then()
                .statusCode(200).extract().asString();
        assertThat(delegue).contains(mine).doesNotContain(theirs);
        given().auth().oauth2(w.cilToken()).when().get(BASE + "/agreements/export?format=xlsx").then()
                .statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.observateur()).when().get(BASE + "/agreements/export").then()
                .statusCode(403);
    }
}
