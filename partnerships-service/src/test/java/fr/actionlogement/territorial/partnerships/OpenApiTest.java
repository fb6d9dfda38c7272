package fr.actionlogement.territorial.partnerships;

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
import io.restassured.path.json.JsonPath;

@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "partnerships"))
class OpenApiTest {

    private JsonPath openapi() {
        return given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200).extract().jsonPath();
    }

    /** Leaves the document in target/ for a human review of the generated API. */
    private static void writeForReview(JsonPath doc) {
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of("target", "openapi.json"), doc.prettify());
        } catch (java.io.IOException e) {
            // only a convenience
        }
    }

    @Test
    @DisplayName("every operation has an operationId, a summary and problem responses; the upload is described as multipart")
    void documented() {
        JsonPath doc = openapi();
        writeForReview(doc);
        Map<String, Map<String, Map<String, Object>>> paths = doc.getMap("paths");
        List<String> missing = new ArrayList<>();
        paths.forEach((path, ops) -> ops.forEach((method, op) -> {
            if (op.get("operationId") == null || op.get("summary") == null) {
                missing.add(method + " " + path);
            }
        }));
        assertThat(missing).isEmpty();
        assertThat(paths).containsKeys("/api/partnerships/agreements", "/api/partnerships/agreements/{id}/documents",
                "/api/partnerships/notifications");

        String upload = "paths.'/api/partnerships/agreements/{id}/documents'.post";
        assertThat(doc.getString(upload + ".operationId")).isEqualTo("uploadDraftDocument");
        Map<String, Object> multipart = doc.getMap(upload + ".requestBody.content.'multipart/form-data'.schema");
        assertThat(multipart).isNotNull();
        String ref = (String) multipart.get("$ref");
        Map<String, Object> schema = ref == null ? multipart
                : doc.getMap("components.schemas." + ref.substring(ref.lastIndexOf('/') + 1));
        assertThat(schema.toString()).contains("file", "binary");
        assertThat(doc.getMap(upload + ".responses")).containsKeys("201", "404", "413", "415", "400");
        assertThat(doc.getString(upload + ".requestBody.content.'multipart/form-data'.encoding.file.contentType"))
                .isEqualTo("application/pdf, application/octet-stream");
        assertThat(
                doc.getMap("paths.'/api/partnerships/agreements/{id}/documents/{version}/content'.get.responses.'200'.content"))
                .containsKey("application/pdf");
        assertThat(doc.getMap("paths.'/api/partnerships/agreements/{id}/sign'.post.responses")).containsKeys("412", "428",
                "422");
    }
}
