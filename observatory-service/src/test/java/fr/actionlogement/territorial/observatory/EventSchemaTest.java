package fr.actionlogement.territorial.observatory;

import static fr.actionlogement.territorial.observatory.Fixtures.API;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Every payload the service actually published on its topic matches its JSON Schema in docs/events/observatory. */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "observatory"))
class EventSchemaTest {

    static final Path SCHEMAS = Path.of("..", "docs", "events", "observatory");
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DataSource dataSource;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    @DisplayName("R-40..R-43 published NeedsStudyCommissioned, NeedsStudyPublished and ObservationsPublished match their schemas")
    void publishedPayloadsMatchSchemas() throws Exception {
        Fixtures fx = new Fixtures(bootstrap, dataSource);
        Fixtures.Hierarchy h = fx.hierarchy();
        String cil = "6" + String.format("%08d", Math.abs(UUID.randomUUID().hashCode()) % 100_000_000);
        fx.presence(cil, h.region(), true);
        fx.awaitCount("SELECT count(*) FROM cil_presence WHERE cil_id = '" + cil + "'", 1);

        String study = given().auth().oauth2(TestTokens.cil(cil)).contentType(ContentType.JSON).body("""
                {"title":"Mobilité","territoryId":"%s","topics":["ADEQUATION_OFFRE_DEMANDE_ACCESSION"],
                 "publicsPrioritaires":["SALARIES_EN_MOBILITE"],"launchingCilIds":["%s"],
                 "operationalInterest":"Housing for employees moving to the new plant","cost":1000.50,
                 "financing":[{"partnerType":"CIL","partnerId":"%s","partnerName":"CIL","amount":500.50},
                              {"partnerType":"FEDERATION_PROFESSIONNELLE","partnerName":"UIMM","amount":500}],
                 "sources":[{"type":"PARTNER_DATA","name":"Pôle emploi"}]}""".formatted(h.commune2(), cil, cil))
                .when().post(API + "/studies").then().statusCode(201).extract().path("id");
        String url = API + "/studies/" + study;
        given().auth().oauth2(TestTokens.cil(cil)).contentType(ContentType.JSON).header("If-Match", "\"0\"").body("{}")
                .when().post(url + "/commission").then().statusCode(200);
        given().auth().oauth2(TestTokens.cil(cil)).contentType("application/pdf").header("If-Match", "\"1\"")
                .body("%PDF-1.4 report".getBytes()).when().put(url + "/report?fileName=etude.pdf").then().statusCode(200);
        given().auth().oauth2(TestTokens.cil(cil)).contentType(ContentType.JSON).header("If-Match", "\"2\"")
                .body("{\"resultsSummary\":\"300 moves a year\"}").when().post(url + "/delivery").then().statusCode(200);
        given().auth().oauth2(TestTokens.cil(cil)).contentType(ContentType.JSON).header("If-Match", "\"3\"").body("{}")
                .when().post(url + "/publication").then().statusCode(200)
                .body("reportAttached", org.hamcrest.Matchers.is(true));
        given().auth().oauth2(TestTokens.observateur()).when().get(url + "/report").then().statusCode(200)
                .contentType("application/pdf");
        given().auth().oauth2(TestTokens.cil(cil)).contentType(ContentType.JSON).body("""
                {"territoryId":"%s","indicator":"MOBILITES_PROFESSIONNELLES","publicPrioritaire":"SALARIES_EN_MOBILITE",
                 "period":"2024-05","value":3,"source":"DSN","visibility":"SHARED"}""".formatted(h.commune2()))
                .when().post(API + "/observations").then().statusCode(201);

        KafkaRead read = new KafkaRead(fx);
        read.awaitType(study, "NeedsStudyCommissioned");
        read.awaitType(study, "NeedsStudyPublished");
        List<ConsumerRecord<String, String>> all = fx.kafka().readAll("observatory.events.v1", r -> true,
                Duration.ofSeconds(3));
        Map<String, Schema> schemas = new HashMap<>();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemaRegistryConfig(
                        com.networknt.schema.SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
        Map<String, Integer> seen = new HashMap<>();
        for (ConsumerRecord<String, String> r : all) {
            JsonNode envelope = JSON.readTree(r.value());
            String type = envelope.get("type").asText();
            String name = type.replace("fr.actionlogement.observatory.", "").replace(".v1", "");
            assertThat(envelope.get("dataschema").asText())
                    .isEqualTo("https://schemas.actionlogement.fr/territorial/observatory/" + name + ".v1.json");
            assertThat(envelope.get("subject").asText()).isEqualTo(r.key());
            Schema schema = schemas.computeIfAbsent(name, n -> {
                try {
                    return registry.getSchema(Files.readString(SCHEMAS.resolve(n + ".v1.json")), InputFormat.JSON);
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            var errors = schema.validate(envelope.get("data").toString(), InputFormat.JSON);
            assertThat(errors).as("%s %s", name, envelope.get("data")).isEmpty();
            seen.merge(name, 1, Integer::sum);
        }
        assertThat(seen).containsKeys("NeedsStudyCommissioned", "NeedsStudyPublished", "ObservationsPublished");
    }

    private record KafkaRead(Fixtures fx) {
        void awaitType(String key, String name) {
            assertThat(fx.kafka().await("observatory.events.v1",
                    r -> key.equals(r.key()) && r.value().contains("observatory." + name + ".v1"), 1,
                    Duration.ofSeconds(30))).hasSize(1);
        }
    }
}
