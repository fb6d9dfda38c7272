package fr.actionlogement.territorial.territories;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.testsupport.KafkaTestClient;
import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "territories"))
class CilTest {

    static final String API = "/api/territories";
    static final String CIL = "300000001";
    static final String FILIALE = "300000002";

    @Inject
    DataSource dataSource;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private final String uesl = TestTokens.uesl();

    long count(String sql) throws Exception {
        try (var c = dataSource.getConnection(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    @DisplayName("R-34 CILs, filiales, presence with dates, regional conference and délégué are recorded and published")
    void cilLifecycle() throws Exception {
        given().auth().oauth2(uesl).contentType(ContentType.JSON)
                .body("{\"id\":\"" + CIL + "\",\"name\":\"CIL Rhône-Alpes\"}")
                .when().post(API + "/cils").then().statusCode(201).body("parentCilId", is((Object) null));
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                .body("{\"id\":\"" + FILIALE + "\",\"name\":\"Filiale Rhône\",\"parentCilId\":\"" + CIL + "\"}")
                .when().post(API + "/cils").then().statusCode(201).body("parentCilId", is(CIL));
        given().auth().oauth2(uesl).contentType(ContentType.JSON)
                .body("{\"id\":\"300000003\",\"name\":\"Sous-filiale\",\"parentCilId\":\"" + FILIALE + "\"}")
                .when().post(API + "/cils").then().statusCode(422).body("rule", is("R-34"));
        given().auth().oauth2(uesl).when().get(API + "/cils/" + CIL).then().statusCode(200)
                .body("subsidiaryIds", contains(FILIALE));

        var presence = given().auth().oauth2(uesl).contentType(ContentType.JSON)
                .body("{\"territoryId\":\"EPCI:200046977\",\"since\":\"2013-01-01\"}")
                .when().post(API + "/cils/" + CIL + "/presences").then().statusCode(201).body("present", is(true))
                .extract();
        given().auth().oauth2(uesl).contentType(ContentType.JSON)
                .body("{\"territoryId\":\"EPCI:200046977\",\"since\":\"2014-01-01\"}")
                .when().post(API + "/cils/" + CIL + "/presences").then().statusCode(409).body("rule", is("R-34"));
        given().auth().oauth2(uesl).contentType(ContentType.JSON)
                .body("{\"territoryId\":\"EPCI:000000000\",\"since\":\"2014-01-01\"}")
                .when().post(API + "/cils/" + CIL + "/presences").then().statusCode(422);
        given().auth().oauth2(uesl).contentType(ContentType.JSON)
                .body("{\"territoryId\":\"BASSIN:lyon\",\"since\":\"2014-01-01\",\"until\":\"2013-01-01\"}")
                .when().post(API + "/cils/" + FILIALE + "/presences").then().statusCode(422).body("rule", is("R-34"));
        given().auth().oauth2(TestTokens.observateur()).when().get(API + "/territories/EPCI:200046977/cils")
                .then().statusCode(200).body("cilId", hasItem(CIL));
        // Ending the presence: it is kept, with its dates, and no longer current.
        given().auth().oauth2(uesl).contentType(ContentType.JSON).header("If-Match", presence.header("ETag"))
                .body("{\"territoryId\":\"EPCI:200046977\",\"since\":\"2013-01-01\",\"until\":\"2015-12-31\",\"reason\":\"fusion\"}")
                .when().put(API + "/cils/" + CIL + "/presences/" + presence.path("id")).then().statusCode(200)
                .body("present", is(false)).body("until", is("2015-12-31"));

        given().auth().oauth2(uesl).contentType(ContentType.JSON)
                .body("{\"memberCilIds\":[\"" + CIL + "\",\"" + FILIALE + "\"]}")
                .when().put(API + "/regional-conferences/84").then().statusCode(200)
                .body("regionName", is("Auvergne-Rhône-Alpes"));
        given().auth().oauth2(uesl).contentType(ContentType.JSON).body("{\"memberCilIds\":[\"" + CIL + "\"]}")
                .when().put(API + "/regional-conferences/84").then().statusCode(428);
        given().auth().oauth2(uesl).contentType(ContentType.JSON).body("{\"memberCilIds\":[]}")
                .when().put(API + "/regional-conferences/99").then().statusCode(422);

        given().auth().oauth2(uesl).contentType(ContentType.JSON)
                .body("{\"subject\":\"delegue-84\",\"username\":\"jdupont\",\"since\":\"2013-09-01\"}")
                .when().put(API + "/delegues/84").then().statusCode(200).body("username", is("jdupont"));

        KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        assertThat(kafka.await("territories.events.v1", r -> CIL.equals(r.key()) && r.value().contains("CilRegistered"), 1,
                Duration.ofSeconds(30))).hasSize(1);
        assertThat(kafka.await("territories.events.v1",
                r -> CIL.equals(r.key()) && r.value().contains("CilPresenceChanged"), 2, Duration.ofSeconds(30)))
                .hasSize(2);
        assertThat(kafka.await("territories.events.v1",
                r -> "REGION:84".equals(r.key()) && r.value().contains("RegionalConferenceChanged"), 1,
                Duration.ofSeconds(30)).get(0).value()).contains("\"memberCilIds\":[\"" + CIL + "\",\"" + FILIALE + "\"]");
        assertThat(kafka.await("territories.events.v1",
                r -> "REGION:84".equals(r.key()) && r.value().contains("DelegueAssigned"), 1, Duration.ofSeconds(30))
                .get(0).value()).contains("\"delegueSubject\":\"delegue-84\"", "\"delegueUsername\":\"jdupont\"");
        given().auth().oauth2(uesl).when().get(API + "/cils/" + CIL + "/history").then().statusCode(200)
                .body("items.action", hasItem("PRESENCE_CHANGED"));
    }

    @Test
    @DisplayName("R-34 only the UESL and admins edit CILs and délégués: a CIL, a délégué or an authority gets 403 and nothing changes")
    void onlyUeslEdits() throws Exception {
        for (String token : new String[] { TestTokens.cil("300000009"), TestTokens.delegue("84"),
                TestTokens.collectivite("69123"), TestTokens.observateur() }) {
            given().auth().oauth2(token).contentType(ContentType.JSON)
                    .body("{\"id\":\"300000009\",\"name\":\"Self-registered\"}")
                    .when().post(API + "/cils").then().statusCode(403).contentType("application/problem+json");
            given().auth().oauth2(token).contentType(ContentType.JSON)
                    .body("{\"subject\":\"me\",\"username\":\"me\",\"since\":\"2020-01-01\"}")
                    .when().put(API + "/delegues/53").then().statusCode(403);
        }
        assertThat(count("SELECT count(*) FROM cil WHERE id = '300000009'")).isZero();
        assertThat(count("SELECT count(*) FROM delegue WHERE region_code = '53'")).isZero();
        given().auth().oauth2(TestTokens.delegue("84")).when().get(API + "/delegues").then().statusCode(200);
    }

    @Test
    @DisplayName("bad CIL input is a 400 or a 409 problem and stores nothing: empty body, NUL character, the same SIREN twice at once")
    void badInputNeverFails() throws Exception {
        given().auth().oauth2(uesl).contentType(ContentType.JSON).when().post(API + "/cils")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(uesl).contentType(ContentType.JSON).header("If-Match", "\"0\"")
                .when().put(API + "/cils/" + CIL).then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(uesl).contentType(ContentType.JSON)
                .body("{\"id\":\"640451692\",\"name\":\"avant\\u0000après\"}")
                .when().post(API + "/cils").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", is("name"));
        assertThat(count("SELECT count(*) FROM cil WHERE id = '640451692'")).isZero();

        // Several creates of one SIREN race past the service's own check: one wins, the others get 409, none 500.
        String siren = "640451693";
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(pool.submit(() -> given().auth().oauth2(uesl).contentType(ContentType.JSON)
                        .body("{\"id\":\"" + siren + "\",\"name\":\"CIL concurrent\"}")
                        .when().post(API + "/cils").then().extract().statusCode()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> a : answers) {
                statuses.add(a.get(60, TimeUnit.SECONDS));
            }
            assertThat(statuses).containsOnly(201, 409);
            assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(count("SELECT count(*) FROM cil WHERE id = '" + siren + "'")).isEqualTo(1);
    }
}
