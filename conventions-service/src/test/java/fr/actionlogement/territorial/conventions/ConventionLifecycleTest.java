package fr.actionlogement.territorial.conventions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
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

/** A convention from proposal to evaluation through the HTTP API alone, and the events it published. */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "conventions"))
class ConventionLifecycleTest extends ConventionsTestBase {

    private static final Path SCHEMAS = Path.of("..", "docs", "events", "conventions");
    private static final String TOPIC = "conventions.events.v1";

    @Test
    @DisplayName("R-14 scenario: proposal, negotiation, signature, achievements, amendment, evaluation; every event matches its schema")
    void fromProposalToEvaluation() throws Exception {
        World w = world();
        String delegue = w.delegueToken();
        // A délégué proposes; the UESL negotiates, completes and signs.
        String id = as(delegue).header("Idempotency-Key", "propose-" + w.territoryId())
                .body(Map.of("campaignId", w.campaignId(), "territoryId", w.territoryId(), "kind", "TERRITORIALE",
                        "templateId", w.templateId(), "templateVersion", 1, "title", "Charte " + w.territoryId()))
                .post(BASE).then().statusCode(201).header("ETag", is("\"0\"")).body("status", is("DRAFT"))
                .extract().path("conventionId");
        transition(id, "negotiation", Map.of("reason", "Conférence régionale du 12 mai 2011")).then().statusCode(200);
        Map<String, Object> content = validContent(w);
        list(content, "objectives").add(objective("ACCES_PARC_PRIVE", "SALARIES_EN_MOBILITE", 2013, 40));
        String objectiveId = revise(id, content).then().statusCode(200).extract().path("content.objectives[0].objectiveId");
        transition(id, "submission", Map.of("reason", "Contenu complet")).then().statusCode(200)
                .body("status", is("READY_FOR_SIGNATURE"));
        transition(id, "signature", Map.of("signedOn", "2011-06-30", "reason", "Signature à Lyon")).then()
                .statusCode(200).body("status", is("SIGNED")).body("signedOn", is("2011-06-30"));
        // The signatory CIL reports achievements.
        as(TestTokens.cil(w.cilPresent())).header("Idempotency-Key", "a-" + id).body(Map.of("value", 60,
                "recordedOn", "2012-12-31")).post(BASE + "/" + id + "/objectives/" + objectiveId + "/achievements")
                .then().statusCode(201);
        as(TestTokens.cil(w.cilPresent())).header("Idempotency-Key", "a-" + id).body(Map.of("value", 60,
                "recordedOn", "2012-12-31")).post(BASE + "/" + id + "/objectives/" + objectiveId + "/achievements")
                .then().statusCode(201).header("Idempotent-Replayed", "true");
        // An avenant raises an objective; version 1 stays readable.
        Map<String, Object> amended = validContent(w);
        list(amended, "objectives").get(0).put("objectiveId", objectiveId);
        list(amended, "objectives").get(0).put("target", 120);
        as(uesl).header("If-Match", etag(id)).body(Map.of("reason", "Avenant n°1", "content", amended))
                .post(BASE + "/" + id + "/amendments").then().statusCode(200).body("version", is(2));
        as(uesl).get(BASE + "/" + id + "/versions/1").then().statusCode(200).body("convention.version", is(1))
                .body("convention.content.objectives.size()", is(2));
        transition(id, "evaluation", Map.of("assessment", "Construction à 50 % de l'objectif", "evaluatedOn",
                "2013-12-31")).then().statusCode(200).body("status", is("EVALUATED"))
                .body("evaluation.results[0].achieved", is(60)).body("evaluation.results[0].progressPercent", is(50.0f));

        // A second convention is signed then terminated, so every event type is published.
        World w2 = world();
        String other = signed(w2, validContent(w2));
        transition(other, "termination", Map.of("reason", "Dénonciation par la collectivité", "terminatedOn",
                "2012-03-01")).then().statusCode(200).body("status", is("TERMINATED"));

        KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        List<ConsumerRecord<String, String>> records = kafka.await(TOPIC, r -> id.equals(r.key()), 7,
                Duration.ofSeconds(30));
        records.addAll(kafka.await(TOPIC, r -> other.equals(r.key()), 5, Duration.ofSeconds(30)));
        Map<String, JsonNode> byType = new HashMap<>();
        Set<String> matchRecorded = new HashSet<>();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        for (ConsumerRecord<String, String> r : records) {
            JsonNode envelope = JSON.readTree(r.value());
            String type = envelope.get("type").asText();
            String name = type.replace("fr.actionlogement.conventions.", "").replace(".v1", "");
            assertThat(envelope.get("specversion").asText()).isEqualTo("1.0");
            assertThat(envelope.get("source").asText()).isEqualTo("/territorial/conventions-service");
            assertThat(envelope.get("subject").asText()).isEqualTo(r.key());
            assertThat(envelope.get("dataschema").asText())
                    .isEqualTo("https://schemas.actionlogement.fr/territorial/conventions/" + name + ".v1.json");
            Schema schema = registry.getSchema(Files.readString(SCHEMAS.resolve(name + ".v1.json")));
            List<Error> errors = schema.validate(envelope.get("data").toString(), InputFormat.JSON);
            assertThat(errors).as(name + " payload " + envelope.get("data")).isEmpty();
            byType.putIfAbsent(name, envelope.get("data"));
            if (EventContract.isRecorded(r)) {
                matchRecorded.add(EventContract.assertMatchesRecorded(r));
            }
        }
        // territories' and the observatory's tests send stored copies of these records (test-support's EventFixture):
        // each one is still what this service's relay writes, headers and data shape included.
        assertThat(matchRecorded).containsExactlyInAnyOrderElementsOf(EventContract.recorded("conventions"));
        assertThat(byType.keySet()).containsExactlyInAnyOrder("ConventionProposed", "ConventionNegotiationStarted",
                "ConventionSubmittedForSignature",
                "ConventionSigned", "AchievementRecorded", "ConventionAmended", "ConventionEvaluated",
                "ConventionTerminated");
        // Exactly one achievement was recorded: the retry with the same Idempotency-Key was replayed.
        assertThat(records.stream().filter(r -> r.value().contains("AchievementRecorded.v1"))).hasSize(1);

        // The exact ConventionSigned payload of the first convention.
        JsonNode signed = JSON.readTree(records.stream().filter(r -> r.key().equals(id)
                && r.value().contains("ConventionSigned.v1")).findFirst().orElseThrow().value()).get("data");
        String objective2 = as(uesl).get(BASE + "/" + id + "/versions/1").then().extract()
                .path("convention.content.objectives[1].objectiveId");
        JsonNode expected = JSON.readTree(
                """
                        {"conventionId":"%s","version":1,"kind":"TERRITORIALE","territoryId":"%s",
                         "coveredTerritoryIds":["%s"],
                         "signatories":[{"partyType":"CIL","partyId":"%s","name":"CIL %s"},
                                        {"partyType":"COLLECTIVITE","partyId":"%s","name":"COLLECTIVITE %s"}],
                         "objectives":[{"objectiveId":"%s","indicator":"CONSTRUCTION_NEUVE","publicPrioritaire":"JEUNES_SALARIES","year":2012,"target":100},
                                       {"objectiveId":"%s","indicator":"ACCES_PARC_PRIVE","publicPrioritaire":"SALARIES_EN_MOBILITE","year":2013,"target":40}],
                         "signedOn":"2011-06-30","regionCode":"%s",
                         "partyKeys":["AUTRE:CLLAJ","CIL:%s","COLLECTIVITE:%s"],
                         "signatures":[{"partyType":"CIL","partyId":"%s","signedOn":"2011-06-30","signedBy":"uesl-user","onBehalf":true},
                                       {"partyType":"COLLECTIVITE","partyId":"%s","signedOn":"2011-06-30","signedBy":"uesl-user","onBehalf":true}]}"""
                        .formatted(id, w.territoryId(), w.territoryId(), w.cilPresent(),
                                w.cilPresent(), w.epciSiren(), w.epciSiren(), objectiveId, objective2, w.region(),
                                w.cilPresent(), w.epciSiren(), w.cilPresent(), w.epciSiren()));
        assertThat(signed).isEqualTo(expected);

        // The audit trail tells who did what, when and why.
        as(uesl).get(BASE + "/" + id + "/history").then().statusCode(200).body("totalItems", is(8))
                .body("items[1].reason", is("Conférence régionale du 12 mai 2011"))
                .body("items[4].action", is("SIGNED")).body("items[4].reason", is("Signature à Lyon"));
    }

    @Test
    @DisplayName("the stored documents keep the application's JSON (ISO dates), the format of the rows written before Hibernate mapped them")
    void storedDocumentsKeepTheApplicationsJson() throws Exception {
        World w = world();
        String id = signed(w, validContent(w));
        // Hibernate's own Jackson mapper would write an Instant as a number and a LocalDate as an array.
        for (String table : List.of("convention WHERE id", "convention_version WHERE convention_id")) {
            JsonNode stored = JSON.readTree(text("SELECT document::text FROM " + table + " = '" + id + "'"));
            assertThat(stored.get("proposedAt").asText()).as(table).matches("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z");
            assertThat(stored.get("signedOn").asText()).as(table).isEqualTo("2011-06-30");
            assertThat(stored.get("status").asText()).as(table).isEqualTo("SIGNED");
        }
        JsonNode template = JSON.readTree(text("SELECT document::text FROM template_version WHERE template_id = '"
                + w.templateId() + "'"));
        assertThat(template.get("kind").asText()).isEqualTo("TERRITORIALE");
        assertThat(template.get("sections").isArray()).isTrue();
    }

    private String text(String sql) throws Exception {
        try (var c = dataSource.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getString(1);
        }
    }

    @Test
    @DisplayName("collections filter by territory, status, CIL, campaign and year, paginated with a stable order")
    void filtersAndPagination() {
        World w = world();
        String a = signed(w, validContent(w));
        String campaign2 = createCampaign(10);
        as(w.delegueToken()).body(Map.of("campaignId", campaign2, "territoryId", w.territoryId(), "kind",
                "TERRITORIALE", "templateId", w.templateId(), "templateVersion", 1)).post(BASE).then().statusCode(201);
        as(uesl).queryParam("territoryId", w.territoryId()).queryParam("size", 1).queryParam("sort", "proposedAt,asc")
                .get(BASE).then().statusCode(200).body("totalItems", is(2)).body("items.size()", is(1))
                .body("items[0].conventionId", is(a)).header("Link", org.hamcrest.Matchers.containsString("rel=\"next\""));
        as(uesl).queryParam("territoryId", w.territoryId()).queryParam("status", "SIGNED").get(BASE).then()
                .body("totalItems", is(1)).body("items[0].conventionId", is(a));
        as(uesl).queryParam("cilId", w.cilPresent()).get(BASE).then().body("totalItems", is(1));
        as(uesl).queryParam("campaignId", campaign2).get(BASE).then().body("totalItems", is(1));
        as(uesl).queryParam("territoryId", w.territoryId()).queryParam("year", 2013).get(BASE).then()
                .body("totalItems", is(2));
        as(uesl).queryParam("territoryId", w.territoryId()).queryParam("year", 2015).get(BASE).then()
                .body("totalItems", is(0));
        as(uesl).queryParam("status", "BOGUS").get(BASE).then().statusCode(400)
                .contentType("application/problem+json");
        as(uesl).queryParam("sort", "nope").get(BASE).then().statusCode(400).body("errors[0].field", is("sort"));
    }
}
