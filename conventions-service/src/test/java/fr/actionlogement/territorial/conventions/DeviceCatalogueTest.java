package fr.actionlogement.territorial.conventions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import fr.actionlogement.territorial.conventions.domain.DeviceCatalogue;
import fr.actionlogement.territorial.conventions.domain.DeviceDefinition;
import fr.actionlogement.territorial.testsupport.KafkaTestClient;
import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** the UESL's device catalogue and the rules that read it. */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "conventions"))
class DeviceCatalogueTest extends ConventionsTestBase {

    private static final Path SCHEMAS = Path.of("..", "docs", "events", "conventions");

    @Test
    @DisplayName("R-04 the catalogue is seeded with the devices the seeds name, readable by every role")
    void seededAndReadableByAll() {
        for (String token : List.of(uesl, TestTokens.admin(), TestTokens.delegue("84"), TestTokens.cil("775574166"),
                TestTokens.collectivite("200046977"), TestTokens.observateur())) {
            as(token).queryParam("size", 100).get(BASE + "/devices").then().statusCode(200)
                    .body("items.code", hasItem("GRL")).body("items.code", hasItem("PASS_FONCIER"));
        }
        as(uesl).get(BASE + "/devices/GRL").then().statusCode(200).header("ETag", notNullValue())
                .body("runBy", is("APAGL")).body("contingent", is(false));
        as(uesl).get(BASE + "/devices/PASS_FONCIER").then().statusCode(200).body("contingent", is(true))
                .body("productCodes", is(List.of("PASS_FONCIER")));
        // The migration's seed is the domain's reference list, device for device.
        for (DeviceDefinition d : DeviceCatalogue.SEEDS) {
            assertThat(count("SELECT count(*) FROM device WHERE code = '" + d.code() + "' AND contingent = "
                    + d.contingent() + " AND run_by " + (d.runBy() == null ? "IS NULL" : "= '" + d.runBy() + "'")))
                    .as(d.code()).isEqualTo(1);
        }
        as(uesl).get(BASE + "/devices/NO_SUCH_DEVICE").then().statusCode(404);
    }

    @Test
    @DisplayName("R-04 R-09 R-10 the UESL adds and changes devices (If-Match, audit, DeviceCatalogueChanged); others may not")
    void ueslMaintainsTheCatalogue() throws Exception {
        String code = "DISPOSITIF_" + digits(8);
        String product = code + "_PRET";
        Map<String, Object> body = Map.of("code", code, "label", "Dispositif " + code, "runBy", "APAGL",
                "contingent", false, "productCodes", List.of(product));
        for (String token : List.of(TestTokens.delegue("84"), TestTokens.cil("775574166"),
                TestTokens.collectivite("200046977"), TestTokens.observateur())) {
            as(token).body(body).post(BASE + "/devices").then().statusCode(403);
        }
        String byAdmin = "DISPOSITIF_" + digits(8);
        as(TestTokens.admin()).body(Map.of("code", byAdmin, "label", "Dispositif " + byAdmin)).post(BASE + "/devices")
                .then().statusCode(201).body("runBy", org.hamcrest.Matchers.nullValue());
        assertThat(count("SELECT count(*) FROM device WHERE code = '" + code + "'")).isZero();
        as(uesl).body(Map.of("code", "pas-un-code", "label", "x")).post(BASE + "/devices").then().statusCode(400);
        as(uesl).body(Map.of("code", code, "label", "x", "contingent", true)).post(BASE + "/devices").then()
                .statusCode(422).body("rule", is("R-10"));
        as(uesl).body(Map.of("code", code, "label", "x", "runBy", "COLLECTIVITE")).post(BASE + "/devices").then()
                .statusCode(422).body("rule", is("R-09"));
        as(uesl).body(Map.of("code", code, "label", "x", "productCodes", List.of("PASS_FONCIER")))
                .post(BASE + "/devices").then().statusCode(409).body("rule", is("R-10"));

        Response added = as(uesl).header("Idempotency-Key", "device-" + code).body(body).post(BASE + "/devices");
        added.then().statusCode(201).header("Location", org.hamcrest.Matchers.endsWith("/devices/" + code))
                .body("runBy", is("APAGL")).body("productCodes", is(List.of(product)));
        as(uesl).body(body).post(BASE + "/devices").then().statusCode(409);

        // Not contingent yet: no envelope on its product.
        as(uesl).body(Map.of("cilId", "775574166", "product", product, "year", 2012, "amount", 10))
                .post(BASE + "/envelopes").then().statusCode(422).body("rule", is("R-10"));
        Map<String, Object> change = Map.of("label", "Dispositif " + code, "runBy", "APAGL", "contingent", true,
                "productCodes", List.of(product));
        as(uesl).body(change).put(BASE + "/devices/" + code).then().statusCode(428);
        as(uesl).header("If-Match", "\"999\"").body(change).put(BASE + "/devices/" + code).then().statusCode(412);
        String tag = as(uesl).get(BASE + "/devices/" + code).then().extract().header("ETag");
        as(TestTokens.delegue("84")).header("If-Match", tag).body(change).put(BASE + "/devices/" + code).then()
                .statusCode(403);
        String newTag = as(uesl).header("If-Match", tag).body(change).put(BASE + "/devices/" + code).then()
                .statusCode(200).body("contingent", is(true)).extract().header("ETag");
        assertThat(newTag).isNotEqualTo(tag);
        String cil = digits(9);
        as(uesl).body(Map.of("cilId", cil, "product", product, "year", 2012, "amount", 10)).post(BASE + "/envelopes")
                .then().statusCode(201);
        // Its product has envelopes now: it stays contingent.
        as(uesl).header("If-Match", newTag).body(Map.of("label", "x", "contingent", false))
                .put(BASE + "/devices/" + code).then().statusCode(409).body("rule", is("R-10"));

        assertThat(count("SELECT count(*) FROM audit_entry WHERE aggregate_type = 'Device' AND aggregate_id = '" + code
                + "'")).isEqualTo(2);
        List<ConsumerRecord<String, String>> records = new KafkaTestClient(bootstrap).await("conventions.events.v1",
                r -> code.equals(r.key()), 2, Duration.ofSeconds(30));
        var schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(Files.readString(SCHEMAS.resolve("DeviceCatalogueChanged.v1.json")));
        for (ConsumerRecord<String, String> r : records) {
            JsonNode event = JSON.readTree(r.value());
            assertThat(event.get("type").asText()).isEqualTo("fr.actionlogement.conventions.DeviceCatalogueChanged.v1");
            assertThat(schema.validate(event.get("data").toString(), InputFormat.JSON)).as(r.value()).isEmpty();
        }
        assertThat(records).extracting(r -> JSON.readTree(r.value()).at("/data/change").asText())
                .containsExactly("ADDED", "CHANGED");
    }

    @Test
    @SuppressWarnings("unchecked")
    @DisplayName("R-04 R-09 conventions and templates cite catalogued devices only; a device's body, from the catalogue, must sign")
    void rulesReadTheCatalogue() {
        World w = world();
        // a template suggests catalogued devices only.
        as(uesl).body(Map.of("name", "Modèle", "kind", "TERRITORIALE", "sections", List.of(section("A", "a")),
                "suggestedDevices", List.of("NO_SUCH_DEVICE"))).post(BASE + "/templates").then().statusCode(422)
                .body("rule", is("R-04"));
        String id = proposed(w);
        transition(id, "negotiation", Map.of()).then().statusCode(200);
        Map<String, Object> unknown = validContent(w);
        ((List<Object>) unknown.get("devices")).add("NO_SUCH_DEVICE");
        revise(id, unknown).then().statusCode(422).body("rule", is("R-04"))
                .body("detail", org.hamcrest.Matchers.containsString("NO_SUCH_DEVICE"));
        Map<String, Object> unknownAction = validContent(w);
        list(unknownAction, "actions").add(action("AUTRE:CLLAJ", "NO_SUCH_DEVICE"));
        revise(id, unknownAction).then().statusCode(422).body("rule", is("R-04"));
        assertThat(as(uesl).get(BASE + "/" + id).then().extract().<List<String>> path("content.devices")).isEmpty();

        // The UESL adds a device run by Foncière Logement; a convention citing it needs Foncière Logement to sign.
        String code = "DISPOSITIF_" + digits(8);
        as(uesl).body(Map.of("code", code, "label", "Dispositif " + code, "runBy", "FONCIERE_LOGEMENT"))
                .post(BASE + "/devices").then().statusCode(201);
        Map<String, Object> cites = validContent(w);
        ((List<Object>) cites.get("devices")).add(code);
        revise(id, cites).then().statusCode(200).body("content.devices", hasItem(code));
        transition(id, "submission", Map.of()).then().statusCode(422).body("rule", is("R-09"))
                .body("detail", org.hamcrest.Matchers.containsString(code));
        list(cites, "signatories").add(signatory("FONCIERE_LOGEMENT", "FONCIERE_LOGEMENT", "Concertation UESL"));
        list(cites, "actions").add(action("FONCIERE_LOGEMENT:FONCIERE_LOGEMENT", code));
        revise(id, cites).then().statusCode(200);
        transition(id, "submission", Map.of()).then().statusCode(200).body("status", is("READY_FOR_SIGNATURE"));
        // A device code that is not a code at all is bad input.
        Map<String, Object> bad = validContent(w);
        ((List<Object>) bad.get("devices")).add("not a code");
        revise(id, bad).then().statusCode(400);
    }
}
