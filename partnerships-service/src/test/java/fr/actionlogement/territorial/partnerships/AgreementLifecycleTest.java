package fr.actionlogement.territorial.partnerships;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import java.util.List;
import java.util.UUID;

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
class AgreementLifecycleTest extends PartnershipsTestSupport {

    @Test
    @DisplayName("R-20 a CIL user creates a draft agreement with a local authority of the territory reference")
    void cilCreatesDraft() {
        World w = world();
        var created = create(w, false, null);
        assertThat(created.header("ETag")).isEqualTo("\"0\"");
        assertThat(created.header("Location")).contains("/api/partnerships/agreements/" + created.path("id"))
                .doesNotContain("partnerships/api");
        assertThat(created.<String> path("status")).isEqualTo("DRAFT");
        assertThat(created.<String> path("cilId")).isEqualTo(w.cil());
        assertThat(created.<String> path("territoryId")).isEqualTo("EPCI:" + w.epci());
        assertThat(created.<String> path("regionCode")).isEqualTo(w.region());
        assertThat(created.<String> path("partyType")).isEqualTo("CIL");
    }

    @Test
    @DisplayName("R-20 a commune (INSEE code) and a CIL's subsidiary are accepted as parties")
    void communeAndSubsidiary() {
        World w = world();
        given().auth().oauth2(w.cilToken()).contentType(ContentType.JSON).body("""
                {"filialeId":"%s","collectiviteId":"%s","object":"Young workers","durationMonths":12}"""
                .formatted(w.filiale(), w.commune()))
                .when().post(BASE + "/agreements")
                .then().statusCode(201).body("territoryId", is("COMMUNE:" + w.commune())).body("filialeId", is(w.filiale()))
                .body("cilId", is(w.cil()));
        // A subsidiary's own user concludes as that subsidiary of its CIL, and sees the agreement.
        String filialeUser = TestTokens.cil(w.filiale());
        String id = given().auth().oauth2(filialeUser).contentType(ContentType.JSON).body("""
                {"collectiviteId":"%s","object":"Young workers","durationMonths":12}""".formatted(w.epci()))
                .when().post(BASE + "/agreements")
                .then().statusCode(201).body("cilId", is(w.cil())).body("filialeId", is(w.filiale())).extract().path("id");
        given().auth().oauth2(filialeUser).when().get(BASE + "/agreements/" + id).then().statusCode(200);
        given().auth().oauth2(w.cilToken()).when().get(BASE + "/agreements/" + id).then().statusCode(200);
    }

    @Test
    @DisplayName("R-20 an authority unknown to the territory reference, or retired, is refused and nothing is stored")
    void unknownAuthorityRefused() {
        World w = world();
        String retired = insee();
        registerTerritory("COMMUNE", retired, "Merged", w.region(), true);
        awaitRow("SELECT count(*) FROM territory_ref WHERE territory_id = 'COMMUNE:" + retired + "'");
        long before = count("SELECT count(*) FROM agreement");
        for (String authority : List.of(siren(), retired)) {
            given().auth().oauth2(w.cilToken()).contentType(ContentType.JSON).body("""
                    {"collectiviteId":"%s","object":"x","durationMonths":12}""".formatted(authority))
                    .when().post(BASE + "/agreements")
                    .then().statusCode(422).contentType("application/problem+json").body("rule", is("R-20"))
                    .body("detail", containsString(authority));
        }
        given().auth().oauth2(w.cilToken()).contentType(ContentType.JSON).body("""
                {"collectiviteId":"Lyon","object":"x","durationMonths":12}""")
                .when().post(BASE + "/agreements")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("collectiviteId"));
        assertThat(count("SELECT count(*) FROM agreement")).isEqualTo(before);
    }

    @Test
    @DisplayName("R-20 an unregistered CIL, a subsidiary posing as CIL, or another CIL's subsidiary are refused")
    void unregisteredCilRefused() {
        World w = world();
        World other = world();
        long before = count("SELECT count(*) FROM agreement");
        String stranger = siren();
        given().auth().oauth2(TestTokens.cil(stranger)).contentType(ContentType.JSON).body("""
                {"collectiviteId":"%s","object":"x","durationMonths":12}""".formatted(w.epci()))
                .when().post(BASE + "/agreements")
                .then().statusCode(422).body("rule", is("R-20")).body("detail", containsString("not a registered CIL"));
        given().auth().oauth2(uesl).contentType(ContentType.JSON).body("""
                {"cilId":"%s","collectiviteId":"%s","object":"x","durationMonths":12}""".formatted(w.filiale(), w.epci()))
                .when().post(BASE + "/agreements")
                .then().statusCode(422).body("rule", is("R-20")).body("detail", containsString("subsidiary"));
        given().auth().oauth2(w.cilToken()).contentType(ContentType.JSON).body("""
                {"filialeId":"%s","collectiviteId":"%s","object":"x","durationMonths":12}"""
                .formatted(other.filiale(), w.epci()))
                .when().post(BASE + "/agreements")
                .then().statusCode(422).body("rule", is("R-20"));
        assertThat(count("SELECT count(*) FROM agreement")).isEqualTo(before);
    }

    @Test
    @DisplayName("R-24 without exclusivity or large investments: DRAFT → SUBMITTED → APPROVED → SIGNED → ENDED, each step in the history and audit")
    void fullLifecycleWithoutUeslReview() {
        World w = world();
        String id = create(w, false, "[{\"kind\":\"SUBVENTION\",\"amount\":5000}]").path("id");
        var submitted = submit(w.cilToken(), id);
        assertThat(submitted.statusCode()).isEqualTo(200);
        assertThat(submitted.<String> path("status")).isEqualTo("APPROVED");
        assertThat(submitted.<String> path("exclusivityApproval")).isEqualTo("NOT_REQUIRED");
        assertThat(submitted.<List<String>> path("statusHistory.to")).containsExactly("DRAFT", "SUBMITTED", "APPROVED");

        // each side signs on its own; SIGNED with the second, dated by the later date.
        var first = post(TestTokens.collectivite(w.epci()), id, "sign", "{\"signedOn\":\"2026-03-15\"}");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.<String> path("status")).isEqualTo("APPROVED");
        assertThat(first.<List<String>> path("missingSignatures")).containsExactly("PARTNER");
        var signed = post(w.cilToken(), id, "sign", "{\"signedOn\":\"2026-03-10\"}");
        assertThat(signed.statusCode()).isEqualTo(200);
        assertThat(signed.<String> path("status")).isEqualTo("SIGNED");
        assertThat(signed.<String> path("signedOn")).isEqualTo("2026-03-15");

        post(w.cilToken(), id, "end", "{\"endedOn\":\"2026-03-01\",\"reason\":\"oops\"}");
        assertThat(status(id)).isEqualTo("SIGNED"); // cannot end before the signature
        var ended = post(w.cilToken(), id, "end", "{\"endedOn\":\"2029-03-14\",\"reason\":\"Term reached\"}");
        assertThat(ended.statusCode()).isEqualTo(200);
        assertThat(ended.<String> path("status")).isEqualTo("ENDED");

        given().auth().oauth2(w.cilToken()).when().get(BASE + "/agreements/" + id + "/history")
                .then().statusCode(200)
                .body("items.action", is(List.of("CREATED", "SUBMITTED", "APPROVED", "SIGNATURE_RECORDED",
                        "SIGNATURE_RECORDED", "SIGNED", "ENDED")))
                .body("items[6].reason", is("Term reached")).body("items[6].actor", is("cil-user-" + w.cil()))
                .body("items[3].actor", is("collectivite-user-" + w.epci()))
                .body("items[5].actor", is("cil-user-" + w.cil()));
    }

    @Test
    @DisplayName("R-24 out-of-order transitions are refused with 409 naming R-24, and change nothing")
    void outOfOrderRefused() {
        World w = world();
        String id = create(w, false, null).path("id");
        var sign = post(w.cilToken(), id, "sign", "{\"signedOn\":\"2026-03-15\"}");
        assertThat(sign.statusCode()).isEqualTo(409);
        assertThat(sign.<String> path("rule")).isEqualTo("R-24");
        var end = post(w.cilToken(), id, "end", "{\"endedOn\":\"2026-03-15\",\"reason\":\"x\"}");
        assertThat(end.statusCode()).isEqualTo(409);
        assertThat(submit(w.cilToken(), id).statusCode()).isEqualTo(200);
        var again = submit(w.cilToken(), id);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.<String> path("rule")).isEqualTo("R-24");
        given().auth().oauth2(w.cilToken()).header("If-Match", etag(uesl, id)).contentType(ContentType.JSON)
                .body("{\"object\":\"changed\",\"durationMonths\":12,\"exclusivity\":false}")
                .when().put(BASE + "/agreements/" + id).then().statusCode(409).body("rule", is("R-24"));
        given().auth().oauth2(uesl).when().get(BASE + "/agreements/" + id)
                .then().body("status", is("APPROVED")).body("object", is("Housing of young employees"));
    }

    @Test
    @DisplayName("R-21 submitting an exclusivity clause puts the agreement in PENDING_UESL_APPROVAL; signing before the grant is refused naming R-21")
    void exclusivityNeedsPriorApproval() {
        World w = world();
        String id = create(w, true, null).path("id");
        var submitted = submit(w.cilToken(), id);
        assertThat(submitted.<String> path("status")).isEqualTo("PENDING_UESL_APPROVAL");
        assertThat(submitted.<String> path("exclusivityApproval")).isEqualTo("PENDING");

        var early = post(w.cilToken(), id, "sign", "{\"signedOn\":\"2026-03-15\"}");
        assertThat(early.statusCode()).isEqualTo(422);
        assertThat(early.<String> path("rule")).isEqualTo("R-21");
        assertThat(early.contentType()).startsWith("application/problem+json");
        assertThat(status(id)).isEqualTo("PENDING_UESL_APPROVAL");

        var granted = post(uesl, id, "exclusivity-approval", "{\"granted\":true,\"reasons\":\"Coherent with the PLH\"}");
        assertThat(granted.statusCode()).isEqualTo(200);
        assertThat(granted.<String> path("status")).isEqualTo("APPROVED");
        assertThat(granted.<String> path("exclusivityApproval")).isEqualTo("GRANTED");
        assertThat(post(w.cilToken(), id, "sign", "{\"signedOn\":\"2026-03-15\"}").<String> path("status"))
                .isEqualTo("APPROVED");
        var signed = post(TestTokens.collectivite(w.epci()), id, "sign", "{\"signedOn\":\"2026-03-15\"}");
        assertThat(signed.<String> path("status")).isEqualTo("SIGNED");
    }

    @Test
    @DisplayName("R-21 only the UESL decides; a refusal needs reasons, is recorded with them, and the agreement can never be signed")
    void exclusivityRefusal() {
        World w = world();
        String id = create(w, true, null).path("id");
        submit(w.cilToken(), id);
        for (String token : List.of(w.cilToken(), w.delegueToken(), TestTokens.admin(), TestTokens.collectivite(w.epci()))) {
            assertThat(post(token, id, "exclusivity-approval", "{\"granted\":true}").statusCode()).isEqualTo(403);
        }
        var noReason = post(uesl, id, "exclusivity-approval", "{\"granted\":false}");
        assertThat(noReason.statusCode()).isEqualTo(422);
        assertThat(noReason.<String> path("rule")).isEqualTo("R-21");
        assertThat(status(id)).isEqualTo("PENDING_UESL_APPROVAL");

        var refused = post(uesl, id, "exclusivity-approval",
                "{\"granted\":false,\"reasons\":\"Would shut out the other CILs present on the EPCI\"}");
        assertThat(refused.statusCode()).isEqualTo(200);
        assertThat(refused.<String> path("status")).isEqualTo("REJECTED");
        assertThat(refused.<String> path("ueslExclusivityReasons")).contains("shut out");

        var sign = post(w.cilToken(), id, "sign", "{\"signedOn\":\"2026-03-15\"}");
        assertThat(sign.statusCode()).isEqualTo(422);
        assertThat(sign.<String> path("rule")).isEqualTo("R-21");
        var twice = post(uesl, id, "exclusivity-approval", "{\"granted\":true}");
        assertThat(twice.statusCode()).isEqualTo(409);
        assertThat(status(id)).isEqualTo("REJECTED");
    }

    @Test
    @DisplayName("bad input is a 400 problem naming the field, never a 500, and stores nothing")
    void badInput() {
        World w = world();
        long before = count("SELECT count(*) FROM agreement");
        for (String body : List.of(
                "{\"collectiviteId\":\"%s\",\"object\":\"x\"}",
                "{\"collectiviteId\":\"%s\",\"object\":\"x\",\"durationMonths\":12,\"partyType\":\"BANK\"}",
                "{\"collectiviteId\":\"%s\",\"object\":\"x\",\"durationMonths\":12,\"startDate\":\"2026-13-01\"}",
                "{\"collectiviteId\":\"%s\",\"object\":\"x\",\"durationMonths\":12,\"investments\":[{\"kind\":\"PRET\",\"amount\":-5}]}",
                "{\"collectiviteId\":\"%s\",\"object\":\"x\",\"durationMonths\":12,\"investments\":[{\"kind\":\"PRET\",\"amount\":\"lots\"}]}",
                "{\"collectiviteId\":\"%s\",")) {
            given().auth().oauth2(w.cilToken()).contentType(ContentType.JSON).body(body.formatted(w.epci()))
                    .when().post(BASE + "/agreements")
                    .then().statusCode(400).contentType("application/problem+json");
        }
        assertThat(count("SELECT count(*) FROM agreement")).isEqualTo(before);
    }

    @Test
    @DisplayName("R-21 an exclusivity clause must state its scope")
    void exclusivityNeedsScope() {
        World w = world();
        given().auth().oauth2(w.cilToken()).contentType(ContentType.JSON).body("""
                {"collectiviteId":"%s","object":"x","durationMonths":12,"exclusivity":true}""".formatted(w.epci()))
                .when().post(BASE + "/agreements")
                .then().statusCode(422).body("rule", is("R-21")).body("detail", containsString("scope"));
    }

    @Test
    @DisplayName("R-25 a Foncière Logement agreement with an exclusivity clause is never held for UESL approval; CIL users cannot record one")
    void fonciereLogementNotBlocked() {
        World w = world();
        String body = """
                {"partyType":"FONCIERE_LOGEMENT","collectiviteId":"%s","object":"Mixed housing on land of the EPCI",
                 "durationMonths":60,"exclusivity":true,"exclusivityScope":"Land of the ZAC",
                 "investments":[{"kind":"PARTICIPATION","amount":2000000}]}""".formatted(w.epci());
        given().auth().oauth2(w.cilToken()).contentType(ContentType.JSON).body(body)
                .when().post(BASE + "/agreements").then().statusCode(403);
        String id = given().auth().oauth2(uesl).contentType(ContentType.JSON).body(body)
                .when().post(BASE + "/agreements").then().statusCode(201).body("partyType", is("FONCIERE_LOGEMENT"))
                .body("cilId", is((Object) null)).extract().path("id");
        // the UESL records its choice to stay out first; then nothing is reviewed.
        assertThat(post(uesl, id, "uesl-decision", "{\"staysOut\":true,\"decidedOn\":\"2026-01-15\","
                + "\"reasons\":\"Within Foncière Logement's land policy\"}").statusCode()).isEqualTo(200);
        var submitted = submit(uesl, id);
        assertThat(submitted.<String> path("status")).isEqualTo("APPROVED");
        assertThat(submitted.<String> path("exclusivityApproval")).isEqualTo("NOT_REQUIRED");
        assertThat(submitted.<String> path("investmentOpinion")).isEqualTo("NOT_REQUIRED");
        assertThat(post(TestTokens.collectivite(w.epci()), id, "sign", "{\"signedOn\":\"2026-02-01\"}")
                .<String> path("status")).isEqualTo("APPROVED");
        var signed = post(uesl, id, "sign", "{\"signedOn\":\"2026-02-01\",\"side\":\"PARTNER\"}");
        assertThat(signed.<String> path("status")).isEqualTo("SIGNED");
        assertThat(signed.<List<String>> path("signatures.onBehalfOf"))
                .containsExactly("COLLECTIVITE:" + w.epci(), "FONCIERE_LOGEMENT");
        given().auth().oauth2(uesl).when().get(BASE + "/agreements?partyType=FONCIERE_LOGEMENT&regionCode=" + w.region())
                .then().statusCode(200).body("totalItems", is(1));
    }

    @Test
    @DisplayName("R-25 an APAGL agreement with a CIL party is refused")
    void apaglHasNoCil() {
        World w = world();
        given().auth().oauth2(uesl).contentType(ContentType.JSON).body("""
                {"partyType":"APAGL","cilId":"%s","collectiviteId":"%s","object":"GRL","durationMonths":12}"""
                .formatted(w.cil(), w.epci()))
                .when().post(BASE + "/agreements").then().statusCode(422).body("rule", is("R-25"));
    }

    @Test
    @DisplayName("If-Match is required on transitions: missing 428, stale 412, nothing changed")
    void ifMatchRequired() {
        World w = world();
        String id = create(w, false, null).path("id");
        given().auth().oauth2(w.cilToken()).when().post(BASE + "/agreements/" + id + "/submit")
                .then().statusCode(428).contentType("application/problem+json");
        given().auth().oauth2(w.cilToken()).header("If-Match", "\"7\"").when().post(BASE + "/agreements/" + id + "/submit")
                .then().statusCode(412).contentType("application/problem+json");
        assertThat(status(id)).isEqualTo("DRAFT");
        var revised = given().auth().oauth2(w.cilToken()).header("If-Match", "\"0\"").contentType(ContentType.JSON)
                .body("{\"object\":\"Revised object\",\"durationMonths\":24,\"exclusivity\":false,"
                        + "\"investments\":[{\"kind\":\"PRET\",\"amount\":1000}]}")
                .when().put(BASE + "/agreements/" + id).then().statusCode(200).extract();
        assertThat(revised.header("ETag")).isEqualTo("\"1\"");
        assertThat(revised.<String> path("object")).isEqualTo("Revised object");
        given().auth().oauth2(w.cilToken()).header("If-Match", "\"0\"").contentType(ContentType.JSON)
                .body("{\"object\":\"stale\",\"durationMonths\":24,\"exclusivity\":false}")
                .when().put(BASE + "/agreements/" + id).then().statusCode(412);
        assertThat(given().auth().oauth2(uesl).get(BASE + "/agreements/" + id).<String> path("object"))
                .isEqualTo("Revised object");
    }

    @Test
    @DisplayName("Idempotency-Key: a retried creation returns the first agreement and stores one row")
    void idempotentCreate() {
        World w = world();
        String key = UUID.randomUUID().toString();
        String body = agreementJson(w, false, null);
        String first = given().auth().oauth2(w.cilToken()).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(body).when().post(BASE + "/agreements").then().statusCode(201).extract().path("id");
        given().auth().oauth2(w.cilToken()).header("Idempotency-Key", key).contentType(ContentType.JSON).body(body)
                .when().post(BASE + "/agreements")
                .then().statusCode(201).header("Idempotent-Replayed", "true").body("id", is(first));
        assertThat(count("SELECT count(*) FROM agreement WHERE cil_id = '" + w.cil() + "'")).isEqualTo(1);
    }

    @Test
    @DisplayName("the collection filters by CIL, authority, status, exclusivity and pending approval, with a stable paginated order")
    void filtersAndPagination() {
        World w = world();
        String plain = create(w, false, null).path("id");
        String exclusive = create(w, true, null).path("id");
        String third = create(w, false, null).path("id");
        submit(w.cilToken(), exclusive);
        String cil = w.cilToken();
        given().auth().oauth2(cil).when().get(BASE + "/agreements?cilId=" + w.cil())
                .then().statusCode(200).body("totalItems", is(3)).header("X-Total-Count", "3");
        given().auth().oauth2(cil).when().get(BASE + "/agreements?pendingApproval=true")
                .then().body("items.id", is(List.of(exclusive)));
        given().auth().oauth2(cil).when().get(BASE + "/agreements?exclusivity=false&sort=createdAt,asc")
                .then().body("items.id", is(List.of(plain, third)));
        given().auth().oauth2(cil).when().get(BASE + "/agreements?status=DRAFT&collectiviteId=" + w.epci())
                .then().body("totalItems", is(2)).body("items.status", everyItem(is("DRAFT")));
        var page0 = given().auth().oauth2(cil).when().get(BASE + "/agreements?size=2&sort=createdAt,asc")
                .then().statusCode(200).header("Link", containsString("rel=\"next\"")).extract();
        var page1 = given().auth().oauth2(cil).when().get(BASE + "/agreements?size=2&page=1&sort=createdAt,asc")
                .then().statusCode(200).extract();
        assertThat(page0.<List<String>> path("items.id")).containsExactly(plain, exclusive);
        assertThat(page1.<List<String>> path("items.id")).containsExactly(third);
        given().auth().oauth2(cil).when().get(BASE + "/agreements?sort=nope")
                .then().statusCode(400).body("errors.field", hasItem("sort"));
        given().auth().oauth2(cil).when().get(BASE + "/agreements?status=NOPE")
                .then().statusCode(400).body("errors.field", hasItem("status"));
        given().auth().oauth2(cil).when().get(BASE + "/agreements/not-a-uuid")
                .then().statusCode(400).body("type", notNullValue());
    }
}
