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
}
