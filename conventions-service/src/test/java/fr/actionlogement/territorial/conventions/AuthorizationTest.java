package fr.actionlogement.territorial.conventions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Roles and row-level rules: each refusal is a problem, and changes nothing. */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "conventions"))
class AuthorizationTest extends ConventionsTestBase {

    @Test
    @DisplayName("CIL and authority users see only the conventions they are party to; others get 404 and no list entry")
    void partiesSeeTheirConventions() {
        World w = world();
        String id = signed(w, validContent(w));
        as(TestTokens.cil(w.cilPresent())).get(BASE + "/" + id).then().statusCode(200);
        as(TestTokens.collectivite(w.epciSiren())).get(BASE + "/" + id).then().statusCode(200);
        as(TestTokens.cil(w.cilAbsent())).get(BASE + "/" + id).then().statusCode(404)
                .contentType("application/problem+json");
        as(TestTokens.collectivite("69123")).get(BASE + "/" + id).then().statusCode(404);
        as(TestTokens.cil(w.cilAbsent())).get(BASE + "/" + id + "/history").then().statusCode(404);
        as(TestTokens.cil(w.cilAbsent())).get(BASE + "/" + id + "/versions").then().statusCode(404);
        as(TestTokens.cil(w.cilPresent())).get(BASE).then().statusCode(200).body("items.conventionId", hasItem(id));
        as(TestTokens.cil(w.cilAbsent())).get(BASE).then().statusCode(200)
                .body("items.conventionId", not(hasItem(id)));
        // A CIL user without its cil_id claim sees nothing.
        as(TestTokens.user("no-claim").roles("cil").sign()).get(BASE).then().statusCode(200).body("totalItems", is(0));
    }

    @Test
    @DisplayName("R-07 R-08 a délégué sees and completes drafts of their own région only, without the UESL's decisions; negotiation, signature and templates are the UESL's")
    void delegueIsLimitedToTheirRegion() {
        World w = world();
        String id = proposed(w);
        String otherRegion = TestTokens.delegue("0" + digits(3));
        as(otherRegion).get(BASE + "/" + id).then().statusCode(404);
        String tag = etag(id);
        as(otherRegion).header("If-Match", tag).body(validContent(w)).put(BASE + "/" + id + "/content").then()
                .statusCode(404);
        // the UESL's concertation and its request to sign are the UESL's to write, not the délégué's.
        Map<String, Object> withConcertation = validContent(w);
        withConcertation.put("signatories", List.of(signatory("CIL", w.cilPresent(), null),
                signatory("COLLECTIVITE", w.epciSiren(), null), signatory("CIL", w.cilAbsent(), "accord UESL du 1er mars")));
        as(w.delegueToken()).header("If-Match", tag).body(withConcertation).put(BASE + "/" + id + "/content").then()
                .statusCode(403).contentType("application/problem+json");
        Map<String, Object> askingUesl = validContent(w);
        askingUesl.put("ueslSignatureRequested", true);
        as(w.delegueToken()).header("If-Match", tag).body(askingUesl).put(BASE + "/" + id + "/content").then()
                .statusCode(403);
        assertThat(etag(id)).isEqualTo(tag);
        as(w.delegueToken()).header("If-Match", tag).body(validContent(w)).put(BASE + "/" + id + "/content").then()
                .statusCode(200);
        transition(id, "negotiation", Map.of()).then().statusCode(200);
        String inNegotiation = etag(id);
        as(w.delegueToken()).header("If-Match", inNegotiation).body(validContent(w)).put(BASE + "/" + id + "/content")
                .then().statusCode(403).contentType("application/problem+json");
        for (String step : List.of("submission", "signature", "negotiation")) {
            as(w.delegueToken()).header("If-Match", inNegotiation).body(Map.of()).post(BASE + "/" + id + "/" + step)
                    .then().statusCode(403);
        }
        as(w.delegueToken()).body(Map.of("name", "x", "kind", "TERRITORIALE", "sections",
                List.of(Map.of("code", "A", "title", "A", "text", "A")))).post(BASE + "/templates").then()
                .statusCode(403);
        as(w.delegueToken()).body(Map.of("name", "x", "year", 2011)).post(BASE + "/campaigns").then().statusCode(403);
        assertThat(etag(id)).isEqualTo(inNegotiation);
    }

    @Test
    @DisplayName("CIL, authority and observer users cannot propose, negotiate or sign; a non-signatory CIL cannot report achievements")
    void otherRolesAreRefused() {
        World w = world();
        String id = signed(w, validContent(w));
        String tag = etag(id);
        String objectiveId = as(uesl).get(BASE + "/" + id).then().extract().path("content.objectives[0].objectiveId");
        as(TestTokens.cil(w.cilPresent())).body(Map.of("campaignId", w.campaignId(), "territoryId", w.territoryId(),
                "kind", "TERRITORIALE", "templateId", w.templateId(), "templateVersion", 1)).post(BASE).then()
                .statusCode(403);
        as(TestTokens.cil(w.cilPresent())).header("If-Match", tag).body(Map.of("assessment", "x"))
                .post(BASE + "/" + id + "/evaluation").then().statusCode(403);
        as(TestTokens.collectivite(w.epciSiren())).body(Map.of("value", 5))
                .post(BASE + "/" + id + "/objectives/" + objectiveId + "/achievements").then().statusCode(403);
        as(TestTokens.cil(w.cilAbsent())).body(Map.of("value", 5))
                .post(BASE + "/" + id + "/objectives/" + objectiveId + "/achievements").then().statusCode(404);
        as(TestTokens.observateur()).get(BASE + "/" + id).then().statusCode(403)
                .contentType("application/problem+json");
        as(TestTokens.collectivite(w.epciSiren())).body(Map.of("cilId", w.cilPresent(), "product", "PASS_FONCIER",
                "year", 2011, "amount", 1)).post(BASE + "/envelopes").then().statusCode(403);
        as(TestTokens.cil(w.cilPresent())).queryParam("cilId", w.cilAbsent()).get(BASE + "/envelopes").then()
                .statusCode(403);
        assertThat(etag(id)).isEqualTo(tag);
        as(uesl).get(BASE + "/" + id).then().body("achievements.size()", is(0));
    }

    @Test
    @DisplayName("bad tokens get 401 problems; security is never off")
    void badTokens() {
        io.restassured.RestAssured.given().get(BASE).then().statusCode(401).contentType("application/problem+json");
        for (String bad : List.of(TestTokens.expired(), TestTokens.wrongIssuer(), TestTokens.wrongAudience(),
                TestTokens.forgedSignature(), TestTokens.algNone())) {
            as(bad).get(BASE).then().statusCode(401);
        }
    }
}
