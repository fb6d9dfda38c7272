package fr.actionlogement.territorial.conventions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Every rule R-01..R-15 and its refusal paths, through the HTTP API against real PostgreSQL and Kafka. */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "conventions"))
class ConventionRulesTest extends ConventionsTestBase {

    private static void refused(Response r, int status, String rule) {
        r.then().statusCode(status).contentType("application/problem+json").body("rule", is(rule))
                .body("detail", containsString(rule));
    }

    @Test
    @DisplayName("R-01 a convention binds a known agglomeration: unknown territories and communes are refused")
    void territoryMustBeAKnownAgglomeration() {
        World w = world();
        refused(propose(w, "EPCI:" + digits(9), "TERRITORIALE", w.templateId()), 422, "R-01");
        String commune = "COMMUNE:" + digits(5);
        territoryRegistered(commune, "COMMUNE", commune.substring(8), "Commune", w.region());
        awaitRows("SELECT count(*) FROM rm_territory WHERE territory_id = '" + commune + "'");
        refused(propose(w, commune, "TERRITORIALE", w.templateId()), 422, "R-01");
        assertThat(count("SELECT count(*) FROM convention WHERE campaign_id = '" + w.campaignId() + "'")).isZero();
        propose(w).then().statusCode(201).body("status", is("DRAFT")).body("territoryId", is(w.territoryId()))
                .body("regionCode", is(w.region()));
    }

    @Test
    @DisplayName("R-02 over the campaign's cap, or a second open convention on one territory, the proposal is refused")
    void campaignCapIsEnforced() {
        World w = world(1);
        propose(w).then().statusCode(201);
        refused(propose(w), 409, "R-02");
        String other = "EPCI:" + digits(9);
        territoryRegistered(other, "EPCI", other.substring(5), "Autre EPCI", w.region());
        awaitRows("SELECT count(*) FROM rm_territory WHERE territory_id = '" + other + "'");
        refused(propose(w, other, "TERRITORIALE", w.templateId()), 422, "R-02");
        as(uesl).get(BASE + "/campaigns/" + w.campaignId()).then().statusCode(200).body("cap", is(1))
                .body("openConventions", is(1));
        // The cap is a setting: a campaign created without one gets the configured default (10).
        String id = "c-" + digits(8);
        as(uesl).body(Map.of("campaignId", id, "name", "Défaut", "year", 2011)).post(BASE + "/campaigns").then()
                .statusCode(201).body("cap", is(10));
        // Two délégué proposals racing for the last place: the campaign row lock lets exactly one in.
        World race = world(1);
        String second = "EPCI:" + digits(9);
        territoryRegistered(second, "EPCI", second.substring(5), "Concurrent", race.region());
        awaitRows("SELECT count(*) FROM rm_territory WHERE territory_id = '" + second + "'");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var f1 = pool.submit(() -> propose(race).statusCode());
            var f2 = pool.submit(() -> propose(race, second, "TERRITORIALE", race.templateId()).statusCode());
            assertThat(List.of(f1.get(), f2.get())).containsExactlyInAnyOrder(201, 422);
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            pool.shutdown();
        }
        // A closed campaign takes no proposal.
        World closed = world();
        String tag = as(uesl).get(BASE + "/campaigns/" + closed.campaignId()).then().extract().header("ETag");
        as(uesl).header("If-Match", tag).body(Map.of("name", "Close", "cap", 10, "open", false))
                .put(BASE + "/campaigns/" + closed.campaignId()).then().statusCode(200).body("open", is(false));
        refused(propose(closed), 409, "R-02");
        // A délégué proposes only in their own région.
        as(fr.actionlogement.territorial.testsupport.TestTokens.delegue("00")).body(Map.of("campaignId", id,
                "territoryId", other, "kind", "TERRITORIALE", "templateId", w.templateId(), "templateVersion", 1))
                .post(BASE).then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    @DisplayName("R-03 negotiation happens in the known regional conference, which the convention records")
    void negotiationRecordsTheRegionalConference() {
        World w = world();
        String id = proposed(w);
        transition(id, "negotiation", Map.of("reason", "concertation")).then().statusCode(200)
                .body("status", is("IN_NEGOTIATION")).body("regionalConference.regionCode", is(w.region()))
                .body("regionalConference.memberCilIds", hasItem(w.cilPresent()));
        // A région whose conference territories-service never announced: refused.
        String lonely = "8" + digits(4);
        String epci = "EPCI:" + digits(9);
        territoryRegistered(epci, "EPCI", epci.substring(5), "Isolée", lonely);
        awaitRows("SELECT count(*) FROM rm_territory WHERE territory_id = '" + epci + "'");
        String other = as(fr.actionlogement.territorial.testsupport.TestTokens.delegue(lonely))
                .body(Map.of("campaignId", w.campaignId(), "territoryId", epci, "kind", "TERRITORIALE", "templateId",
                        w.templateId(), "templateVersion", 1))
                .post(BASE).then().statusCode(201).extract().path("conventionId");
        String before = etag(other);
        refused(transition(other, "negotiation", Map.of()), 422, "R-03");
        assertThat(etag(other)).isEqualTo(before);
        // Negotiation is the UESL's: the délégué may not start it.
        as(w.delegueToken()).header("If-Match", etag(id)).body(Map.of()).post(BASE + "/" + id + "/submission").then()
                .statusCode(403);
    }

    @Test
    @DisplayName("R-04 templates are versioned; a convention is created from one published version and records it")
    void conventionsComeFromATemplateVersion() {
        World w = world();
        String tag = as(uesl).get(BASE + "/templates/" + w.templateId()).then().statusCode(200).extract().header("ETag");
        as(uesl).header("If-Match", tag).body(Map.of("name", "Modèle v2", "kind", "TERRITORIALE", "sections",
                List.of(Map.of("code", "CIL_INTERVENTIONS_OFFRE", "title", "Interventions", "text", "v2 text"))))
                .post(BASE + "/templates/" + w.templateId() + "/versions").then().statusCode(201).body("version", is(2));
        as(uesl).get(BASE + "/templates/" + w.templateId() + "/versions/1").then().statusCode(200)
                .body("name", is("Modèle " + w.templateId())).body("sections.size()", is(4));
        as(w.delegueToken()).body(Map.of("campaignId", w.campaignId(), "territoryId", w.territoryId(), "kind",
                "TERRITORIALE", "templateId", w.templateId(), "templateVersion", 2)).post(BASE).then()
                .statusCode(201).body("templateVersion", is(2)).body("content.sections[0].text", is("v2 text"));
        World w2 = world();
        refused(as(w2.delegueToken()).body(Map.of("campaignId", w2.campaignId(), "territoryId", w2.territoryId(),
                "kind", "TERRITORIALE", "templateId", w2.templateId(), "templateVersion", 9)).post(BASE), 422, "R-04");
        refused(propose(w2, w2.territoryId(), "CADRE_DE_TERRITOIRE", w2.templateId()), 422, "R-04");
        // Versions are immutable: publishing needs the template's current ETag.
        as(uesl).header("If-Match", tag).body(Map.of("name", "stale", "kind", "TERRITORIALE", "sections",
                List.of(Map.of("code", "X", "title", "X", "text", "X"))))
                .post(BASE + "/templates/" + w.templateId() + "/versions").then().statusCode(412);
    }

    @Test
    @DisplayName("R-05 a convention without the minimum canvas cannot be submitted for signature")
    void minimumCanvasBeforeSubmission() {
        World w = world();
        Map<String, Object> content = validContent(w);
        list(content, "sections").get(3).put("text", " ");
        String id = negotiated(w, content);
        Response r = transition(id, "submission", Map.of());
        refused(r, 422, "R-05");
        r.then().body("detail", containsString("ENGAGEMENTS_COLLECTIVITE_INSTANCES"));
        as(uesl).get(BASE + "/" + id).then().body("status", is("IN_NEGOTIATION"));
    }

    @Test
    @DisplayName("R-06 objectives target an indicator, public, year in the period; achievements on signed conventions; progress computed")
    void objectivesAndAchievements() {
        World w = world();
        Map<String, Object> content = validContent(w);
        list(content, "objectives").add(objective("CONSTRUCTION_NEUVE", "JEUNES_SALARIES", 2012, 5));
        String id = negotiated(w, validContent(w));
        refused(revise(id, content), 422, "R-06");
        Map<String, Object> outside = validContent(w);
        list(outside, "objectives").add(objective("ACCES_PARC_SOCIAL", "SALARIES_EN_MOBILITE", 2020, 5));
        refused(revise(id, outside), 422, "R-06");
        Map<String, Object> badIndicator = validContent(w);
        list(badIndicator, "objectives").get(0).put("indicator", "lower case");
        revise(id, badIndicator).then().statusCode(400).body("errors[0].field", is("objectives[0].indicator"));
        String objectiveId = as(uesl).get(BASE + "/" + id).then().extract().path("content.objectives[0].objectiveId");
        as(uesl).body(Map.of("value", 10)).post(BASE + "/" + id + "/objectives/" + objectiveId + "/achievements").then()
                .statusCode(409).body("rule", is("R-06"));
        transition(id, "submission", Map.of()).then().statusCode(200);
        transition(id, "signature", Map.of()).then().statusCode(200);
        as(uesl).body(Map.of("value", 30, "recordedOn", "2012-06-30")).post(BASE + "/" + id + "/objectives/"
                + objectiveId + "/achievements").then().statusCode(201).body("value", is(30));
        as(fr.actionlogement.territorial.testsupport.TestTokens.cil(w.cilPresent())).body(Map.of("value", 20))
                .post(BASE + "/" + id + "/objectives/" + objectiveId + "/achievements").then().statusCode(201);
        as(uesl).get(BASE + "/" + id).then().body("progress[0].achieved", is(50))
                .body("progress[0].target", is(100)).body("progress[0].progressPercent", is(50.0f));
        as(uesl).body(Map.of("value", 1)).post(BASE + "/" + id + "/objectives/unknown/achievements").then()
                .statusCode(404);
        as(uesl).body(Map.of("value", -1)).post(BASE + "/" + id + "/objectives/" + objectiveId + "/achievements")
                .then().statusCode(400);
    }

    @Test
    @DisplayName("R-07 present CILs and their subsidiaries sign; others, Foncière Logement and APAGL need UESL concertation; one present CIL at least")
    void signatoriesNeedPresenceOrConcertation() {
        World w = world();
        String id = negotiated(w, validContent(w));
        for (Map<String, Object> s : List.of(signatory("CIL", w.cilAbsent(), null),
                signatory("FILIALE", w.filialeOfAbsent(), null), signatory("APAGL", "APAGL", null),
                signatory("FONCIERE_LOGEMENT", "FL", null), signatory("CIL", digits(9), "accord UESL"),
                signatory("CIL", w.filialeOfPresent(), null), signatory("FILIALE", w.cilPresent(), null))) {
            Map<String, Object> c = validContent(w);
            list(c, "signatories").add(s);
            refused(revise(id, c), 422, "R-07");
        }
        Map<String, Object> ok = validContent(w);
        list(ok, "signatories").add(signatory("FILIALE", w.filialeOfPresent(), null));
        list(ok, "signatories").add(signatory("CIL", w.cilAbsent(), "Décision UESL 2011-07"));
        list(ok, "signatories").add(signatory("FILIALE", w.filialeOfAbsent(), "Décision UESL 2011-08"));
        for (String p : List.of("FILIALE:" + w.filialeOfPresent(), "CIL:" + w.cilAbsent(), "FILIALE:" + w.filialeOfAbsent())) {
            list(ok, "actions").add(action(p, "EMPLOIS_PERSONNES_PHYSIQUES"));
        }
        revise(id, ok).then().statusCode(200).body("content.signatories.size()", is(5));
        // Without any present CIL the convention cannot go to signature.
        Map<String, Object> none = validContent(w);
        list(none, "signatories").remove(0);
        list(none, "actions").remove(0);
        list(none, "signatories").add(signatory("CIL", w.cilAbsent(), "Décision UESL 2011-07"));
        list(none, "actions").add(action("CIL:" + w.cilAbsent(), "CONSTRUCTION_PLUS_PLAI_PLS"));
        revise(id, none).then().statusCode(200);
        refused(transition(id, "submission", Map.of()), 422, "R-07");
    }

    @Test
    @DisplayName("R-08 collective commitments or UESL's request require the UESL to sign or be present")
    void ueslSignsCollectiveCommitments() {
        World w = world();
        Map<String, Object> content = validContent(w);
        list(content, "commitments").add(commitment(w.cilPresent(), "PRET_LOCATIF", 2012, 10, true, "CIL"));
        String id = negotiated(w, content);
        as(uesl).get(BASE + "/" + id).then().body("ueslSignatureRequired", is(true));
        refused(transition(id, "submission", Map.of()), 422, "R-08");
        Map<String, Object> requested = validContent(w);
        requested.put("ueslSignatureRequested", true);
        revise(id, requested).then().statusCode(200);
        refused(transition(id, "submission", Map.of()), 422, "R-08");
        Map<String, Object> present = validContent(w);
        present.put("ueslSignatureRequested", true);
        list(present, "commitments").add(commitment(w.cilPresent(), "PRET_LOCATIF", 2012, 10, true, "CIL"));
        Map<String, Object> uesl = signatory("UESL", "UESL", null);
        uesl.put("presentOnly", true);
        list(present, "signatories").add(uesl);
        revise(id, present).then().statusCode(200);
        transition(id, "submission", Map.of()).then().statusCode(200).body("status", is("READY_FOR_SIGNATURE"));
    }

    @Test
    @DisplayName("R-09 GRL only with APAGL; a device run by a specific body needs that body among signatories")
    void devicesNeedTheBodyRunningThem() {
        World w = world();
        Map<String, Object> grl = validContent(w);
        ((List<Object>) grl.get("devices")).add("GRL");
        String id = negotiated(w, grl);
        Response r = transition(id, "submission", Map.of());
        refused(r, 422, "R-09");
        r.then().body("detail", containsString("APAGL"));
        Map<String, Object> fl = validContent(w);
        list(fl, "actions").add(action("CIL:" + w.cilPresent(), "LOGEMENTS_FONCIERE_LOGEMENT"));
        revise(id, fl).then().statusCode(200);
        refused(transition(id, "submission", Map.of()), 422, "R-09");
        Map<String, Object> withApagl = validContent(w);
        ((List<Object>) withApagl.get("devices")).add("GRL");
        list(withApagl, "signatories").add(signatory("APAGL", "APAGL", "Concertation UESL du 3 mai 2011"));
        list(withApagl, "actions").add(action("APAGL:APAGL", "GRL"));
        revise(id, withApagl).then().statusCode(200);
        transition(id, "submission", Map.of()).then().statusCode(200);
    }

    @Test
    @DisplayName("R-10 commitments on a contingent product never exceed the remaining envelope; authorities never prescribe it")
    void contingentEnvelopes() {
        World w = world();
        as(uesl).body(Map.of("cilId", w.cilPresent(), "product", "PRET_LOCATIF", "year", 2012, "amount", 10))
                .post(BASE + "/envelopes").then().statusCode(422).body("rule", is("R-10"));
        String envelopeId = as(uesl).body(Map.of("cilId", w.cilPresent(), "product", "PASS_FONCIER", "year", 2012,
                "amount", 100)).post(BASE + "/envelopes").then().statusCode(201).body("remaining", is(100))
                .extract().path("envelopeId");
        Map<String, Object> first = validContent(w);
        list(first, "commitments").add(commitment(w.cilPresent(), "PASS_FONCIER", 2012, 60, false, "CIL"));
        String a = negotiated(w, first);
        as(uesl).get(BASE + "/envelopes/" + envelopeId).then().body("committed", is(60)).body("remaining", is(40));
        as(fr.actionlogement.territorial.testsupport.TestTokens.cil(w.cilPresent())).get(BASE + "/envelopes").then()
                .statusCode(200).body("items[0].remaining", is(40));
        as(fr.actionlogement.territorial.testsupport.TestTokens.cil(w.cilAbsent())).get(BASE + "/envelopes/" + envelopeId)
                .then().statusCode(404);

        // A second convention of another campaign on the same CIL and year: only 40 remain.
        String otherCampaign = createCampaign(10);
        String b = as(w.delegueToken()).body(Map.of("campaignId", otherCampaign, "territoryId", w.territoryId(), "kind",
                "TERRITORIALE", "templateId", w.templateId(), "templateVersion", 1)).post(BASE).then().statusCode(201)
                .extract().path("conventionId");
        transition(b, "negotiation", Map.of()).then().statusCode(200);
        Map<String, Object> over = validContent(w);
        list(over, "commitments").add(commitment(w.cilPresent(), "PASS_FONCIER", 2012, 50, false, "CIL"));
        Response r = revise(b, over);
        refused(r, 422, "R-10");
        // The refusal names the caller's own figure, never the envelope's (its readers are the UESL and the CIL).
        // (as whole numbers: the CIL's random SIREN may contain the digits)
        r.then().body("detail", matchesPattern("(?s).*\\b50\\b.*")).body("detail", not(matchesPattern("(?s).*\\b40\\b.*")));
        Map<String, Object> prescribed = validContent(w);
        list(prescribed, "commitments").add(commitment(w.cilPresent(), "PASS_FONCIER", 2012, 10, false, "COLLECTIVITE"));
        refused(revise(b, prescribed), 422, "R-10");
        Map<String, Object> noEnvelope = validContent(w);
        list(noEnvelope, "commitments").add(commitment(w.cilPresent(), "PASS_FONCIER", 2013, 1, false, "CIL"));
        refused(revise(b, noEnvelope), 422, "R-10");
        Map<String, Object> fits = validContent(w);
        list(fits, "commitments").add(commitment(w.cilPresent(), "PASS_FONCIER", 2012, 40, false, "CIL"));
        list(fits, "commitments").add(commitment(w.cilPresent(), "PRET_LOCATIF", 2012, 500, false, "COLLECTIVITE"));
        revise(b, fits).then().statusCode(200);
        // The UESL cannot lower the envelope below what conventions commit.
        String tag = as(uesl).get(BASE + "/envelopes/" + envelopeId).then().extract().header("ETag");
        as(uesl).header("If-Match", tag).body(Map.of("amount", 50)).put(BASE + "/envelopes/" + envelopeId).then()
                .statusCode(409).body("rule", is("R-10"));
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    @DisplayName("R-11 reservation costs are compared with the territory's previous convention; a rise needs a justification to sign")
    void reservationCostsAgainstPreviousConvention() {
        World w = world();
        String first = signed(w, validContent(w));
        as(uesl).get(BASE + "/" + first + "/reservation-costs").then().statusCode(200)
                .body("previousConventionId", nullValue()).body("changes[0].trend", is("NEW"));
        transition(first, "termination", Map.of("reason", "remplacée", "terminatedOn", "2012-12-31")).then()
                .statusCode(200);
        String campaign = createCampaign(10);
        String second = as(w.delegueToken()).body(Map.of("campaignId", campaign, "territoryId", w.territoryId(), "kind",
                "TERRITORIALE", "templateId", w.templateId(), "templateVersion", 1)).post(BASE).then().statusCode(201)
                .extract().path("conventionId");
        transition(second, "negotiation", Map.of()).then().statusCode(200);
        Map<String, Object> dearer = validContent(w);
        dearer.put("reservationCosts", List.of(Map.of("category", "PLUS", "unitCostEuros", 25000),
                Map.of("category", "PLAI", "unitCostEuros", 15000)));
        // a partner of the second convention only, to prove the first one's costs are not shown to it
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> partners = (List<Map<String, Object>>) dearer.get("partners");
        String commune = digits(5);
        partners.add(Map.of("partyType", "COLLECTIVITE", "partyId", commune, "name", "Commune " + commune,
                "role", "Foncier"));
        revise(second, dearer).then().statusCode(200);
        transition(second, "submission", Map.of()).then().statusCode(200);
        as(uesl).get(BASE + "/" + second + "/reservation-costs").then().statusCode(200)
                .body("previousConventionId", is(first)).body("changes[0].category", is("PLUS"))
                .body("changes[0].previousUnitCostEuros", is(20000)).body("changes[0].change", is(5000))
                .body("changes[0].trend", is("INCREASED")).body("changes[1].trend", is("NEW"));
        String partnerOfSecondOnly = TestTokens.collectivite(commune);
        as(partnerOfSecondOnly).get(BASE + "/" + first).then().statusCode(404);
        as(partnerOfSecondOnly).get(BASE + "/" + second + "/reservation-costs").then().statusCode(200)
                .body("previousConventionId", nullValue()).body("previousSignedOn", nullValue())
                .body("changes[0].previousUnitCostEuros", nullValue()).body("changes[0].trend", is("NEW"));
        refused(transition(second, "signature", Map.of("signedOn", "2013-01-15")), 422, "R-11");
        transition(second, "signature", Map.of("signedOn", "2013-01-15", "costIncreaseJustification",
                "Hausse du foncier compensée par 50 réservations supplémentaires")).then().statusCode(200)
                .body("signatureJustification", containsString("foncier"));
    }

    @Test
    @DisplayName("R-12 the communication plan (needs studies, financing publicity) is required for signature")
    void communicationPlanRequired() {
        World w = world();
        Map<String, Object> content = validContent(w);
        content.put("communicationPlan", Map.of("needsStudies", "Restitution", "financingPublicity", ""));
        String id = negotiated(w, content);
        refused(transition(id, "submission", Map.of()), 422, "R-12");
        content.remove("communicationPlan");
        revise(id, content).then().statusCode(200);
        refused(transition(id, "submission", Map.of()), 422, "R-12");
    }

    @Test
    @DisplayName("R-13 every party states its actions; partners are not Action Logement bodies; actions name a party")
    void partiesAndTheirActions() {
        World w = world();
        String id = negotiated(w, validContent(w));
        Map<String, Object> alPartner = validContent(w);
        list(alPartner, "partners").add(Map.of("partyType", "CIL", "partyId", w.cilAbsent(), "name", "CIL"));
        refused(revise(id, alPartner), 422, "R-13");
        Map<String, Object> stranger = validContent(w);
        list(stranger, "actions").add(action("AUTRE:UNHAJ", "INTERMEDIATION_LOCATIVE"));
        refused(revise(id, stranger), 422, "R-13");
        Map<String, Object> silent = validContent(w);
        list(silent, "actions").remove(1);
        revise(id, silent).then().statusCode(200);
        Response r = transition(id, "submission", Map.of());
        refused(r, 422, "R-13");
        r.then().body("detail", containsString("COLLECTIVITE:" + w.epciSiren()));
        Map<String, Object> region = validContent(w);
        list(region, "partners").add(Map.of("partyType", "COLLECTIVITE", "partyId", "84", "name", "Région",
                "role", "Logement des jeunes"));
        list(region, "actions").add(action("COLLECTIVITE:84", "PETITS_LOGEMENTS_JEUNES"));
        revise(id, region).then().statusCode(200).body("content.partners.size()", is(2));
        transition(id, "submission", Map.of()).then().statusCode(200);
    }

    @Test
    @DisplayName("R-14 transitions follow the lifecycle; signed content changes only by a versioned amendment; all audited")
    void lifecycleAndAmendments() {
        World w = world();
        String id = negotiated(w, validContent(w));
        refused(transition(id, "signature", Map.of()), 409, "R-14");
        refused(transition(id, "evaluation", Map.of("assessment", "trop tôt")), 409, "R-14");
        transition(id, "submission", Map.of()).then().statusCode(200);
        transition(id, "return-to-negotiation", Map.of("reason", "objectif à revoir")).then().statusCode(200)
                .body("status", is("IN_NEGOTIATION"));
        refused(as(uesl).header("If-Match", etag(id)).body(Map.of("reason", "x", "content", validContent(w)))
                .post(BASE + "/" + id + "/amendments"), 409, "R-14");
        transition(id, "submission", Map.of()).then().statusCode(200);
        transition(id, "signature", Map.of("signedOn", "2011-07-01")).then().statusCode(200)
                .body("status", is("SIGNED")).body("version", is(1));
        refused(revise(id, validContent(w)), 409, "R-14");
        Map<String, Object> amended = validContent(w);
        list(amended, "objectives").get(0).put("objectiveId",
                as(uesl).get(BASE + "/" + id).then().extract().path("content.objectives[0].objectiveId"));
        list(amended, "objectives").get(0).put("target", 150);
        as(uesl).header("If-Match", etag(id)).body(Map.of("reason", "Avenant n°1", "content", amended))
                .post(BASE + "/" + id + "/amendments").then().statusCode(200).body("version", is(2))
                .body("content.objectives[0].target", is(150));
        as(uesl).get(BASE + "/" + id + "/versions/1").then().statusCode(200)
                .body("convention.content.objectives[0].target", is(100)).body("reason", is("signed"));
        as(uesl).get(BASE + "/" + id + "/versions").then().statusCode(200).body("size()", is(2))
                .body("[1].reason", is("Avenant n°1"));
        transition(id, "evaluation", Map.of("assessment", "Objectifs atteints à 80 %")).then().statusCode(200)
                .body("status", is("EVALUATED")).body("evaluation.results[0].target", is(150));
        refused(transition(id, "termination", Map.of("reason", "fin")), 409, "R-14");
        as(uesl).get(BASE + "/" + id + "/history").then().statusCode(200)
                .body("items.action", org.hamcrest.Matchers.contains("PROPOSED", "NEGOTIATION_STARTED", "REVISED",
                        "SUBMITTED_FOR_SIGNATURE", "RETURNED_TO_NEGOTIATION", "SUBMITTED_FOR_SIGNATURE", "SIGNED",
                        "AMENDED", "EVALUATED"))
                .body("items[4].reason", is("objectif à revoir")).body("items[4].actor", is("uesl-user"))
                .body("items[0].actor", is("delegue-" + w.region()));
    }

    @Test
    @DisplayName("R-15 a convention-cadre de territoire needs an installed conférence territoriale and an EPCI of the basin")
    void conventionCadreDeTerritoire() {
        World w = world();
        String cadreTemplate = createTemplate("CADRE_DE_TERRITOIRE");
        refused(propose(w, w.territoryId(), "CADRE_DE_TERRITOIRE", cadreTemplate), 422, "R-15");
        String basin = "BASSIN:b" + digits(6);
        basinDefined(basin, "Bassin de test", List.of(w.epciSiren()));
        refused(propose(w, basin, "CADRE_DE_TERRITOIRE", cadreTemplate), 422, "R-15");
        String conference = "CT-" + digits(6);
        conferenceInstalled(conference, basin);
        String id = propose(w, basin, "CADRE_DE_TERRITOIRE", cadreTemplate).then().statusCode(201)
                .body("conferenceTerritorialeId", is(conference))
                .body("coveredTerritoryIds", org.hamcrest.Matchers.contains(basin, w.territoryId()))
                .extract().path("conventionId");
        transition(id, "negotiation", Map.of()).then().statusCode(200);
        Map<String, Object> content = validContent(w);
        content.put("signatories", new java.util.ArrayList<>(List.of(signatory("CONFERENCE_TERRITORIALE", "CT-other", null))));
        content.put("actions", new java.util.ArrayList<>());
        refused(revise(id, content), 422, "R-15");
        content.put("signatories", new java.util.ArrayList<>(List.of(signatory("CONFERENCE_TERRITORIALE", conference, null))));
        content.put("plhReference", "PLH 2013-2018");
        revise(id, content).then().statusCode(200);
        refused(transition(id, "submission", Map.of()), 422, "R-15");
        list(content, "signatories").add(signatory("COLLECTIVITE", w.epciSiren(), null));
        content.put("plhReference", null);
        revise(id, content).then().statusCode(200);
        refused(transition(id, "submission", Map.of()), 422, "R-15");
        content.put("plhReference", "PLH 2013-2018");
        revise(id, content).then().statusCode(200);
        transition(id, "submission", Map.of()).then().statusCode(200);
        transition(id, "signature", Map.of("signedOn", "2014-02-01")).then().statusCode(200).body("status", is("SIGNED"));
        // A conférence territoriale does not sign 2011 charters.
        String charter = negotiated(w, validContent(w));
        Map<String, Object> wrong = validContent(w);
        list(wrong, "signatories").add(signatory("CONFERENCE_TERRITORIALE", conference, null));
        refused(revise(charter, wrong), 422, "R-15");
    }
}
