package fr.actionlogement.territorial.territories;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.testsupport.EventFixture;
import fr.actionlogement.territorial.testsupport.KafkaTestClient;
import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * territories-service's consumer of conventions-service's ConventionSigned, fed with stored copies of the records
 * conventions-service's relay writes (test-support's EventFixture, headers included; proven by its
 * ConventionLifecycleTest).
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "territories"))
class ConventionCoverageTest {

    static final String API = "/api/territories";

    @Inject
    DataSource dataSource;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    long count(String sql) throws Exception {
        try (var c = dataSource.getConnection(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A ConventionSigned as conventions-service's relay writes it (test-support's EventFixture): a new event. */
    static EventFixture conventionSigned(String conventionId, String kind, String territoryId, List<String> covered,
            List<Map<String, Object>> signatories, String signedOn) {
        return EventFixture.of("conventions", "ConventionSigned").subject(conventionId)
                .with("conventionId", conventionId).with("version", 1).with("kind", kind)
                .with("territoryId", territoryId).with("coveredTerritoryIds", covered)
                .with("signatories", signatories).with("objectives", List.of()).with("signedOn", signedOn);
    }

    @Test
    @DisplayName("R-15/R-31 a ConventionSigned record on Kafka marks the basin and its EPCI as covered, once, shown in reads")
    void conventionSignedMarksCoverage() throws Exception {
        String conventionId = UUID.randomUUID().toString();
        Map<String, Object> conference = new HashMap<>();
        conference.put("partyType", "CONFERENCE_TERRITORIALE");
        conference.put("partyId", "CT:toulouse:protocole-cadre-2013");
        conference.put("name", null);
        EventFixture record = conventionSigned(conventionId, "CADRE_DE_TERRITOIRE", "BASSIN:toulouse",
                List.of("BASSIN:toulouse", "EPCI:243100518"), List.of(conference), "2014-03-01");
        KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        kafka.send(record);
        kafka.send(record); // redelivery
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> given().auth().oauth2(TestTokens.observateur()).when().get(API + "/basins/BASSIN:toulouse")
                        .then().statusCode(200).body("coveredByConventions", hasItem(conventionId)));
        given().auth().oauth2(TestTokens.cil("300000001")).when().get(API + "/territories/EPCI:243100518")
                .then().statusCode(200).body("coveredByConventions", hasItem(conventionId));
        // A marker after both copies on the same partition: once it is applied, both copies were seen.
        kafka.send(record.withNewId().with("coveredTerritoryIds",
                List.of("BASSIN:toulouse", "EPCI:243100518", "COMMUNE:31555")));
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                count("SELECT count(*) FROM convention_coverage WHERE territory_id = 'COMMUNE:31555'")).isEqualTo(1));
        assertThat(count("SELECT count(*) FROM inbox_processed_event WHERE event_id = '" + record.id() + "'"))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM convention_coverage WHERE convention_id = '" + conventionId + "'"))
                .isEqualTo(3);
    }

    @Test
    @DisplayName("a malformed conventions record goes to territories-service.dlq.v1 and the next one is applied")
    void malformedToDeadLetter() throws Exception {
        KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        String conventionId = UUID.randomUUID().toString();
        // Poison on purpose: a raw record no relay writes (sent with send, without headers), on the key of the next.
        String garbage = "not a cloud event " + UUID.randomUUID();
        kafka.send("conventions.events.v1", conventionId, garbage);
        kafka.send(conventionSigned(conventionId, "TERRITORIALE", "EPCI:243300316", List.of("EPCI:243300316"),
                List.of(), "2012-05-01"));
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                count("SELECT count(*) FROM convention_coverage WHERE convention_id = '" + conventionId + "'")).isEqualTo(1));
        assertThat(kafka.await("territories-service.dlq.v1", r -> garbage.equals(r.value()), 1, Duration.ofSeconds(30)))
                .hasSize(1);
    }
}
