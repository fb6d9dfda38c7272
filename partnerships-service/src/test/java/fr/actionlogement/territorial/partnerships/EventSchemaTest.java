package fr.actionlogement.territorial.partnerships;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import fr.actionlogement.territorial.testsupport.KafkaTestClient;
import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Every payload this service publishes, read back from the real topic, holds against docs/events/partnerships/. */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "partnerships"))
class EventSchemaTest extends PartnershipsTestSupport {

    private static final Path SCHEMAS = Path.of("..", "docs", "events", "partnerships");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private List<ConsumerRecord<String, String>> events(String id, int count) {
        return new KafkaTestClient(bootstrap).await("partnerships.events.v1", r -> id.equals(r.key()), count,
                Duration.ofSeconds(60));
    }

    private void assertValid(ConsumerRecord<String, String> record) throws Exception {
        JsonNode envelope = JSON.readTree(record.value());
        String type = envelope.get("type").asText();
        String name = type.replace("fr.actionlogement.partnerships.", "").replace(".v1", "");
        Path file = SCHEMAS.resolve(name + ".v1.json");
        assertThat(file).as("schema of " + type).exists();
        String schemaText = Files.readString(file);
        Schema schema = registry.getSchema(schemaText, InputFormat.JSON);
        List<Error> errors = schema.validate(envelope.get("data").toString(), InputFormat.JSON);
        assertThat(errors).as(type + " payload " + envelope.get("data")).isEmpty();
        assertThat(envelope.get("specversion").asText()).isEqualTo("1.0");
        assertThat(envelope.get("source").asText()).isEqualTo("/territorial/partnerships-service");
        assertThat(envelope.get("subject").asText()).isEqualTo(record.key());
        assertThat(envelope.get("dataschema").asText()).isEqualTo(JSON.readTree(schemaText).get("$id").asText());
        assertThat(new String(record.headers().lastHeader("content-type").value()))
                .startsWith("application/cloudevents+json");
    }

    private static Map<String, JsonNode> byName(List<ConsumerRecord<String, String>> records) throws Exception {
        Map<String, JsonNode> out = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            JsonNode e = JSON.readTree(r.value());
            out.put(e.get("type").asText().replace("fr.actionlogement.partnerships.", "").replace(".v1", ""), e.get("data"));
        }
        return out;
    }

    @Test
    @DisplayName("R-21 R-22 R-24 every published event type validates against its JSON Schema, read back from Kafka")
    void publishedPayloadsMatchSchemas() throws Exception {
        World w = world();
        String full = create(w, true, "[{\"kind\":\"SUBVENTION\",\"amount\":250000.50,\"description\":\"40 PLAI\"}]")
                .path("id");
        upload(w.cilToken(), full, "projet.pdf", "application/pdf", pdf(4096));
        submit(w.cilToken(), full);
        post(uesl, full, "exclusivity-approval", "{\"granted\":true,\"reasons\":\"Coherent with the PLH\"}");
        post(uesl, full, "investment-opinion", "{\"favourable\":true}");
        post(w.cilToken(), full, "sign", "{\"signedOn\":\"2026-03-15\"}");
        post(fr.actionlogement.territorial.testsupport.TestTokens.collectivite(w.epci()), full, "sign",
                "{\"signedOn\":\"2026-03-16\"}");
        post(w.cilToken(), full, "end", "{\"endedOn\":\"2029-03-14\",\"reason\":\"Term reached\"}");

        String refused = create(w, true, null).path("id");
        submit(w.cilToken(), refused);
        post(uesl, refused, "exclusivity-approval", "{\"granted\":false,\"reasons\":\"Shuts out the other CILs\"}");

        String fonciere = given().auth().oauth2(uesl).contentType(io.restassured.http.ContentType.JSON).body("""
                {"partyType":"APAGL","collectiviteId":"%s","object":"GRL","durationMonths":12}""".formatted(w.commune()))
                .when().post(BASE + "/agreements").then().statusCode(201).extract().path("id");
        post(uesl, fonciere, "uesl-decision", "{\"staysOut\":true,\"decidedOn\":\"2026-01-15\",\"reasons\":\"GRL\"}");
        submit(uesl, fonciere);

        List<ConsumerRecord<String, String>> fullEvents = events(full, 7);
        List<ConsumerRecord<String, String>> refusedEvents = events(refused, 3);
        List<ConsumerRecord<String, String>> fonciereEvents = events(fonciere, 1);
        assertThat(byName(fullEvents).keySet()).containsExactlyInAnyOrder("PartnershipSubmitted",
                "ExclusivityApprovalRequested", "InvestmentOpinionRequested", "ExclusivityApprovalGranted",
                "InvestmentOpinionGiven", "PartnershipSigned", "PartnershipEnded");
        // PartnershipSigned carries both signatures and the later date.
        JsonNode signedEvent = byName(fullEvents).get("PartnershipSigned");
        assertThat(signedEvent.get("signedOn").asText()).isEqualTo("2026-03-16");
        assertThat(signedEvent.get("signatures")).hasSize(2);
        assertThat(signedEvent.get("signatures").get(0).get("onBehalfOf").asText()).isEqualTo("CIL:" + w.cil());
        assertThat(signedEvent.get("signatures").get(1).get("side").asText()).isEqualTo("AUTHORITY");
        assertThat(byName(refusedEvents).keySet()).containsExactlyInAnyOrder("PartnershipSubmitted",
                "ExclusivityApprovalRequested", "ExclusivityApprovalRefused");
        Set<String> all = new java.util.HashSet<>();
        for (var r : List.of(fullEvents, refusedEvents, fonciereEvents)) {
            for (var record : r) {
                assertValid(record);
                all.add(JSON.readTree(record.value()).get("type").asText());
            }
        }
        assertThat(all).hasSize(8);
        // Order per aggregate is kept: one key, one partition.
        assertThat(fullEvents.stream().map(r -> r.partition()).collect(Collectors.toSet())).hasSize(1);
    }

    @Test
    @DisplayName("R-21 the exact ExclusivityApprovalRequested payload: its fields, and its schema")
    void exclusivityApprovalRequestedPayload() throws Exception {
        World w = world();
        String id = create(w, true, null).path("id");
        byte[] pdf = pdf(1234);
        String sha = upload(w.cilToken(), id, "projet.pdf", "application/pdf", pdf).path("sha256");
        submit(w.cilToken(), id);
        ConsumerRecord<String, String> record = new KafkaTestClient(bootstrap).await("partnerships.events.v1",
                r -> id.equals(r.key()) && r.value().contains("ExclusivityApprovalRequested"), 1, Duration.ofSeconds(60))
                .get(0);
        assertValid(record);
        JsonNode data = JSON.readTree(record.value()).get("data");
        assertThat(JSON.readTree(record.value()).get("type").asText())
                .isEqualTo("fr.actionlogement.partnerships.ExclusivityApprovalRequested.v1");
        assertThat(data.get("agreementId").asText()).isEqualTo(id);
        assertThat(data.get("partyType").asText()).isEqualTo("CIL");
        assertThat(data.get("cilId").asText()).isEqualTo(w.cil());
        assertThat(data.get("collectiviteId").asText()).isEqualTo(w.epci());
        assertThat(data.get("regionCode").asText()).isEqualTo(w.region());
        assertThat(data.get("territoryId").asText()).isEqualTo("EPCI:" + w.epci());
        assertThat(data.get("exclusivityScope").asText()).isEqualTo("Rental intermediation for young employees");
        assertThat(data.get("durationMonths").asInt()).isEqualTo(36);
        assertThat(data.get("startDate").asText()).isEqualTo("2026-01-01");
        assertThat(data.get("draftDocument").get("sha256").asText()).isEqualTo(sha);
        assertThat(data.get("draftDocument").get("sizeBytes").asLong()).isEqualTo(1234);
        assertThat(data.get("requestedBy").asText()).isEqualTo("cil-user-" + w.cil());
        assertThat(data.has("requestedAt")).isTrue();
        // A payload missing a required field or with a wrong type is caught by the schema.
        Schema schema = registry.getSchema(Files.readString(SCHEMAS.resolve("ExclusivityApprovalRequested.v1.json")),
                InputFormat.JSON);
        var broken = (com.fasterxml.jackson.databind.node.ObjectNode) data.deepCopy();
        broken.remove("exclusivityScope");
        broken.put("partyType", "APAGL");
        assertThat(schema.validate(broken.toString(), InputFormat.JSON)).hasSizeGreaterThanOrEqualTo(2);
    }

    private static io.restassured.specification.RequestSpecification given() {
        return io.restassured.RestAssured.given();
    }
}
