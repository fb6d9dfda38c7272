package fr.actionlogement.territorial.conventions;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The OpenAPI document is complete enough for generated clients. */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "conventions"))
class OpenApiTest extends ConventionsTestBase {

    @Test
    @DisplayName("every operation has an operationId, a summary, a tag, security and problem responses")
    void everyOperationIsDocumented() throws Exception {
        String json = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().asString();
        JsonNode doc = JSON.readTree(json);
        List<String> missing = new ArrayList<>();
        int operations = 0;
        for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
            assertThat(path.getKey()).startsWith("/api/conventions");
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                operations++;
                JsonNode o = op.getValue();
                String where = op.getKey().toUpperCase() + " " + path.getKey();
                if (!o.hasNonNull("operationId") || !o.hasNonNull("summary") || !o.hasNonNull("tags")) {
                    missing.add(where + " lacks operationId/summary/tags");
                }
                if (!o.path("responses").has("401") || !o.path("responses").has("403")) {
                    missing.add(where + " lacks problem responses");
                }
                if (o.path("security").isMissingNode() && doc.path("security").isMissingNode()) {
                    missing.add(where + " lacks security");
                }
            }
        }
        assertThat(missing).isEmpty();
        assertThat(operations).isGreaterThanOrEqualTo(25);
        assertThat(doc.at("/components/schemas/ProposeConvention")).isNotNull();
    }

    @Test
    @DisplayName("the document tells what the server sends: problem bodies, required If-Match, headers, typed pages, nulls")
    void documentDescribesTheWire() throws Exception {
        JsonNode doc = JSON.readTree(given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().asString());
        // no Jackson internals leaked from AuditEntry.details
        assertThat(doc.at("/components/schemas").has("JsonNode")).isFalse();
        assertThat(doc.at("/components/schemas/AuditEntry/properties/details/type").toString()).contains("object");

        JsonNode sign = doc.at("/paths/~1api~1conventions~1{id}~1signature/post");
        JsonNode ifMatch = null;
        for (JsonNode p : sign.path("parameters")) {
            if (p.path("name").asText().equals("If-Match")) {
                ifMatch = p;
            }
        }
        assertThat(ifMatch).as("If-Match parameter").isNotNull();
        assertThat(ifMatch.path("required").asBoolean()).isTrue();
        for (String status : List.of("401", "403", "404", "406", "412", "422", "428")) {
            assertThat(sign.at("/responses/" + status + "/content/application~1problem+json/schema/$ref").asText())
                    .as(status).isEqualTo("#/components/schemas/Problem");
        }
        assertThat(sign.at("/security/0/bearer").isEmpty()).as("roles are not scopes").isTrue();
        assertThat(sign.at("/x-roles").isArray()).isTrue();

        assertThat(doc.at("/paths/~1api~1conventions~1{id}/get/responses/200/headers").has("ETag")).isTrue();
        assertThat(doc.at("/paths/~1api~1conventions/post/responses/201/headers").has("Location")).isTrue();

        JsonNode list = doc.at("/paths/~1api~1conventions/get/responses/200");
        assertThat(list.at("/headers").has("X-Total-Count")).isTrue();
        assertThat(list.at("/headers").has("Link")).isTrue();
        assertThat(list.at("/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/PageConventionView");
        assertThat(doc.at("/components/schemas/PageConventionView/properties/items/items/$ref").asText())
                .isEqualTo("#/components/schemas/Convention");
        assertThat(doc.at("/paths/~1api~1conventions~1{id}~1history/get/responses/200/content/application~1json/schema/$ref")
                .asText()).isEqualTo("#/components/schemas/PageAuditEntry");

        // a property the server may send as null says so; one it always sends is required
        assertThat(doc.at("/components/schemas/AuditEntry/properties/reason/type").toString()).contains("null");
        assertThat(doc.at("/components/schemas/AuditEntry/required").toString()).contains("occurredAt");
    }

    @Test
    @DisplayName("what a partner sends is described: codes with their format, and bodies the server accepts absent are optional")
    void partnerInputIsDescribed() throws Exception {
        JsonNode doc = JSON.readTree(given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().asString());
        JsonNode schemas = doc.at("/components/schemas");
        assertThat(schemas.at("/PartyAction/properties/partyKey/pattern").asText()).startsWith("^(CIL|FILIALE|UESL");
        assertThat(schemas.at("/Signatory/properties/partyId/description").asText())
                .contains("UESL:UESL", "FONCIERE_LOGEMENT:FONCIERE_LOGEMENT", "APAGL:APAGL");
        assertThat(schemas.at("/Section/properties/code/description").asText()).contains("CIL_INTERVENTIONS_OFFRE");
        for (String schema : List.of("FinancialCommitment", "EnvelopeRequest")) {
            assertThat(schemas.at("/" + schema + "/properties/product/description").asText()).as(schema)
                    .contains("device catalogue", "/api/conventions/devices");
        }
        for (String property : List.of("/Objective/properties/indicator", "/Objective/properties/objectiveId",
                "/FinancialCommitment/properties/cilId", "/ReservationCost/properties/category")) {
            assertThat(schemas.at(property + "/description").asText()).as(property).isNotBlank();
        }
        // POST .../signature and the transitions take no body at all (@OptionalBody): the document must not require one
        for (String transition : List.of("negotiation", "submission", "return-to-negotiation", "signature")) {
            JsonNode body = doc.at("/paths/~1api~1conventions~1{id}~1" + transition + "/post/requestBody");
            assertThat(body.isObject()).as(transition).isTrue();
            assertThat(body.path("required").asBoolean(false)).as(transition + " body required").isFalse();
        }
        assertThat(schemas.at("/SignConvention/description").asText()).startsWith("Optional: no body");
    }
}
