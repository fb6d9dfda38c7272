package fr.actionlogement.territorial.partnerships;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "partnerships"))
class AuthorizationTest extends PartnershipsTestSupport {

    private String snapshot(String id) {
        return count("SELECT version FROM agreement WHERE id = '" + id + "'") + "/"
                + count("SELECT count(*) FROM audit_entry WHERE aggregate_id = '" + id + "'") + "/"
                + count("SELECT count(*) FROM agreement_document WHERE agreement_id = '" + id + "'") + "/"
                + count("SELECT count(*) FROM outbox_event WHERE record_key = '" + id + "'");
    }

    @Test
    @DisplayName("a CIL user reading or changing another CIL's agreement gets 404 and nothing changes")
    void otherCilSeesNothingAndChangesNothing() {
        World mine = world();
        World other = world();
        String id = create(mine, false, null).path("id");
        String before = snapshot(id);
        String intruder = other.cilToken();
        String path = BASE + "/agreements/" + id;
        given().auth().oauth2(intruder).when().get(path).then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(intruder).when().get(path + "/history").then().statusCode(404);
        given().auth().oauth2(intruder).when().get(path + "/documents").then().statusCode(404);
        given().auth().oauth2(intruder).header("If-Match", "\"0\"").when().post(path + "/submit").then().statusCode(404);
        given().auth().oauth2(intruder).header("If-Match", "\"0\"").contentType(ContentType.JSON)
                .body("{\"object\":\"hijacked\",\"durationMonths\":12,\"exclusivity\":false}")
                .when().put(path).then().statusCode(404);
        given().auth().oauth2(intruder).header("If-Match", "\"0\"").contentType(ContentType.JSON)
                .body("{\"signedOn\":\"2026-01-01\"}").when().post(path + "/sign").then().statusCode(404);
        given().auth().oauth2(intruder).multiPart("file", "x.pdf", pdf(100), "application/pdf")
                .when().post(path + "/documents").then().statusCode(404);
        given().auth().oauth2(intruder).when().get(BASE + "/agreements?cilId=" + mine.cil())
                .then().statusCode(200).body("totalItems", is(0));
        given().auth().oauth2(intruder).when().get(BASE + "/agreements")
                .then().statusCode(200).body("items.id", not(hasItem(id)));
        assertThat(snapshot(id)).isEqualTo(before);
        given().auth().oauth2(uesl).when().get(path).then().body("object", is("Housing of young employees"))
                .body("status", is("DRAFT"));
    }

    @Test
    @DisplayName("a CIL user cannot create an agreement for another CIL; nothing is stored")
    void cilCreatesForItselfOnly() {
        World mine = world();
        World other = world();
        long before = count("SELECT count(*) FROM agreement");
        given().auth().oauth2(other.cilToken()).contentType(ContentType.JSON).body(agreementJson(mine, false, null))
                .when().post(BASE + "/agreements").then().statusCode(403).contentType("application/problem+json");
        assertThat(count("SELECT count(*) FROM agreement")).isEqualTo(before);
    }

    @Test
    @DisplayName("the authority party, the region's délégué and the UESL see the agreement; another authority or region does not")
    void partiesDelegueAndUeslSee() {
        World w = world();
        World elsewhere = world();
        String id = create(w, false, null).path("id");
        String path = BASE + "/agreements/" + id;
        given().auth().oauth2(TestTokens.collectivite(w.epci())).when().get(path).then().statusCode(200);
        given().auth().oauth2(w.delegueToken()).when().get(path).then().statusCode(200);
        given().auth().oauth2(uesl).when().get(path).then().statusCode(200);
        given().auth().oauth2(TestTokens.admin()).when().get(path).then().statusCode(200);
        given().auth().oauth2(TestTokens.collectivite(elsewhere.epci())).when().get(path).then().statusCode(404);
        given().auth().oauth2(elsewhere.delegueToken()).when().get(path).then().statusCode(404);
        given().auth().oauth2(TestTokens.delegue(w.region())).when().get(BASE + "/agreements?regionCode=" + w.region())
                .then().statusCode(200).body("items.id", hasItem(id));
        given().auth().oauth2(TestTokens.collectivite(w.epci())).when().get(BASE + "/agreements")
                .then().statusCode(200).body("items.id", is(java.util.List.of(id)));
    }

    @Test
    @DisplayName("roles: a délégué or an authority cannot create or submit, an observer has no access, no token is 401")
    void roleRefusals() {
        World w = world();
        String id = create(w, false, null).path("id");
        String before = snapshot(id);
        given().auth().oauth2(w.delegueToken()).header("If-Match", "\"0\"").when().post(BASE + "/agreements/" + id + "/submit")
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.collectivite(w.epci())).header("If-Match", "\"0\"")
                .when().post(BASE + "/agreements/" + id + "/submit").then().statusCode(403);
        given().auth().oauth2(w.delegueToken()).contentType(ContentType.JSON).body(agreementJson(w, false, null))
                .when().post(BASE + "/agreements").then().statusCode(403);
        given().auth().oauth2(TestTokens.observateur()).when().get(BASE + "/agreements").then().statusCode(403);
        given().when().get(BASE + "/agreements").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.expired()).when().get(BASE + "/agreements").then().statusCode(401);
        given().auth().oauth2(TestTokens.forgedSignature()).when().get(BASE + "/agreements").then().statusCode(401);
        assertThat(snapshot(id)).isEqualTo(before);
    }
}
