package fr.actionlogement.territorial.buildingblocks;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.buildingblocks.api.Idempotency;
import fr.actionlogement.territorial.buildingblocks.probe.ProbeConsumer;
import fr.actionlogement.territorial.buildingblocks.probe.ProbeResource;
import fr.actionlogement.territorial.testsupport.KafkaTestClient;
import fr.actionlogement.territorial.testsupport.RealInfrastructure;
import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "building_blocks"))
class BuildingBlocksTest {

    @Inject
    DataSource dataSource;
    @Inject
    Idempotency idempotency;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "quarkus.datasource.jdbc.max-size")
    int poolSize;

    private final String uesl = TestTokens.uesl();

    private String createNote(String text) {
        return given().auth().oauth2(uesl).contentType(ContentType.JSON).body("{\"text\":\"" + text + "\"}")
                .when().post("/probes").then().statusCode(201).extract().path("id").toString();
    }

    private List<ConsumerRecord<String, String>> recordsFor(String noteId, Duration wait, int atLeast) {
        return new KafkaTestClient(bootstrap).await(ProbeResource.TOPIC, r -> noteId.equals(r.key()), atLeast, wait);
    }

    private long count(String sql) throws Exception {
        try (var c = dataSource.getConnection(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    @DisplayName("the relay's record, as on the wire, is applied once by the consumer mechanism every service uses")
    void relayedEventAppliedByConsumer() throws Exception {
        String id = createNote("committed");
        // Wait for one, then keep reading for a while: a second copy would show up here.
        List<ConsumerRecord<String, String>> records = recordsFor(id, Duration.ofSeconds(5), 2);
        assertThat(records).hasSize(1);
        ConsumerRecord<String, String> record = records.get(0);
        assertThat(record.value()).contains("\"specversion\":\"1.0\"", "\"type\":\"" + ProbeResource.TYPE + "\"",
                "\"subject\":\"" + id + "\"", "\"source\":\"/territorial/building-blocks-probe\"", "\"text\":\"committed\"");
        // The headers are exactly what KafkaTestClient.sendCloudEvent writes, so the services' tests send the same.
        assertThat(record.headers().toArray()).hasSize(1);
        assertThat(record.headers().lastHeader("content-type").value())
                .isEqualTo(KafkaTestClient.CLOUDEVENTS_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        assertThat(count("SELECT count(*) FROM outbox_event WHERE record_key = '" + id + "' AND published_at IS NOT NULL"))
                .isEqualTo(1);
        // The real consumer (SmallRye channel with the building blocks' connector defaults, then the Inbox) applied it.
        awaitApplied(eventId(record));
        assertThat(new KafkaTestClient(bootstrap).readAll("building-blocks-probe.dlq.v1", r -> id.equals(r.key()),
                Duration.ofSeconds(2)))
                .isEmpty();
    }

    @Test
    @DisplayName("a rolled-back transaction publishes nothing and leaves no outbox row")
    void rolledBackPublishesNothing() throws Exception {
        long before = count("SELECT count(*) FROM outbox_event");
        given().auth().oauth2(uesl).contentType(ContentType.JSON).body("{\"text\":\"rolled-back\"}")
                .when().post("/probes/failing")
                .then().statusCode(422).contentType("application/problem+json").body("rule", is("R-00"));
        assertThat(count("SELECT count(*) FROM outbox_event")).isEqualTo(before);
        assertThat(count("SELECT count(*) FROM probe_note WHERE text = 'rolled-back'")).isZero();
        // Prove the relay is alive: a later commit goes through, and the rolled-back text never did.
        String later = createNote("after-rollback");
        assertThat(recordsFor(later, Duration.ofSeconds(20), 1)).hasSize(1);
        assertThat(new KafkaTestClient(bootstrap).readAll(ProbeResource.TOPIC,
                r -> r.value().contains("rolled-back"), Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    @DisplayName("an event written while Kafka is down is kept, and published once the broker is back")
    void publishedAfterBrokerRestart() throws Exception {
        var kafka = RealInfrastructure.get().embeddedKafka().orElseThrow();
        kafka.stop();
        String id;
        try {
            id = createNote("while-down"); // the write itself must not fail
            Thread.sleep(1500);
            assertThat(count("SELECT count(*) FROM outbox_event WHERE record_key = '" + id + "' AND published_at IS NULL"))
                    .isEqualTo(1);
        } finally {
            kafka.start();
        }
        assertThat(recordsFor(id, Duration.ofSeconds(60), 1)).hasSize(1);
    }

    @Test
    @DisplayName("a redelivered record, a byte-for-byte copy of the relay's, is applied once (inbox)")
    void duplicateAppliedOnce() throws Exception {
        String id = createNote("dup");
        ConsumerRecord<String, String> original = recordsFor(id, Duration.ofSeconds(20), 1).get(0);
        String eventId = eventId(original);
        awaitApplied(eventId);
        KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        kafka.replay(ProbeResource.TOPIC, original);
        kafka.replay(ProbeResource.TOPIC, original);
        // A later event of the same aggregate lands on the same partition: once it is applied, both copies were seen.
        String marker = UUID.randomUUID().toString();
        kafka.sendCloudEvent(ProbeResource.TOPIC, id, envelope(marker, "{\"text\":\"marker\"}"));
        awaitApplied(marker);
        assertThat(count("SELECT count(*) FROM probe_applied WHERE event_id = '" + eventId + "'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM inbox_processed_event WHERE event_id = '" + eventId + "'")).isEqualTo(1);
    }

    @Test
    @DisplayName("a poison record goes to the dead-letter topic and the next relayed one is processed")
    void malformedToDeadLetter() throws Exception {
        KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        String garbage = "not json " + UUID.randomUUID();
        kafka.send(ProbeResource.TOPIC, "bad", garbage);
        String next = UUID.randomUUID().toString();
        kafka.sendCloudEvent(ProbeResource.TOPIC, "bad", envelope(next, "{\"text\":\"next\"}"));
        awaitApplied(next);
        assertThat(kafka.await("building-blocks-probe.dlq.v1", r -> garbage.equals(r.value()), 1, Duration.ofSeconds(20)))
                .hasSize(1);
    }

    @Test
    @DisplayName("dead letters are listed and replayed once by an admin after the cause is fixed; a poison is discarded")
    void deadLettersReplayed() throws Exception {
        KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        String admin = TestTokens.admin();
        String dlq = "building-blocks-probe.dlq.v1";
        String id;
        String garbage = "poison " + UUID.randomUUID();
        ProbeConsumer.broken = true;
        try {
            id = createNote(ProbeConsumer.FIXABLE + "-" + UUID.randomUUID().toString().substring(0, 8));
            kafka.send(ProbeResource.TOPIC, "poison", garbage);
            kafka.await(dlq, r -> id.equals(r.key()), 1, Duration.ofSeconds(30));
            kafka.await(dlq, r -> garbage.equals(r.value()), 1, Duration.ofSeconds(30));
        } finally {
            ProbeConsumer.broken = false;
        }
        String eventId = eventId(recordsFor(id, Duration.ofSeconds(5), 1).get(0));
        assertThat(count("SELECT count(*) FROM probe_applied WHERE event_id = '" + eventId + "'")).isZero();

        given().auth().oauth2(admin).when().get("/admin/dead-letters")
                .then().statusCode(200).body("topic", is(dlq))
                .body("items.find { it.eventId == '" + eventId + "' }.originalTopic", is(ProbeResource.TOPIC))
                .body("items.find { it.eventId == '" + eventId + "' }.reason", containsString("broken"))
                .body("items.find { it.key == 'poison' }.eventId", is((Object) null));
        // Only admins; and the replay is a POST.
        given().auth().oauth2(uesl).when().post("/admin/dead-letters/replay")
                .then().statusCode(403).contentType("application/problem+json");

        given().auth().oauth2(admin).when().post("/admin/dead-letters/replay")
                .then().statusCode(200).body("replayedByTopic.'" + ProbeResource.TOPIC + "'", notNullValue())
                .body("discarded.key", hasItem("poison"));
        awaitApplied(eventId);
        // Replayed once: a second replay has nothing left, and the event was applied once.
        given().auth().oauth2(admin).when().post("/admin/dead-letters/replay")
                .then().statusCode(200).body("replayed", is(0));
        given().auth().oauth2(admin).when().get("/admin/dead-letters").then().statusCode(200).body("pending", is(0));
        assertThat(count("SELECT count(*) FROM probe_applied WHERE event_id = '" + eventId + "'")).isEqualTo(1);
        given().auth().oauth2(admin).when().get("/admin/inbox").then().statusCode(200)
                .body("find { it.consumer == 'probe-consumer' && it.eventType == '" + ProbeResource.TYPE + "' }.events",
                        notNullValue());
    }

    @Test
    @DisplayName("a bad JSON body gets a problem+json 400 and changes nothing")
    void badJson() throws Exception {
        long before = count("SELECT count(*) FROM probe_note");
        given().auth().oauth2(uesl).contentType(ContentType.JSON).body("{\"text\": ")
                .when().post("/probes")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", is("/problems/malformed-body")).body("status", is(400)).body("requestId", notNullValue());
        given().auth().oauth2(uesl).contentType(ContentType.JSON).body("{\"text\": [1]}")
                .when().post("/probes")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", is("text"));
        assertThat(count("SELECT count(*) FROM probe_note")).isEqualTo(before);
    }

    @Test
    @DisplayName("an empty or null JSON body is a 400 naming 'body', even without @NotNull, unless it is optional")
    void requiredBody() throws Exception {
        long before = count("SELECT count(*) FROM probe_note");
        for (String body : new String[] { "null", "", " null " }) {
            // createThenFail's parameter has no @NotNull: it used to get null and throw a NullPointerException (500).
            given().auth().oauth2(uesl).contentType(ContentType.JSON).body(body)
                    .when().post("/probes/failing")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("type", is("/problems/validation")).body("errors[0].field", is("body"));
            given().auth().oauth2(uesl).contentType(ContentType.JSON).body(body)
                    .when().post("/probes/echo")
                    .then().statusCode(200).body("present", is(false));
        }
        given().auth().oauth2(uesl).contentType(ContentType.JSON).body("{\"name\":\"x\"}")
                .when().post("/probes/echo")
                .then().statusCode(200).body("present", is(true));
        assertThat(count("SELECT count(*) FROM probe_note")).isEqualTo(before);
    }

    @Test
    @DisplayName("a body that does not match its multipart boundary is a 400 problem, not a 500")
    void malformedMultipart() {
        given().auth().oauth2(uesl).contentType("multipart/form-data; boundary=x")
                .body("{\"unexpected\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .when().post("/probes/upload")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", is("/problems/malformed-body"));
    }

    @Test
    @DisplayName("validation errors name the field; unknown resources and media types get problems")
    void validationAndOtherProblems() {
        given().auth().oauth2(uesl).contentType(ContentType.JSON).body("{\"text\":\"\"}")
                .when().post("/probes")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("text"));
        given().auth().oauth2(uesl).when().get("/probes/999999")
                .then().statusCode(404).contentType("application/problem+json").body("detail", containsString("999999"));
        given().auth().oauth2(uesl).contentType(ContentType.XML).body("<text/>")
                .when().post("/probes")
                .then().statusCode(415).contentType("application/problem+json");
        given().auth().oauth2(uesl).when().get("/probes/1/history?size=abc")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(uesl).when().get("/probes/not-a-number")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(uesl).when().get("/probes/1/history?size=0")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("size"));
    }

    @Test
    @DisplayName("updates need the current ETag in If-Match: missing 428, stale 412, nothing changed")
    void optimisticConcurrency() throws Exception {
        String id = createNote("v0");
        String etag = given().auth().oauth2(uesl).when().get("/probes/" + id).then().statusCode(200)
                .header("X-Content-Type-Options", "nosniff").header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer").extract().header("ETag");
        given().auth().oauth2(uesl).contentType(ContentType.JSON).body("{\"text\":\"no-etag\"}")
                .when().put("/probes/" + id).then().statusCode(428).contentType("application/problem+json");
        // If-Match compares strongly: the weak form of the current tag does not match.
        given().auth().oauth2(uesl).contentType(ContentType.JSON).header("If-Match", "W/" + etag)
                .body("{\"text\":\"weak\"}").when().put("/probes/" + id).then().statusCode(412);
        given().auth().oauth2(uesl).contentType(ContentType.JSON).header("If-Match", etag).body("{\"text\":\"v1\"}")
                .when().put("/probes/" + id).then().statusCode(200).header("ETag", is("\"1\""));
        given().auth().oauth2(uesl).contentType(ContentType.JSON).header("If-Match", etag).body("{\"text\":\"stale\"}")
                .when().put("/probes/" + id).then().statusCode(412).contentType("application/problem+json");
        given().auth().oauth2(uesl).when().get("/probes/" + id).then().body("text", is("v1"));
        given().auth().oauth2(uesl).when().get("/probes/" + id + "/history")
                .then().statusCode(200).body("totalItems", is(2)).body("items[1].action", is("UPDATED"))
                .body("items[1].actor", is("uesl-user")).body("items[1].reason", is("typo"));
    }

    @Test
    @DisplayName("Idempotency-Key: a retry replays the first response; the key with another body is refused")
    void idempotencyKey() throws Exception {
        String key = UUID.randomUUID().toString();
        String first = given().auth().oauth2(uesl).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body("{\"text\":\"once\"}").when().post("/probes").then().statusCode(201).extract().path("id")
                .toString();
        given().auth().oauth2(uesl).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body("{\"text\":\"once\"}").when().post("/probes")
                .then().statusCode(201).header("Idempotent-Replayed", "true").body("id", equalTo(Integer.valueOf(first)));
        given().auth().oauth2(uesl).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body("{\"text\":\"other\"}").when().post("/probes")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", is("/problems/idempotency-key-reused"));
        assertThat(count("SELECT count(*) FROM probe_note WHERE text = 'once'")).isEqualTo(1);
    }

    @Test
    @DisplayName("bad tokens get 401 problems, a wrong role 403: real signed tokens, security never off")
    void tokenRefusals() {
        given().when().get("/probes/1").then().statusCode(401).contentType("application/problem+json");
        for (String bad : List.of(TestTokens.expired(), TestTokens.wrongIssuer(), TestTokens.wrongAudience(),
                TestTokens.forgedSignature(), TestTokens.algNone())) {
            given().auth().oauth2(bad).when().get("/probes/1").then().statusCode(401);
        }
        given().auth().oauth2(TestTokens.observateur()).when().get("/probes/1").then().statusCode(403)
                .contentType("application/problem+json");
    }

    @Test
    @DisplayName("/me answers who the token says the caller is: roles, tenant claims and party keys; 401 without one")
    void callerFromTheToken() {
        given().auth().oauth2(TestTokens.cil("784301275")).when().get("/me").then().statusCode(200)
                .body("roles", equalTo(List.of("cil"))).body("cilId", equalTo("784301275"))
                .body("partyKeys", equalTo(List.of("CIL:784301275", "FILIALE:784301275")))
                .body("collectiviteId", nullValue()).body("subject", notNullValue());
        given().auth().oauth2(TestTokens.delegue("84")).when().get("/me").then().statusCode(200)
                .body("roles", equalTo(List.of("delegue-territorial"))).body("region", equalTo("84"))
                .body("partyKeys", equalTo(List.of()));
        given().auth().oauth2(TestTokens.collectivite("200046977")).when().get("/me").then().statusCode(200)
                .body("partyKeys", equalTo(List.of("COLLECTIVITE:200046977")));
        given().when().get("/me").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.forgedSignature()).when().get("/me").then().statusCode(401);
    }

    @Test
    @DisplayName("the operators' endpoints every service gets (dead letters, inbox counts) answer admins only")
    void adminEndpointsAreAdminOnly() {
        for (String token : List.of(uesl, TestTokens.delegue("84"), TestTokens.cil("784301275"),
                TestTokens.collectivite("200046977"), TestTokens.observateur())) {
            given().auth().oauth2(token).when().get("/admin/dead-letters").then().statusCode(403)
                    .contentType("application/problem+json");
            given().auth().oauth2(token).when().post("/admin/dead-letters/replay").then().statusCode(403);
            given().auth().oauth2(token).when().get("/admin/inbox").then().statusCode(403);
        }
        given().when().post("/admin/dead-letters/replay").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.admin()).when().get("/admin/inbox").then().statusCode(200);
    }

    @Test
    @DisplayName("text PostgreSQL cannot store (NUL, a lone surrogate) is a 400 naming the field, in a body or a parameter")
    void unstorableText() throws Exception {
        long before = count("SELECT count(*) FROM probe_note");
        given().auth().oauth2(uesl).contentType(ContentType.JSON).body("{\"text\":\"avant\\u0000apres\"}")
                .when().post("/probes")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", is("text"), "detail", containsString("NUL"));
        given().auth().oauth2(uesl).contentType(ContentType.JSON).body("{\"text\":\"broken \\ud800 char\"}")
                .when().post("/probes")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", is("text"));
        given().auth().oauth2(uesl).urlEncodingEnabled(false).when().get("/probes/search?text=a%00b")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", is("text"));
        given().auth().oauth2(uesl).when().get("/probes/search?text=plain").then().statusCode(200);
        assertThat(count("SELECT count(*) FROM probe_note")).isEqualTo(before);
    }

    @Test
    @DisplayName("a unique key taken by a concurrent create is a 409 naming the key, never a 500")
    void uniqueViolationIsConflict() {
        String name = "tag-" + UUID.randomUUID();
        given().auth().oauth2(uesl).contentType(ContentType.JSON).body("{\"name\":\"" + name + "\"}")
                .when().post("/probes/tags").then().statusCode(201);
        given().auth().oauth2(uesl).contentType(ContentType.JSON).body("{\"name\":\"" + name + "\"}")
                .when().post("/probes/tags")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", is("/problems/conflict"), "detail", containsString("(name)=(" + name + ")"));
    }

    @Test
    @DisplayName("a required body that is missing is a 400, not a 500")
    void missingBody() {
        given().auth().oauth2(uesl).contentType(ContentType.JSON).when().post("/probes/tags")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    @DisplayName("Idempotency-Key records are forgotten after the retention (1 day): the key may then create again")
    void idempotencyRecordsExpire() throws Exception {
        String key = "expiring-" + UUID.randomUUID();
        given().auth().oauth2(uesl).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body("{\"text\":\"first\"}").when().post("/probes").then().statusCode(201);
        given().auth().oauth2(uesl).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body("{\"text\":\"other\"}").when().post("/probes").then().statusCode(422);
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.executeUpdate("UPDATE idempotency_record SET created_at = now() - interval '25 hours' WHERE idem_key = '"
                    + key + "'");
        }
        idempotency.purgeExpired();
        assertThat(count("SELECT count(*) FROM idempotency_record WHERE idem_key = '" + key + "'")).isZero();
        given().auth().oauth2(uesl).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body("{\"text\":\"other\"}").when().post("/probes").then().statusCode(201)
                .header("Idempotent-Replayed", nullValue());
    }

    private void awaitApplied(String eventId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (count("SELECT count(*) FROM probe_applied WHERE event_id = '" + eventId + "'") > 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("event " + eventId + " was not applied within 30 s");
    }

    private static String eventId(ConsumerRecord<String, String> record) {
        Matcher m = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(record.value());
        assertThat(m.find()).as("event id in %s", record.value()).isTrue();
        return m.group(1);
    }

    private static String envelope(String id, String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id
                + "\",\"source\":\"/test\",\"type\":\"fr.actionlogement.probe.NoteWritten.v1\","
                + "\"subject\":\"x\",\"datacontenttype\":\"application/json\",\"data\":" + data + "}";
    }

    @Test
    @DisplayName("no pooled connection in time (a saturated service): 503 problem+json with Retry-After, nothing written")
    void saturatedPoolIsUnavailableNotAnError() throws Exception {
        long notes = count("SELECT count(*) FROM probe_note");
        List<java.sql.Connection> held = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < poolSize; i++) {
                held.add(dataSource.getConnection());
            }
            given().auth().oauth2(uesl).contentType(ContentType.JSON).body("{\"text\":\"saturated\"}")
                    .when().post("/probes").then().statusCode(503).contentType("application/problem+json")
                    .header("Retry-After", notNullValue()).body("type", equalTo("/problems/service-unavailable"));
        } finally {
            for (java.sql.Connection c : held) {
                c.close();
            }
        }
        assertThat(count("SELECT count(*) FROM probe_note")).isEqualTo(notes);
        createNote("served again");
    }
}
