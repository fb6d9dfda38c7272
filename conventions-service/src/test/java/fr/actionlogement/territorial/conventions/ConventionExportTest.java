package fr.actionlogement.territorial.conventions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import fr.actionlogement.territorial.conventions.api.ConventionExportResource;
import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The streamed export of conventions: the list's filters and visibility, CSV (formula-safe) and JSON lines. */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "conventions"))
class ConventionExportTest extends ConventionsTestBase {

    @Test
    @DisplayName("exports: CSV (RFC 4180, a formula title neutralised) and JSON lines with the list's filters; a CIL, an authority, a délégué see only their rows")
    void export() throws Exception {
        World w = world();
        World other = world();
        Map<String, Object> content = validContent(w);
        content.put("title", "=HYPERLINK(\"http://evil\"), Lyon");
        String mine = negotiated(w, content);
        String theirs = negotiated(other, validContent(other));

        String csv = as(TestTokens.cil(w.cilPresent())).accept("text/csv").get(BASE + "/export").then()
                .statusCode(200).contentType(is("text/csv; charset=UTF-8"))
                .header("Content-Disposition", is("attachment; filename=\"conventions.csv\"")).extract().asString();
        String[] lines = csv.split("\r\n");
        assertThat(lines[0]).isEqualTo(String.join(",", ConventionExportResource.COLUMNS));
        assertThat(lines).hasSize(2);
        assertThat(lines[1]).startsWith(mine + ",").contains(",\"'=HYPERLINK(\"\"http://evil\"\"), Lyon\",")
                .contains("CIL:" + w.cilPresent());
        assertThat(csv).doesNotContain(theirs);

        String jsonl = as(TestTokens.collectivite(w.epciSiren())).accept("application/x-ndjson")
                .get(BASE + "/export?status=IN_NEGOTIATION").then().statusCode(200)
                .contentType(is("application/x-ndjson; charset=UTF-8")).extract().asString();
        List<JsonNode> rows = jsonl.lines().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(l, e);
            }
        }).toList();
        assertThat(rows).extracting(r -> r.get("conventionId").asText()).containsExactly(mine);
        assertThat(rows.get(0).get("content").get("title").asText()).startsWith("=HYPERLINK");

        String delegue = as(w.delegueToken()).get(BASE + "/export?format=csv").then().statusCode(200).extract()
                .asString();
        assertThat(delegue).contains(mine).doesNotContain(theirs);
        String ueslTerritory = as(uesl).get(BASE + "/export?format=jsonl&territoryId=" + other.territoryId()).then()
                .statusCode(200).extract().asString();
        assertThat(ueslTerritory).contains(theirs).doesNotContain(mine);
        assertThat(as(uesl).get(BASE + "/export?format=csv&status=SIGNED&territoryId=" + w.territoryId()).then()
                .statusCode(200).extract().asString().split("\r\n")).hasSize(1);
        as(uesl).get(BASE + "/export?format=xlsx").then().statusCode(400).contentType("application/problem+json");
        as(uesl).get(BASE + "/export?status=NOPE").then().statusCode(400);
        as(TestTokens.observateur()).get(BASE + "/export").then().statusCode(403);
        Arrays.asList(TestTokens.cil(w.cilAbsent())).forEach(t -> assertThat(
                as(t).get(BASE + "/export?format=csv").then().statusCode(200).extract().asString().split("\r\n"))
                .hasSize(1));
    }
}
