package fr.actionlogement.territorial.territories;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.testsupport.KafkaTestClient;
import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

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

    @Test
    @DisplayName("R-15/R-31 a ConventionSigned record on Kafka marks the basin and its EPCI as covered, once, shown in reads")
    void conventionSignedMarksCoverage() throws Exception {
        String conventionId = UUID.randomUUID().toString();
        String eventId = UUID.randomUUID().toString();
        String record = """
                {"specversion":"1.0","id":"%s","source":"/territorial/conventions-service",
                 "type":"fr.actionlogement.conventions.ConventionSigned.v1","subject":"%s",
                 "time":"2014-03-01T10:00:00Z","datacontenttype":"application/json",
                 "dataschema":"https://schemas.actionlogement.fr/territorial/conventions/ConventionSigned.v1.json",
                 "data":{"conventionId":"%s","version":1,"kind":"CADRE_DE_TERRITOIRE","territoryId":"BASSIN:toulouse",
                   "coveredTerritoryIds":["BASSIN:toulouse","EPCI:243100518"],
                   "signatories":[{"partyType":"CONFERENCE_TERRITORIALE","partyId":"CT:toulouse:protocole-cadre-2013","name":null}],
                   "objectives":[],"signedOn":"2014-03-01"}}"""
                .formatted(eventId, conventionId, conventionId);
        KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        kafka.send("conventions.events.v1", conventionId, record);
        kafka.send("conventions.events.v1", conventionId, record); // redelivery
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> given().auth().oauth2(TestTokens.observateur()).when().get(API + "/basins/BASSIN:toulouse")
                        .then().statusCode(200).body("coveredByConventions", hasItem(conventionId)));
        given().auth().oauth2(TestTokens.cil("300000001")).when().get(API + "/territories/EPCI:243100518")
                .then().statusCode(200).body("coveredByConventions", hasItem(conventionId));
        // A marker after both copies on the same partition: once it is applied, both copies were seen.
        String marker = UUID.randomUUID().toString();
        kafka.send("conventions.events.v1", conventionId, record.replace(eventId, marker)
                .replace("\"EPCI:243100518\"]", "\"EPCI:243100518\",\"COMMUNE:31555\"]"));
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                count("SELECT count(*) FROM convention_coverage WHERE territory_id = 'COMMUNE:31555'")).isEqualTo(1));
        assertThat(count("SELECT count(*) FROM inbox_processed_event WHERE event_id = '" + eventId + "'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM convention_coverage WHERE convention_id = '" + conventionId + "'"))
                .isEqualTo(3);
    }

    @Test
    @DisplayName("a malformed conventions record goes to territories-service.dlq.v1 and the next one is applied")
    void malformedToDeadLetter() throws Exception {
        KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        String garbage = "not a cloud event " + UUID.randomUUID();
        kafka.send("conventions.events.v1", "bad", garbage);
        String conventionId = UUID.randomUUID().toString();
        kafka.send("conventions.events.v1", "bad", """
                {"specversion":"1.0","id":"%s","source":"/territorial/conventions-service",
                 "type":"fr.actionlogement.conventions.ConventionSigned.v1","subject":"%s",
                 "data":{"conventionId":"%s","kind":"TERRITORIALE","territoryId":"EPCI:243300316",
                   "coveredTerritoryIds":["EPCI:243300316"],"signedOn":"2012-05-01"}}"""
                .formatted(UUID.randomUUID(), conventionId, conventionId));
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                count("SELECT count(*) FROM convention_coverage WHERE convention_id = '" + conventionId + "'")).isEqualTo(1));
        assertThat(kafka.await("territories-service.dlq.v1", r -> garbage.equals(r.value()), 1, Duration.ofSeconds(30)))
                .hasSize(1);
    }
}
