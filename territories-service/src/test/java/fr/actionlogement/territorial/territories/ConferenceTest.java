package fr.actionlogement.territorial.territories;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.territories.persistence.ConferenceService;
import fr.actionlogement.territorial.testsupport.KafkaTestClient;
import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "territories"))
class ConferenceTest {

    static final String API = "/api/territories";
    static final String LYON = "CT:lyon:protocole-cadre-2013";

    @Inject
    ConferenceService conferences;
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
    @DisplayName("R-32 the 2013 protocol is recorded (AdCF, AMGVF, ACUF, UESL, 2013-2015) and wave-1 conferences are due on 27 December 2013")
    void seededProtocolAndDeadlines() {
        given().auth().oauth2(TestTokens.observateur()).when().get(API + "/protocols/protocole-cadre-2013")
                .then().statusCode(200).body("signedOn", is("2013-06-27")).body("periodStart", is("2013-01-01"))
                .body("periodEnd", is("2015-12-31")).body("parties", hasItems("AdCF", "AMGVF", "ACUF", "UESL"))
                .body("waves.wave", hasItems(1, 2));
        given().auth().oauth2(TestTokens.observateur()).when().get(API + "/conferences/CT:marseille:protocole-cadre-2013")
                .then().statusCode(200).body("deadline", is("2013-12-27")).body("basinId", is("BASSIN:marseille"));
    }

    @Test
    @DisplayName("R-32 conferences not installed by their deadline are listed as overdue")
    void overdueListed() {
        given().auth().oauth2(TestTokens.observateur()).when().get(API + "/conferences/overdue?size=50")
                .then().statusCode(200).body("items.id", hasItem("CT:bordeaux:protocole-cadre-2013"))
                .body("items.status", org.hamcrest.Matchers.everyItem(is("OVERDUE")));
        // The dashboard's question: the conference of the basin containing a territory (an EPCI, or one of its communes).
        given().auth().oauth2(TestTokens.observateur()).when().get(API + "/conferences?territoryId=EPCI:200046977")
                .then().statusCode(200).body("totalItems", is(1)).body("items[0].basinId", is("BASSIN:lyon"));
        given().auth().oauth2(TestTokens.observateur()).when().get(API + "/conferences?territoryId=COMMUNE:69123")
                .then().statusCode(200).body("totalItems", is(1)).body("items[0].basinId", is("BASSIN:lyon"));
        given().auth().oauth2(TestTokens.observateur()).when().get(API + "/conferences?overdue=true&sort=nope")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    @DisplayName("R-32 ConferenceInstallationOverdue is raised exactly once per missed deadline, with two checkers racing on one database")
    void overdueRaisedOnceWithTwoInstances() throws Exception {
        // A wave-2 basin: deadline 1 July 2014, long past.
        given().auth().oauth2(uesl).contentType(ContentType.JSON).body("""
                {"slug":"race-check","name":"Race check","wave":2,"epciSirens":["244200770"],
                 "protocolId":"protocole-cadre-2013"}""")
                .when().post(API + "/basins").then().statusCode(201);
        String id = "CT:race-check:protocole-cadre-2013";
        given().auth().oauth2(uesl).when().get(API + "/conferences/" + id).then().statusCode(200)
                .body("deadline", is("2014-07-01"));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> runs = List.of(
                    pool.submit(() -> {
                        start.await();
                        return conferences.raiseOverdue();
                    }),
                    pool.submit(() -> {
                        start.await();
                        return conferences.raiseOverdue();
                    }));
            start.countDown();
            for (Future<Integer> f : runs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(conferences.raiseOverdue()).isZero();
        assertThat(count("SELECT count(*) FROM conference_overdue_notice WHERE conference_id = '" + id + "'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM outbox_event WHERE record_key = '" + id
                + "' AND event_type LIKE '%ConferenceInstallationOverdue%'")).isEqualTo(1);
        var records = new KafkaTestClient(bootstrap).await("territories.events.v1",
                r -> id.equals(r.key()) && r.value().contains("ConferenceInstallationOverdue"), 2, Duration.ofSeconds(8));
        assertThat(records).hasSize(1);
        assertThat(records.get(0).value()).contains("\"deadline\":\"2014-07-01\"");
    }

    @Test
    @DisplayName("R-32 installing needs If-Match and both colleges; it publishes TerritorialConferenceInstalled; refusals change nothing")
    void installConference() {
        String etag = given().auth().oauth2(uesl).when().get(API + "/conferences/" + LYON).then().statusCode(200)
                .extract().header("ETag");
        String oneCollege = """
                {"installedOn":"2013-11-15","members":[{"organisation":"MEDEF Rhône","college":"EMPLOYEURS"}]}""";
        String both = """
                {"installedOn":"2013-11-15","members":[{"organisation":"MEDEF Rhône","college":"EMPLOYEURS"},
                 {"organisation":"CFDT Rhône","college":"SALARIES"}],"reason":"séance d'installation"}""";
        given().auth().oauth2(uesl).contentType(ContentType.JSON).body(both)
                .when().post(API + "/conferences/" + LYON + "/installation").then().statusCode(428)
                .contentType("application/problem+json");
        given().auth().oauth2(TestTokens.observateur()).contentType(ContentType.JSON).header("If-Match", etag).body(both)
                .when().post(API + "/conferences/" + LYON + "/installation").then().statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(TestTokens.delegue("84")).contentType(ContentType.JSON).header("If-Match", etag).body(both)
                .when().post(API + "/conferences/" + LYON + "/installation").then().statusCode(403);
        given().auth().oauth2(uesl).contentType(ContentType.JSON).header("If-Match", etag).body(oneCollege)
                .when().post(API + "/conferences/" + LYON + "/installation").then().statusCode(422)
                .contentType("application/problem+json").body("rule", is("R-32"));
        given().auth().oauth2(uesl).contentType(ContentType.JSON).header("If-Match", etag)
                .body(both.replace("2013-11-15", "2999-01-01"))
                .when().post(API + "/conferences/" + LYON + "/installation").then().statusCode(422).body("rule", is("R-32"));
        given().auth().oauth2(uesl).contentType(ContentType.JSON).header("If-Match", etag)
                .body("{\"installedOn\":\"not-a-date\",\"members\":[]}")
                .when().post(API + "/conferences/" + LYON + "/installation").then().statusCode(400)
                .contentType("application/problem+json");
        given().auth().oauth2(uesl).when().get(API + "/conferences/" + LYON).then().statusCode(200)
                .header("ETag", is(etag)).body("installedOn", is((Object) null));

        String installed = given().auth().oauth2(uesl).contentType(ContentType.JSON).header("If-Match", etag).body(both)
                .when().post(API + "/conferences/" + LYON + "/installation").then().statusCode(200)
                .body("status", is("INSTALLED")).body("installedOn", is("2013-11-15"))
                .body("members.college", hasItems("EMPLOYEURS", "SALARIES")).extract().header("ETag");
        given().auth().oauth2(uesl).contentType(ContentType.JSON).header("If-Match", etag).body(both)
                .when().post(API + "/conferences/" + LYON + "/installation").then().statusCode(412);
        given().auth().oauth2(uesl).contentType(ContentType.JSON).header("If-Match", installed).body(both)
                .when().post(API + "/conferences/" + LYON + "/installation").then().statusCode(409).body("rule", is("R-32"));
        given().auth().oauth2(uesl).when().get(API + "/conferences/overdue?size=50").then().statusCode(200)
                .body("items.id", not(hasItem(LYON)));
        given().auth().oauth2(uesl).when().get(API + "/conferences/" + LYON + "/history").then().statusCode(200)
                .body("items.action", hasItem("INSTALLED")).body("items.actor", hasItem("uesl-user"));
        var records = new KafkaTestClient(bootstrap).await("territories.events.v1",
                r -> LYON.equals(r.key()) && r.value().contains("TerritorialConferenceInstalled"), 1, Duration.ofSeconds(30));
        assertThat(records).hasSize(1);
        assertThat(records.get(0).value()).contains("\"basinId\":\"BASSIN:lyon\"", "\"installedOn\":\"2013-11-15\"");
    }

    @Test
    @DisplayName("R-33 a conference is associated with SCOT, PLH, PDU / plan de mobilité work; closed work is frozen (status, title, authority, period)")
    void programmingWork() {
        String conf = "CT:nantes:protocole-cadre-2013";
        String plh = """
                {"documentType":"PLH","title":"PLH 2019-2025 de Nantes Métropole","authorityId":"244400404",
                 "authorityName":"Nantes Métropole","periodStart":"2019-01-01","periodEnd":"2025-12-31",
                 "associatedOn":"2014-02-01","status":"IN_PROGRESS"}""";
        var created = given().auth().oauth2(uesl).contentType(ContentType.JSON).body(plh)
                .when().post(API + "/conferences/" + conf + "/programming-works").then().statusCode(201)
                .body("documentType", is("PLH")).extract();
        String workId = created.path("id");
        String etag = created.header("ETag");
        given().auth().oauth2(uesl).contentType(ContentType.JSON)
                .body(plh.replace("\"periodEnd\":\"2025-12-31\"", "\"periodEnd\":\"2010-12-31\""))
                .when().post(API + "/conferences/" + conf + "/programming-works").then().statusCode(422)
                .body("rule", is("R-33"));
        given().auth().oauth2(TestTokens.cil("782855696")).contentType(ContentType.JSON).body(plh)
                .when().post(API + "/conferences/" + conf + "/programming-works").then().statusCode(403);
        given().auth().oauth2(uesl).contentType(ContentType.JSON).body(plh.replace("\"PLH\"", "\"PDU\""))
                .when().post(API + "/conferences/" + conf + "/programming-works").then().statusCode(201);
        String adopted = given().auth().oauth2(uesl).contentType(ContentType.JSON).header("If-Match", etag)
                .body(plh.replace("IN_PROGRESS", "ADOPTED"))
                .when().put(API + "/conferences/" + conf + "/programming-works/" + workId).then().statusCode(200)
                .body("status", is("ADOPTED")).extract().header("ETag");
        given().auth().oauth2(uesl).contentType(ContentType.JSON).header("If-Match", adopted).body(plh)
                .when().put(API + "/conferences/" + conf + "/programming-works/" + workId).then().statusCode(409)
                .body("rule", is("R-33"));
        // Closed work is frozen: title, authority and period no longer change, and nothing is written.
        String closed = plh.replace("IN_PROGRESS", "ADOPTED");
        for (String change : List.of(closed.replace("PLH 2019-2025", "PLH 2019-2031"),
                closed.replace("244400404", "200046977").replace("\"Nantes Métropole\"", "\"Métropole de Lyon\""),
                closed.replace("\"periodEnd\":\"2025-12-31\"", "\"periodEnd\":\"2031-12-31\""),
                closed.replace("\"PLH\"", "\"SCOT\""))) {
            given().auth().oauth2(uesl).contentType(ContentType.JSON).header("If-Match", adopted).body(change)
                    .when().put(API + "/conferences/" + conf + "/programming-works/" + workId).then().statusCode(409)
                    .contentType("application/problem+json").body("rule", is("R-33"));
        }
        given().auth().oauth2(uesl).when().get(API + "/conferences/" + conf + "/programming-works/" + workId)
                .then().statusCode(200).header("ETag", is(adopted)).body("title", is("PLH 2019-2025 de Nantes Métropole"))
                .body("authorityId", is("244400404")).body("periodEnd", is("2025-12-31"));
        // Repeating the closed content changes nothing and is accepted.
        given().auth().oauth2(uesl).contentType(ContentType.JSON).header("If-Match", adopted).body(closed)
                .when().put(API + "/conferences/" + conf + "/programming-works/" + workId).then().statusCode(200)
                .body("status", is("ADOPTED"));
        given().auth().oauth2(TestTokens.observateur()).when().get(API + "/conferences/" + conf + "/programming-works")
                .then().statusCode(200).body("documentType", hasItems("PLH", "PDU"));
    }
}
