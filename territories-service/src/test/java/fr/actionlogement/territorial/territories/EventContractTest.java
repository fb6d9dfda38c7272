package fr.actionlogement.territorial.territories;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import fr.actionlogement.territorial.testsupport.EventContract;
import fr.actionlogement.territorial.testsupport.KafkaTestClient;
import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Every payload this service published to Kafka matches its JSON Schema in docs/events/territories/, and the records
 * the other services' tests send in its name (test-support's EventFixture) are still what its relay writes.
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "territories"))
class EventContractTest {

    static final Path SCHEMAS = Path.of("..", "docs", "events", "territories");
    static final String API = "/api/territories";
    static final List<String> EVENTS = List.of("CilRegistered", "CilPresenceChanged", "RegionalConferenceChanged",
            "DelegueAssigned", "BasinDefined", "TerritorialConferenceInstalled", "ConferenceInstallationOverdue");
    // A sample of the reference: the special cases of R-30.
    static final Set<String> REFERENCE_SAMPLE = Set.of("COMMUNE:75056", "EPCI:217500016", "EPCI:200054781",
            "EPCI:200046977", "REGION:84", "REGION:01", "DEPARTEMENT:2A", "COMMUNE:2A004", "COMMUNE:97502",
            "COMMUNE:22016", "COMMUNE:01015");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private final ObjectMapper mapper = new ObjectMapper();
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final Map<String, Schema> schemas = new HashMap<>();

    @Test
    @DisplayName("R-30..R-34 every event published on territories.events.v1 and territories.reference.v1 matches its schema")
    void publishedPayloadsMatchSchemas() throws Exception {
        produceOneOfEach();
        KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        List<ConsumerRecord<String, String>> events = kafka.readAll("territories.events.v1", r -> true,
                Duration.ofSeconds(6));
        Set<String> seen = new HashSet<>();
        Set<String> matchRecorded = new HashSet<>();
        for (ConsumerRecord<String, String> r : events) {
            seen.add(validate(r));
            matchRecorded.add(EventContract.assertMatchesRecorded(r));
        }
        assertThat(seen).containsAll(EVENTS);
        List<ConsumerRecord<String, String>> reference = kafka.await("territories.reference.v1",
                r -> REFERENCE_SAMPLE.contains(r.key()), REFERENCE_SAMPLE.size(), Duration.ofSeconds(120));
        assertThat(reference).extracting(ConsumerRecord::key).containsAll(REFERENCE_SAMPLE);
        for (ConsumerRecord<String, String> r : reference) {
            assertThat(validate(r)).isEqualTo("TerritoryRegistered");
            matchRecorded.add(EventContract.assertMatchesRecorded(r));
        }
        // The consumers' tests (conventions, partnerships, observatory) send stored copies of these records: each one
        // is still what this service's relay writes, headers and data shape included.
        assertThat(matchRecorded).containsExactlyInAnyOrderElementsOf(EventContract.recorded("territories"));
    }

    private String validate(ConsumerRecord<String, String> record) throws Exception {
        JsonNode envelope = mapper.readTree(record.value());
        String type = envelope.get("type").asText();
        assertThat(type).startsWith("fr.actionlogement.territories.").endsWith(".v1");
        String name = type.substring("fr.actionlogement.territories.".length(), type.length() - 3);
        assertThat(envelope.get("dataschema").asText())
                .isEqualTo("https://schemas.actionlogement.fr/territorial/territories/" + name + ".v1.json");
        assertThat(envelope.get("subject").asText()).isEqualTo(record.key());
        assertThat(envelope.get("source").asText()).isEqualTo("/territorial/territories-service");
        Schema schema = schemas.computeIfAbsent(name, n -> {
            try {
                return registry.getSchema(Files.readString(SCHEMAS.resolve(n + ".v1.json")));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        List<Error> errors = schema.validate(envelope.get("data").toString(), InputFormat.JSON);
        assertThat(errors).as("%s %s", name, envelope.get("data")).isEmpty();
        return name;
    }

    private void produceOneOfEach() {
        String uesl = TestTokens.uesl();
        given().auth().oauth2(uesl).contentType(ContentType.JSON).body("{\"id\":\"400000001\",\"name\":\"CIL Contrat\"}")
                .when().post(API + "/cils").then().statusCode(201);
        given().auth().oauth2(uesl).contentType(ContentType.JSON)
                .body("{\"id\":\"400000002\",\"name\":\"Filiale Contrat\",\"parentCilId\":\"400000001\"}")
                .when().post(API + "/cils").then().statusCode(201);
        given().auth().oauth2(uesl).contentType(ContentType.JSON)
                .body("{\"territoryId\":\"COMMUNE:22016\",\"since\":\"2013-01-01\"}")
                .when().post(API + "/cils/400000001/presences").then().statusCode(201);
        given().auth().oauth2(uesl).contentType(ContentType.JSON).body("{\"memberCilIds\":[\"400000001\"]}")
                .when().put(API + "/regional-conferences/53").then().statusCode(200);
        given().auth().oauth2(uesl).contentType(ContentType.JSON)
                .body("{\"subject\":\"delegue-53\",\"username\":\"bretagne\",\"since\":\"2013-09-01\"}")
                .when().put(API + "/delegues/53").then().statusCode(200);
        String conference = "CT:rennes:protocole-cadre-2013";
        String etag = given().auth().oauth2(uesl).when().get(API + "/conferences/" + conference).then().statusCode(200)
                .extract().header("ETag");
        given().auth().oauth2(uesl).contentType(ContentType.JSON).header("If-Match", etag).body("""
                {"installedOn":"2014-01-20","members":[{"organisation":"MEDEF Bretagne","college":"EMPLOYEURS"},
                 {"organisation":"CGT Bretagne","college":"SALARIES"}]}""")
                .when().post(API + "/conferences/" + conference + "/installation").then().statusCode(200);
        // BasinDefined and ConferenceInstallationOverdue come from the seeded basins at start-up.
    }
}
