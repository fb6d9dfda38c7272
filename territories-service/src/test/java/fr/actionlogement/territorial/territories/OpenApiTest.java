package fr.actionlogement.territorial.territories;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "territories"))
class OpenApiTest {

    @Test
    @DisplayName("the OpenAPI document is open and every operation has an operationId, a summary, a tag and responses")
    @SuppressWarnings("unchecked")
    void everyOperationDocumented() {
        Map<String, Object> doc = given().when().get("/q/openapi?format=json").then().statusCode(200).extract()
                .as(Map.class);
        Map<String, Map<String, Map<String, Object>>> paths = (Map<String, Map<String, Map<String, Object>>>) doc
                .get("paths");
        List<String> missing = new ArrayList<>();
        int operations = 0;
        for (var path : paths.entrySet()) {
            for (var op : path.getValue().entrySet()) {
                if (!List.of("get", "post", "put", "delete", "patch").contains(op.getKey())) {
                    continue;
                }
                operations++;
                for (String field : List.of("operationId", "summary", "tags", "responses")) {
                    if (op.getValue().get(field) == null) {
                        missing.add(op.getKey() + " " + path.getKey() + ": " + field);
                    }
                }
            }
        }
        assertThat(operations).isGreaterThan(30);
        assertThat(missing).isEmpty();
        assertThat(paths).containsKey("/api/territories/territories");
    }
}
