package fr.actionlogement.territorial.observatory;

import static fr.actionlogement.territorial.observatory.Fixtures.API;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

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
class NeedsStudyTest {

    @Inject
    DataSource dataSource;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    Fixtures fx;
    Fixtures.Hierarchy h;
    String cil;
    String otherCil;

    @BeforeEach
    void territory() {
        fx = new Fixtures(bootstrap, dataSource);
        h = fx.hierarchy();
        cil = "7" + String.format("%08d", Math.abs(UUID.randomUUID().hashCode()) % 100_000_000);
        otherCil = "8" + cil.substring(1);
        fx.presence(cil, h.epci(), true);
        fx.awaitCount("SELECT count(*) FROM cil_presence WHERE cil_id = '" + cil + "'", 1);
    }

    private String body(String territoryId, String cils, String interest, String cost, String financing) {
        return """
                {"title":"Logement des jeunes salariés","territoryId":"%s","scale":"Métropole",
                 "topics":["ACCES_LOCATIF_SOCIAL","ADEQUATION_OFFRE_DEMANDE_LOCATIVE"],
                 "publicsPrioritaires":["JEUNES_SALARIES"],"launchingCilIds":[%s],
                 "operationalInterest":%s,"cost":%s,"financing":[%s],
                 "sources":[{"type":"PROVIDER","name":"Cabinet Habitat Conseil"},{"type":"CIL_DATABASE","name":"Demandes CIL"}]}"""
                .formatted(territoryId, cils, interest == null ? "null" : "\"" + interest + "\"", cost, financing);
    }

    private String cilShare(String amount) {
        return "{\"partnerType\":\"CIL\",\"partnerId\":\"" + cil + "\",\"partnerName\":\"CIL\",\"amount\":" + amount + "}";
    }

    private static String share(String type, String id, String amount) {
        return "{\"partnerType\":\"" + type + "\",\"partnerId\":\"" + id + "\",\"partnerName\":\"" + type
                + "\",\"amount\":" + amount + "}";
    }

    private ValidatableResponse propose(String token, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).when().post(API + "/studies").then();
    }

    private String proposeOk(String body) {
        return propose(TestTokens.cil(cil), body).statusCode(201).extract().path("id");
    }

    private String etag(String id) {
        return given().auth().oauth2(TestTokens.uesl()).when().get(API + "/studies/" + id).then().statusCode(200)
                .extract().header("ETag");
    }

    private ValidatableResponse transition(String token, String id, String action, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).header("If-Match", etag(id))
                .body(body == null ? "{}" : body).when().post(API + "/studies/" + id + "/" + action).then();
    }

    @Test
    @DisplayName("R-40 a CIL present on the territory (through its EPCI) proposes a study at commune scale")
    void cilPresentOnTerritoryProposes() {
        String id = proposeOk(body(h.commune1(), "\"" + cil + "\"", "Small dwellings for apprentices", "60000",
                cilShare("30000") + "," + share("EPCI", h.epci(), "30000")));
        given().auth().oauth2(TestTokens.cil(cil)).when().get(API + "/studies/" + id).then().statusCode(200)
                .header("ETag", is("\"0\"")).body("status", is("PROPOSED")).body("financedAmount", equalTo(60000))
                .body("sources.type", hasItem("PROVIDER"));
    }

    @Test
    @DisplayName("R-40 a CIL not present on the territory cannot launch its needs study (422, nothing stored)")
    void cilAbsentRefused() {
        long before = fx.count("SELECT count(*) FROM needs_study");
        propose(TestTokens.uesl(), body(h.epci(), "\"" + otherCil + "\"", "x", "1000", ""))
                .statusCode(422).contentType("application/problem+json").body("rule", is("R-40"))
                .body("detail", containsString(otherCil));
        propose(TestTokens.uesl(), body(h.epci(), "", "x", "1000", "")).statusCode(422).body("rule", is("R-40"));
        // presence elsewhere (another région's territory) does not count
        Fixtures.Hierarchy elsewhere = fx.hierarchy();
        propose(TestTokens.cil(cil), body(elsewhere.commune1(), "\"" + cil + "\"", "x", "1000", ""))
                .statusCode(422).body("rule", is("R-40"));
        assertThat(fx.count("SELECT count(*) FROM needs_study")).isEqualTo(before);
    }

    @Test
    @DisplayName("R-40 a CIL user launches studies only in its own CIL's name; observers and authorities cannot (403)")
    void onlyOwnCil() {
        propose(TestTokens.cil(otherCil), body(h.epci(), "\"" + cil + "\"", "x", "1000", "")).statusCode(403);
        propose(TestTokens.observateur(), body(h.epci(), "\"" + cil + "\"", "x", "1000", "")).statusCode(403);
        propose(TestTokens.collectivite("69123"), body(h.epci(), "\"" + cil + "\"", "x", "1000", "")).statusCode(403);
        given().contentType(ContentType.JSON).body(body(h.epci(), "\"" + cil + "\"", "x", "1000", ""))
                .when().post(API + "/studies").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    @DisplayName("R-40 R-41 a co-launching CIL revises the study for itself: another CIL's membership and share stay as they are (403)")
    void coLauncherChangesOnlyItsOwnPart() {
        fx.presence(otherCil, h.epci(), true);
        fx.awaitCount("SELECT count(*) FROM cil_presence WHERE cil_id = '" + otherCil + "'", 1);
        String both = "\"" + cil + "\",\"" + otherCil + "\"";
        String id = propose(TestTokens.uesl(), body(h.epci(), both, "Small dwellings", "60000",
                cilShare("30000") + "," + share("CIL", otherCil, "30000"))).statusCode(201).extract().path("id");
        String tag = etag(id);
        String coLauncher = TestTokens.cil(otherCil);
        for (String revised : new String[] {
                body(h.epci(), "\"" + otherCil + "\"", "Small dwellings", "60000", share("CIL", otherCil, "60000")),
                body(h.epci(), both, "Small dwellings", "60000", cilShare("10000") + "," + share("CIL", otherCil, "50000")) }) {
            given().auth().oauth2(coLauncher).contentType(ContentType.JSON).header("If-Match", tag).body(revised)
                    .when().put(API + "/studies/" + id).then().statusCode(403).contentType("application/problem+json");
        }
        assertThat(etag(id)).isEqualTo(tag);
        // its own share is its own to change
        given().auth().oauth2(coLauncher).contentType(ContentType.JSON).header("If-Match", tag)
                .body(body(h.epci(), both, "Small dwellings", "50000",
                        cilShare("30000") + "," + share("CIL", otherCil, "20000")))
                .when().put(API + "/studies/" + id).then().statusCode(200).body("financedAmount", equalTo(50000));
    }

    @Test
    @DisplayName("R-41 CIL financing without a stated operational interest is refused (422), at proposal and at commissioning")
    void cilFinancingNeedsOperationalInterest() {
        propose(TestTokens.cil(cil), body(h.epci(), "\"" + cil + "\"", null, "10000", cilShare("10000")))
                .statusCode(422).body("rule", is("R-41")).body("detail", containsString("operational interest"));
        propose(TestTokens.cil(cil), body(h.epci(), "\"" + cil + "\"", "  ", "10000", cilShare("10000")))
                .statusCode(422).body("rule", is("R-41"));
        // without CIL money, no operational interest is needed
        proposeOk(body(h.epci(), "\"" + cil + "\"", null, "10000", share("ETAT", "DREAL", "10000")));
    }

    @Test
    @DisplayName("R-41 financing shares must add up to the cost: more is refused at once, less is refused at commissioning")
    void sharesAddUpToCost() {
        propose(TestTokens.cil(cil), body(h.epci(), "\"" + cil + "\"", "x", "10000",
                cilShare("6000") + "," + share("CCI", "cci-lyon", "5000")))
                .statusCode(422).body("rule", is("R-41")).body("detail", containsString("11000"));
        String id = proposeOk(body(h.epci(), "\"" + cil + "\"", "x", "10000", cilShare("6000")));
        transition(TestTokens.cil(cil), id, "commission", null).statusCode(422).body("rule", is("R-41"))
                .body("detail", containsString("must add up"));
        given().auth().oauth2(TestTokens.uesl()).when().get(API + "/studies/" + id).then().body("status", is("PROPOSED"));
        String empty = proposeOk(body(h.epci(), "\"" + cil + "\"", "x", "10000", ""));
        transition(TestTokens.uesl(), empty, "commission", null).statusCode(422).body("rule", is("R-41"));
    }

    @Test
    @DisplayName("R-42 a study records at least one source, each naming its provider, database or partner (400 naming the field)")
    void sourcesRequired() {
        String noSources = body(h.epci(), "\"" + cil + "\"", "x", "1000", "").replaceAll("\"sources\":\\[.*\\]",
                "\"sources\":[]");
        propose(TestTokens.cil(cil), noSources).statusCode(400).body("errors.field", hasItem("sources"));
        String unnamed = body(h.epci(), "\"" + cil + "\"", "x", "1000", "").replace("Cabinet Habitat Conseil", "");
        propose(TestTokens.cil(cil), unnamed).statusCode(400).body("errors.field", hasItem("sources[0].name"));
        String badType = body(h.epci(), "\"" + cil + "\"", "x", "1000", "").replace("\"PROVIDER\"", "\"RUMOUR\"");
        propose(TestTokens.cil(cil), badType).statusCode(400).contentType("application/problem+json");
    }

    @Test
    @DisplayName("R-40..R-43 lifecycle PROPOSED -> COMMISSIONED -> DELIVERED -> PUBLISHED, audited, with If-Match and events")
    void lifecycle() {
        String id = proposeOk(body(h.epci(), "\"" + cil + "\"", "Young employees' access to social housing", "50000",
                cilShare("20000") + "," + share("COLLECTIVITE_LOCALE", "69123", "30000")));
        // If-Match is required, and a stale one is refused
        given().auth().oauth2(TestTokens.cil(cil)).contentType(ContentType.JSON).body("{}")
                .when().post(API + "/studies/" + id + "/commission").then().statusCode(428);
        given().auth().oauth2(TestTokens.cil(cil)).contentType(ContentType.JSON).header("If-Match", "\"7\"").body("{}")
                .when().post(API + "/studies/" + id + "/commission").then().statusCode(412);
        // out of order: delivery before commissioning
        transition(TestTokens.cil(cil), id, "delivery", "{\"resultsSummary\":\"x\"}").statusCode(409);

        transition(TestTokens.cil(cil), id, "commission", "{\"reason\":\"contract signed\"}").statusCode(200)
                .body("status", is("COMMISSIONED")).header("ETag", is("\"1\""));
        // revision is over once commissioned
        given().auth().oauth2(TestTokens.cil(cil)).contentType(ContentType.JSON).header("If-Match", etag(id))
                .body(body(h.epci(), "\"" + cil + "\"", "x", "1", "")).when().put(API + "/studies/" + id)
                .then().statusCode(409);
        transition(TestTokens.cil(cil), id, "delivery", "{\"resultsSummary\":\"1 200 young employees lack a small dwelling\","
                + "\"reportUri\":\"https://example.org/r.pdf\"}").statusCode(200).body("status", is("DELIVERED"));

        // before publication, an observer and an unrelated CIL do not see it; the co-financing authority does
        given().auth().oauth2(TestTokens.observateur()).when().get(API + "/studies/" + id).then().statusCode(404);
        given().auth().oauth2(TestTokens.cil(otherCil)).when().get(API + "/studies/" + id).then().statusCode(404);
        given().auth().oauth2(TestTokens.collectivite("69123")).when().get(API + "/studies/" + id).then().statusCode(200);
        // the co-financer may read but not change it
        transition(TestTokens.collectivite("69123"), id, "publication", null).statusCode(403);

        transition(TestTokens.uesl(), id, "publication", "{\"reason\":\"shared with the parties\"}").statusCode(200)
                .body("status", is("PUBLISHED")).body("publishedOn", not(is((Object) null)));
        given().auth().oauth2(TestTokens.observateur()).when().get(API + "/studies/" + id).then().statusCode(200);
        // the stored document keeps the shape every version of the service reads (ISO dates), whoever wrote it
        assertThat(fx.count("SELECT count(*) FROM needs_study WHERE id = '" + id
                + "' AND body->>'publishedOn' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' AND version = 3")).isEqualTo(1);
        given().auth().oauth2(TestTokens.observateur()).when().get(API + "/studies?territoryId=" + h.epci())
                .then().statusCode(200).body("items.id", hasItem(id));

        given().auth().oauth2(TestTokens.uesl()).when().get(API + "/studies/" + id + "/history").then().statusCode(200)
                .body("items.action", org.hamcrest.Matchers.contains("PROPOSED", "COMMISSIONED", "DELIVERED", "PUBLISHED"))
                .body("items[1].reason", is("contract signed")).body("items[3].actor", is("uesl-user"));

        assertThat(fx.kafka().await("observatory.events.v1", r -> id.equals(r.key()), 2, Duration.ofSeconds(20)))
                .extracting(r -> r.value().contains("NeedsStudyCommissioned") ? "C" : "P").containsExactly("C", "P");
    }

    @Test
    @DisplayName("R-40 the study list shows a CIL its own studies only; Idempotency-Key replays a proposal")
    void listAndIdempotency() {
        String key = UUID.randomUUID().toString();
        String b = body(h.epci(), "\"" + cil + "\"", "x", "1000", "");
        String first = given().auth().oauth2(TestTokens.cil(cil)).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(b).when().post(API + "/studies").then().statusCode(201).extract().path("id");
        given().auth().oauth2(TestTokens.cil(cil)).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(b).when().post(API + "/studies").then().statusCode(201).header("Idempotent-Replayed", "true")
                .body("id", is(first));
        assertThat(fx.count("SELECT count(*) FROM needs_study WHERE territory_id = '" + h.epci() + "'")).isEqualTo(1);
        given().auth().oauth2(TestTokens.cil(cil)).when().get(API + "/studies?territoryId=" + h.epci())
                .then().statusCode(200).body("totalItems", is(1)).body("items[0].id", is(first));
        given().auth().oauth2(TestTokens.cil(otherCil)).when().get(API + "/studies?territoryId=" + h.epci())
                .then().statusCode(200).body("totalItems", is(0));
        given().auth().oauth2(TestTokens.uesl()).when().get(API + "/studies?sort=nope").then().statusCode(400)
                .body("errors.field", hasItem("sort"));
        given().auth().oauth2(TestTokens.uesl()).when().get(API + "/studies?status=LOST").then().statusCode(400);
    }
}
