package fr.actionlogement.territorial.conventions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import fr.actionlogement.territorial.testsupport.KafkaTestClient;
import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Signatures as a process, the UESL's decisions as records, large agglomerations and
 * the local authority, and the negotiation events, through the HTTP API against PostgreSQL and Kafka.
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "conventions"))
class ConventionSignaturesTest extends ConventionsTestBase {

    private static final String TOPIC = "conventions.events.v1";

    private static void refused(Response r, int status, String rule) {
        r.then().statusCode(status).contentType("application/problem+json").body("rule", is(rule))
                .body("detail", containsString(rule));
    }

    private Response sign(String token, String id, String partyType, String partyId, String on) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("partyType", partyType, "partyId", partyId));
        if (on != null) {
            body.put("signedOn", on);
        }
        return as(token).body(body).post(BASE + "/" + id + "/signatures");
    }

    private Response decide(String token, Map<String, Object> decision, String id) {
        return as(token).body(decision).post(BASE + "/" + id + "/uesl-decisions");
    }

    /** The valid charter plus APAGL (GRL, admitted by a concertation) and the UESL (its request to sign). */
    private Map<String, Object> withApaglAndUesl(World w) {
        Map<String, Object> c = validContent(w);
        list(c, "signatories").add(signatory("APAGL", "APAGL", null));
        list(c, "signatories").add(signatory("UESL", "UESL", null));
        list(c, "actions").add(action("APAGL:APAGL", "GRL"));
        // The content mirrors the UESL's recorded request to sign (clearing it here would withdraw the request).
        c.put("ueslSignatureRequested", true);
        return c;
    }

    @Test
    @DisplayName("R-14 R-07 R-08 every required signatory signs on its own; the convention is SIGNED with the last signature, dated by it, and ConventionSigned carries the signatures")
    void everyPartySignsInTurn() throws Exception {
        World w = world();
        String id = proposed(w);
        transition(id, "negotiation", Map.of("reason", "conférence régionale")).then().statusCode(200);
        // APAGL needs the UESL's recorded concertation; R-08: the UESL asks to sign.
        refused(revise(id, withApaglAndUesl(w)), 422, "R-07");
        decide(uesl, Map.of("type", "CONCERTATION", "partyType", "APAGL", "partyId", "APAGL", "reasons",
                "GRL développée sur le territoire", "decidedOn", "2011-05-12"), id).then().statusCode(201)
                .body("type", is("CONCERTATION")).body("partyType", is("APAGL")).body("decidedOn", is("2011-05-12"))
                .body("decidedBy", is("uesl-user"));
        decide(uesl, Map.of("type", "SIGNATURE_REQUEST", "reasons", "Communication institutionnelle"), id).then()
                .statusCode(201);
        as(uesl).get(BASE + "/" + id).then().body("ueslSignatureRequired", is(true))
                .body("content.ueslSignatureRequested", is(true));
        revise(id, withApaglAndUesl(w)).then().statusCode(200);
        transition(id, "submission", Map.of()).then().statusCode(200).body("status", is("READY_FOR_SIGNATURE"));

        String cil = TestTokens.cil(w.cilPresent());
        String authority = TestTokens.collectivite(w.epciSiren());
        // Who signs for whom: a CIL user for its CIL only, an authority user for its authority only.
        sign(cil, id, "COLLECTIVITE", w.epciSiren(), "2011-06-20").then().statusCode(403);
        sign(authority, id, "CIL", w.cilPresent(), "2011-06-20").then().statusCode(403);
        sign(cil, id, "APAGL", "APAGL", "2011-06-20").then().statusCode(403);
        // Never in the future.
        refused(sign(cil, id, "CIL", w.cilPresent(), LocalDate.now().plusDays(1).toString()), 422, "R-14");
        // Not a signatory.
        refused(sign(uesl, id, "FONCIERE_LOGEMENT", "FL", "2011-06-20"), 422, "R-07");
        as(uesl).get(BASE + "/" + id + "/signatures").then().statusCode(200).body("signatures", hasSize(0))
                .body("missing", hasSize(4));

        sign(cil, id, "CIL", w.cilPresent(), "2011-06-20").then().statusCode(201)
                .body("status", is("READY_FOR_SIGNATURE")).body("signature.onBehalf", is(false))
                .body("missing", hasSize(3));
        refused(sign(cil, id, "CIL", w.cilPresent(), "2011-06-21"), 409, "R-14");
        sign(authority, id, "COLLECTIVITE", w.epciSiren(), "2011-06-22").then().statusCode(201)
                .body("status", is("READY_FOR_SIGNATURE"));
        sign(uesl, id, "APAGL", "APAGL", "2011-06-30").then().statusCode(201).body("signature.onBehalf", is(true))
                .body("status", is("READY_FOR_SIGNATURE")).body("missing", is(List.of("UESL:UESL")));
        sign(uesl, id, "UESL", "UESL", "2011-06-25").then().statusCode(201).body("status", is("SIGNED"))
                .body("signedOn", is("2011-06-30")).body("missing", hasSize(0));
        as(uesl).get(BASE + "/" + id).then().body("status", is("SIGNED")).body("signedOn", is("2011-06-30"))
                .body("signatures", hasSize(4)).body("ueslDecisions", hasSize(2));
        as(uesl).get(BASE + "/" + id + "/versions/1").then().statusCode(200);
        // The last signature writes the signed convention's document, as the one-call signature does.
        as(uesl).get(BASE + "/" + id + "/documents").then().statusCode(200)
                .body("stage", is(List.of("SUBMITTED_FOR_SIGNATURE", "SIGNED")));
        refused(sign(uesl, id, "UESL", "UESL", "2011-06-30"), 409, "R-14");

        JsonNode signed = event(id, "ConventionSigned");
        assertThat(signed.get("signedOn").asText()).isEqualTo("2011-06-30");
        assertThat(signed.get("signatures")).hasSize(4);
        assertThat(signed.get("signatures").findValuesAsText("partyType")).containsExactly("CIL", "COLLECTIVITE",
                "APAGL", "UESL");
        assertThat(signed.get("signatures").get(0).get("signedBy").asText()).isEqualTo("cil-user-" + w.cilPresent());
        // The history shows the decisions and each signature.
        as(uesl).get(BASE + "/" + id + "/history?size=50").then().statusCode(200)
                .body("items.action", hasItem("UESL_DECISION_RECORDED"))
                .body("items.action", hasItem("SIGNATURE_RECORDED")).body("items.action", hasItem("SIGNED"));
    }

    @Test
    @DisplayName("R-07 presence is checked at the signing date; R-14 returning to negotiation voids the signatures and publishes an event, as starting negotiation does")
    void presenceAtTheSigningDate() throws Exception {
        World w = world();
        // A CIL present only since 2012.
        String late = digits(9);
        cilRegistered(late, "CIL tardif " + late, null);
        presence(late, w.territoryId(), true, "2012-01-01", null);
        awaitRows("SELECT count(*) FROM rm_cil_presence WHERE cil_id = '" + late + "'");
        Map<String, Object> content = validContent(w);
        list(content, "signatories").add(signatory("CIL", late, null));
        list(content, "actions").add(action("CIL:" + late, "PETITS_LOGEMENTS_JEUNES"));
        String id = negotiated(w, content);
        transition(id, "submission", Map.of()).then().statusCode(200);
        sign(uesl, id, "CIL", w.cilPresent(), "2011-06-01").then().statusCode(201);
        sign(uesl, id, "COLLECTIVITE", w.epciSiren(), "2011-06-01").then().statusCode(201);
        // The last signature dated 2011: the late CIL was not present then.
        refused(sign(TestTokens.cil(late), id, "CIL", late, "2011-06-30"), 422, "R-07");
        as(uesl).get(BASE + "/" + id + "/signatures").then().body("status", is("READY_FOR_SIGNATURE"))
                .body("missing", is(List.of("CIL:" + late)));
        // Back to negotiation: the signatures are void.
        transition(id, "return-to-negotiation", Map.of("reason", "Date de signature à revoir")).then()
                .statusCode(200).body("signatures", hasSize(0));
        JsonNode returned = event(id, "ConventionReturnedToNegotiation");
        assertThat(returned.get("voidedSignatures")).hasSize(2);
        assertThat(returned.get("reason").asText()).isEqualTo("Date de signature à revoir");
        JsonNode started = event(id, "ConventionNegotiationStarted");
        assertThat(started.get("regionCode").asText()).isEqualTo(w.region());
        assertThat(started.get("conferenceMemberCilIds")).hasSize(2);
        // Signed again in 2012, when every CIL is present.
        transition(id, "submission", Map.of()).then().statusCode(200);
        sign(uesl, id, "CIL", w.cilPresent(), "2012-03-01").then().statusCode(201);
        sign(uesl, id, "COLLECTIVITE", w.epciSiren(), "2012-03-01").then().statusCode(201);
        sign(TestTokens.cil(late), id, "CIL", late, "2012-03-02").then().statusCode(201).body("status", is("SIGNED"))
                .body("signedOn", is("2012-03-02"));
    }

    @Test
    @DisplayName("R-07 R-08 the UESL's decisions are records written by UESL users only: a délégué is refused (403) and changes nothing")
    void ueslDecisionsAreTheUeslsOnly() {
        World w = world();
        String id = proposed(w);
        Map<String, Object> concertation = Map.of("type", "CONCERTATION", "partyType", "CIL", "partyId",
                w.cilAbsent(), "reasons", "CIL intervenant sur le territoire");
        decide(w.delegueToken(), concertation, id).then().statusCode(403).contentType("application/problem+json");
        decide(TestTokens.cil(w.cilPresent()), concertation, id).then().statusCode(403);
        as(uesl).get(BASE + "/" + id + "/uesl-decisions").then().statusCode(200).body("$", hasSize(0));
        // The délégué's draft cannot name the absent CIL without the UESL's decision...
        Map<String, Object> content = validContent(w);
        list(content, "signatories").add(signatory("CIL", w.cilAbsent(), null));
        list(content, "actions").add(action("CIL:" + w.cilAbsent(), "INTERMEDIATION_LOCATIVE"));
        refused(as(w.delegueToken()).header("If-Match", etag(id)).body(content).put(BASE + "/" + id + "/content"),
                422, "R-07");
        // ... and can once the UESL recorded it (the rule reads the record).
        refused(decide(uesl, Map.of("type", "CONCERTATION", "partyType", "CIL", "partyId", w.cilAbsent(), "reasons",
                "x", "decidedOn", LocalDate.now().plusDays(2).toString()), id), 422, "R-07");
        decide(uesl, concertation, id).then().statusCode(201).body("decidedBy", is("uesl-user"))
                .body("decidedOn", is(LocalDate.now().toString()));
        as(w.delegueToken()).header("If-Match", etag(id)).body(content).put(BASE + "/" + id + "/content").then()
                .statusCode(200);
        // A concertation for a party that needs none; a request to sign naming a party.
        refused(decide(uesl, Map.of("type", "CONCERTATION", "partyType", "COLLECTIVITE", "partyId", w.epciSiren(),
                "reasons", "x"), id), 422, "R-07");
        decide(uesl, Map.of("type", "SIGNATURE_REQUEST", "partyType", "CIL", "partyId", w.cilPresent(), "reasons",
                "x"), id).then().statusCode(400);
        decide(uesl, Map.of("type", "CONCERTATION", "partyType", "APAGL", "partyId", "APAGL"), id).then()
                .statusCode(400);
        // while the UESL's latest decision is a request, the UESL must be among the signatories.
        transition(id, "negotiation", Map.of()).then().statusCode(200);
        decide(uesl, Map.of("type", "SIGNATURE_REQUEST", "reasons", "Communication institutionnelle"), id).then()
                .statusCode(201);
        refused(transition(id, "submission", Map.of()), 422, "R-08");
        decide(uesl, Map.of("type", "SIGNATURE_REQUEST_WITHDRAWN", "reasons", "Plus nécessaire"), id).then()
                .statusCode(201);
        transition(id, "submission", Map.of()).then().statusCode(200);
        refused(decide(uesl, concertation, id), 409, "R-07");
        as(uesl).get(BASE + "/" + id + "/uesl-decisions").then().statusCode(200).body("$", hasSize(3))
                .body("type", is(List.of("CONCERTATION", "SIGNATURE_REQUEST", "SIGNATURE_REQUEST_WITHDRAWN")));
        as(uesl).get(BASE + "/" + id + "/history?size=50").then().statusCode(200)
                .body("items.findAll { it.action == 'UESL_DECISION_RECORDED' }.size()", is(3));
    }

    @Test
    @DisplayName("R-07 a concertation written in the content by the UESL becomes a recorded decision with its author and date")
    void legacyConcertationBecomesARecord() {
        World w = world();
        Map<String, Object> content = validContent(w);
        list(content, "signatories").add(signatory("CIL", w.cilAbsent(), "Décision UESL du 3 mai 2011"));
        list(content, "actions").add(action("CIL:" + w.cilAbsent(), "INTERMEDIATION_LOCATIVE"));
        String id = negotiated(w, content);
        as(uesl).get(BASE + "/" + id + "/uesl-decisions").then().statusCode(200).body("$", hasSize(1))
                .body("[0].partyType", is("CIL")).body("[0].partyId", is(w.cilAbsent()))
                .body("[0].reasons", is("Décision UESL du 3 mai 2011"))
                .body("[0].decidedBy", is("uesl-user"));
        // Revising again with the same text records nothing new.
        revise(id, content).then().statusCode(200).body("ueslDecisions", hasSize(1));
    }

    @Test
    @DisplayName("R-01 only large agglomerations: a communauté de communes is refused, a communauté d'agglomération accepted; a charter needs the local authority among its signatories")
    void largeAgglomerationsAndTheLocalAuthority() {
        World w = world();
        String cc = "EPCI:" + digits(9);
        territoryRegistered(cc, "EPCI", cc.substring(5), "CC du Pilat", w.region(), "CC");
        String ca = "EPCI:" + digits(9);
        territoryRegistered(ca, "EPCI", ca.substring(5), "CA Loire Forez", w.region(), "CA");
        awaitRows("SELECT count(*) FROM rm_territory WHERE territory_id IN ('" + cc + "','" + ca
                + "') AND epci_nature IS NOT NULL HAVING count(*) = 2");
        Response r = propose(w, cc, "TERRITORIALE", w.templateId());
        refused(r, 422, "R-01");
        r.then().body("detail", containsString("CC"));
        assertThat(count("SELECT count(*) FROM convention WHERE territory_id = '" + cc + "'")).isZero();
        propose(w, ca, "TERRITORIALE", w.templateId()).then().statusCode(201);
        // The local authority (the agglomeration's EPCI) must sign the charter.
        Map<String, Object> content = validContent(w);
        list(content, "signatories").removeIf(s -> "COLLECTIVITE".equals(s.get("partyType")));
        list(content, "actions").removeIf(a -> ((String) a.get("partyKey")).startsWith("COLLECTIVITE:"));
        String id = negotiated(w, content);
        refused(transition(id, "submission", Map.of()), 422, "R-01");
        as(uesl).get(BASE + "/" + id).then().body("status", is("IN_NEGOTIATION")).body("signedOn", nullValue());
    }

    private JsonNode event(String conventionId, String name) throws Exception {
        List<ConsumerRecord<String, String>> records = new KafkaTestClient(bootstrap).await(TOPIC,
                r -> conventionId.equals(r.key()) && r.value().contains("." + name + ".v1"), 1, Duration.ofSeconds(30));
        return JSON.readTree(records.get(0).value()).get("data");
    }
}
