package fr.actionlogement.territorial.systemtests;

import static fr.actionlogement.territorial.systemtests.support.ConventionContent.action;
import static fr.actionlogement.territorial.systemtests.support.ConventionContent.canvas;
import static fr.actionlogement.territorial.systemtests.support.ConventionContent.signatory;
import static fr.actionlogement.territorial.systemtests.support.GatewayApi.json;
import static fr.actionlogement.territorial.systemtests.support.GatewayApi.newKey;
import static fr.actionlogement.territorial.systemtests.support.Identity.CIL;
import static fr.actionlogement.territorial.systemtests.support.Identity.COLLECTIVITE_LYON;
import static fr.actionlogement.territorial.systemtests.support.Identity.DELEGUE_ARA;
import static fr.actionlogement.territorial.systemtests.support.Identity.UESL;
import static fr.actionlogement.territorial.systemtests.support.LyonWorld.DEMO_CIL;
import static fr.actionlogement.territorial.systemtests.support.LyonWorld.LYON;
import static fr.actionlogement.territorial.systemtests.support.LyonWorld.LYON_SIREN;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import fr.actionlogement.territorial.systemtests.support.Awaits;
import fr.actionlogement.territorial.systemtests.support.GatewayApi;
import fr.actionlogement.territorial.systemtests.support.LyonWorld;
import fr.actionlogement.territorial.systemtests.support.Reply;
import fr.actionlogement.territorial.systemtests.support.Stepwise;

/**
 * Signatures as a process and the UESL's decisions as records, through the gateway with the realm's users: on the
 * Métropole de Lyon, in a campaign of its own, a charter signed by the demo CIL (its own user), the Métropole (its own
 * user), APAGL (recorded by the UESL on its behalf, admitted by the UESL's concertation) and the UESL (which asked to
 * sign); SIGNED only with the last signature. A signature dated in the future and a délégué writing a UESL decision
 * are refused; a communauté de communes is refused by R-01.
 */
@ExtendWith({ SystemStack.class, Stepwise.class })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@org.junit.jupiter.api.Order(JourneyOrder.CONVENTION_SIGNATURES)
@DisplayName("Journey: every party signs a convention in turn; the UESL's decisions are records (R-01, R-07, R-08, R-14)")
class ConventionSignaturesJourneyTest {

    private static final String CONVENTIONS = "/api/conventions";
    /** CC du Pilat Rhodanien (Loire, région 84): a communauté de communes in the official reference. */
    private static final String PILAT_RHODANIEN = "EPCI:244200895";

    private GatewayApi api;
    private long started;
    private String campaignId;
    private String templateId;
    private String conventionId;

    @BeforeAll
    void start(GatewayApi gateway) {
        api = gateway;
        started = System.nanoTime();
        Awaits.journey("convention signatures");
    }

    @AfterAll
    void figures() {
        System.out.printf("[journey] convention signatures: %d s%n", (System.nanoTime() - started) / 1_000_000_000L);
    }

    @Test
    @Order(1)
    @DisplayName("R-01 a communauté de communes is refused; the Métropole de Lyon is proposed in a campaign of its own")
    void proposal() {
        LyonWorld.ensure(api);
        campaignId = "signatures-" + LyonWorld.siren();
        api.as(UESL).idempotencyKey(newKey()).post(CONVENTIONS + "/campaigns", json(Map.of("campaignId", campaignId,
                "name", "Signatures " + campaignId, "year", 2011, "cap", 10))).expect(201);
        templateId = "charte-signatures-" + LyonWorld.siren();
        api.as(UESL).idempotencyKey(newKey()).post(CONVENTIONS + "/templates", json(Map.of("templateId", templateId,
                "name", "Charte territoriale", "kind", "TERRITORIALE", "sections", canvas()))).expect(201);

        Reply cc = Awaits.until("conventions-service knows the CC du Pilat Rhodanien", Awaits.FIRST_READ_MODEL,
                () -> propose(PILAT_RHODANIEN), r -> r.status() != 422 || r.text().contains("nature CC"));
        cc.expectProblem(422, "R-01");
        assertThat(cc.json().path("detail").asText()).contains("nature CC");

        Reply proposed = Awaits.until("conventions-service knows Lyon", Awaits.FIRST_READ_MODEL,
                () -> propose(LYON), r -> r.status() == 201);
        conventionId = proposed.at("/conventionId");
        Reply negotiation = Awaits.until("conventions-service knows the conférence régionale", Awaits.EVENT,
                () -> transition("negotiation", Map.of("reason", "Conférence régionale")), r -> r.status() != 422);
        assertThat(negotiation.expect(200).at("/status")).isEqualTo("IN_NEGOTIATION");
    }

    @Test
    @Order(2)
    @DisplayName("R-07 R-08 the UESL records its concertation for APAGL and its request to sign; a délégué may not (403)")
    void ueslDecisions() {
        Map<String, Object> concertation = Map.of("type", "CONCERTATION", "partyType", "APAGL", "partyId", "APAGL",
                "reasons", "GRL développée sur la métropole", "decidedOn", "2011-05-12");
        api.as(DELEGUE_ARA).idempotencyKey(newKey()).post(decisions(), json(concertation)).expect(403);
        assertThat(api.as(UESL).get(decisions()).expect(200).json()).isEmpty();
        // Without the concertation, APAGL cannot be a signatory.
        revise().expectProblem(422, "R-07");

        JsonNode recorded = api.as(UESL).idempotencyKey(newKey()).post(decisions(), json(concertation)).expect(201)
                .json();
        assertThat(recorded.path("decidedOn").asText()).isEqualTo("2011-05-12");
        assertThat(recorded.path("decidedBy").asText()).isNotBlank();
        api.as(UESL).idempotencyKey(newKey()).post(decisions(), json(Map.of("type", "SIGNATURE_REQUEST",
                "reasons", "Communication institutionnelle"))).expect(201);
        JsonNode revised = revise().expect(200).json();
        assertThat(revised.path("ueslSignatureRequired").asBoolean()).isTrue();
        assertThat(revised.path("ueslDecisions")).hasSize(2);
        JsonNode history = api.as(UESL).get(CONVENTIONS + "/" + conventionId + "/history?size=50").expect(200).json();
        assertThat(history.path("items").findValuesAsText("action")).contains("UESL_DECISION_RECORDED");
        assertThat(transition("submission", Map.of()).expect(200).at("/status")).isEqualTo("READY_FOR_SIGNATURE");
    }

    @Test
    @Order(3)
    @DisplayName("R-14 every party signs in turn with its own user (the UESL for APAGL); SIGNED only with the last signature, dated by it; no date in the future")
    void signatures() {
        sign(CIL, "CIL", DEMO_CIL, LocalDate.now().plusDays(1).toString()).expectProblem(422, "R-14");
        sign(CIL, "COLLECTIVITE", LYON_SIREN, "2011-06-20").expect(403);

        assertThat(sign(CIL, "CIL", DEMO_CIL, "2011-06-20").expect(201).at("/status"))
                .isEqualTo("READY_FOR_SIGNATURE");
        assertThat(sign(COLLECTIVITE_LYON, "COLLECTIVITE", LYON_SIREN, "2011-06-22").expect(201).at("/status"))
                .isEqualTo("READY_FOR_SIGNATURE");
        JsonNode apagl = sign(UESL, "APAGL", "APAGL", "2011-06-28").expect(201).json();
        assertThat(apagl.path("signature").path("onBehalf").asBoolean()).isTrue();
        assertThat(apagl.path("missing").toString()).contains("UESL:UESL");
        assertThat(api.as(UESL).get(CONVENTIONS + "/" + conventionId).expect(200).at("/status"))
                .isEqualTo("READY_FOR_SIGNATURE");

        JsonNode last = sign(UESL, "UESL", "UESL", "2011-06-30").expect(201).json();
        assertThat(last.path("status").asText()).isEqualTo("SIGNED");
        assertThat(last.path("signedOn").asText()).isEqualTo("2011-06-30");
        JsonNode all = api.as(COLLECTIVITE_LYON).get(CONVENTIONS + "/" + conventionId + "/signatures").expect(200)
                .json();
        assertThat(all.path("signatures").findValuesAsText("partyType")).containsExactly("CIL", "COLLECTIVITE",
                "APAGL", "UESL");
        assertThat(all.path("missing")).isEmpty();
        sign(UESL, "UESL", "UESL", "2011-06-30").expectProblem(409, "R-14");
    }

    // ---- helpers ----

    private Reply propose(String territoryId) {
        return api.as(DELEGUE_ARA).idempotencyKey(newKey()).post(CONVENTIONS, json(Map.of("campaignId", campaignId,
                "territoryId", territoryId, "kind", "TERRITORIALE", "templateId", templateId, "templateVersion", 1)));
    }

    private String decisions() {
        return CONVENTIONS + "/" + conventionId + "/uesl-decisions";
    }

    private Reply sign(fr.actionlogement.territorial.systemtests.support.Identity who, String partyType,
            String partyId, String on) {
        return api.as(who).idempotencyKey(newKey()).post(CONVENTIONS + "/" + conventionId + "/signatures",
                json(Map.of("partyType", partyType, "partyId", partyId, "signedOn", on)));
    }

    private Reply transition(String step, Map<String, Object> body) {
        String etag = api.as(UESL).get(CONVENTIONS + "/" + conventionId).expect(200).etag();
        return api.as(UESL).ifMatch(etag).post(CONVENTIONS + "/" + conventionId + "/" + step, json(body));
    }

    private Reply revise() {
        String etag = api.as(UESL).get(CONVENTIONS + "/" + conventionId).expect(200).etag();
        return api.as(UESL).ifMatch(etag).put(CONVENTIONS + "/" + conventionId + "/content", json(content()));
    }

    private static Map<String, Object> content() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("title", "Charte territoriale Métropole de Lyon — signatures");
        c.put("periodStartYear", 2011);
        c.put("periodEndYear", 2013);
        c.put("sections", canvas());
        c.put("devices", List.of("CONSTRUCTION_PLUS_PLAI_PLS", "GRL"));
        c.put("objectives", new ArrayList<>(List.of(Map.of("indicator", "CONSTRUCTION_NEUVE", "publicPrioritaire",
                "JEUNES_SALARIES", "year", 2012, "target", 80))));
        c.put("signatories", List.of(signatory("CIL", DEMO_CIL), signatory("COLLECTIVITE", LYON_SIREN),
                signatory("APAGL", "APAGL"), signatory("UESL", "UESL")));
        c.put("reservationCosts", List.of(Map.of("category", "PLUS", "unitCostEuros", 15000)));
        c.put("communicationPlan", Map.of("needsStudies", "Restitution annuelle des études de besoins",
                "financingPublicity", "Panneaux de chantier mentionnant Action Logement"));
        c.put("actions", List.of(action("CIL:" + DEMO_CIL, "CONSTRUCTION_PLUS_PLAI_PLS"),
                action("COLLECTIVITE:" + LYON_SIREN, "MISE_A_DISPOSITION_FONCIER"), action("APAGL:APAGL", "GRL")));
        // Mirrors the UESL's recorded request to sign (clearing it would withdraw the request).
        c.put("ueslSignatureRequested", true);
        return c;
    }
}
