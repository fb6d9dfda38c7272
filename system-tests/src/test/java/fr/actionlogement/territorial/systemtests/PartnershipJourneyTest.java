package fr.actionlogement.territorial.systemtests;

import static fr.actionlogement.territorial.systemtests.support.GatewayApi.json;
import static fr.actionlogement.territorial.systemtests.support.GatewayApi.newKey;
import static fr.actionlogement.territorial.systemtests.support.Identity.CIL;
import static fr.actionlogement.territorial.systemtests.support.Identity.DELEGUE_ARA;
import static fr.actionlogement.territorial.systemtests.support.Identity.OBSERVATEUR;
import static fr.actionlogement.territorial.systemtests.support.Identity.PARTNER_CIL;
import static fr.actionlogement.territorial.systemtests.support.Identity.PARTNER_LYON;
import static fr.actionlogement.territorial.systemtests.support.Identity.UESL;
import static fr.actionlogement.territorial.systemtests.support.LyonWorld.LYON;
import static fr.actionlogement.territorial.systemtests.support.LyonWorld.LYON_SIREN;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
import fr.actionlogement.territorial.systemtests.support.Identity;
import fr.actionlogement.territorial.systemtests.support.LyonWorld;
import fr.actionlogement.territorial.systemtests.support.Reply;
import fr.actionlogement.territorial.systemtests.support.Stepwise;

/**
 * Journey 2, an individual partnership: the demo CIL's agreement with the Métropole de Lyon, with an exclusivity clause
 * and a subsidy above the threshold; its draft PDF; the délégué's inbox (R-23, from the service's own
 * PartnershipSubmitted and territories-service's DelegueAssigned); signature refused before the UESL's decisions,
 * granted, then signed by the Métropole's partner system (client credentials).
 */
@ExtendWith({ SystemStack.class, Stepwise.class })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@org.junit.jupiter.api.Order(JourneyOrder.PARTNERSHIP)
@DisplayName("Journey: a CIL's individual partnership with an exclusivity clause and a large subsidy, from draft to signature")
class PartnershipJourneyTest {

    private static final String AGREEMENTS = "/api/partnerships/agreements";
    private static final byte[] PDF = ("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n"
            + "% Projet de convention CIL - Métropole de Lyon\n%%EOF\n").getBytes(StandardCharsets.UTF_8);
    private GatewayApi api;
    private long started;
    private String agreementId;
    private Reply created;

    @BeforeAll
    void start(GatewayApi gateway) {
        api = gateway;
        started = System.nanoTime();
        Awaits.journey("individual partnership");
    }

    @AfterAll
    void figures() {
        System.out.printf("[journey] individual partnership: %d s%n", (System.nanoTime() - started) / 1_000_000_000L);
    }

    @Test
    @Order(1)
    @DisplayName("R-20 the demo CIL drafts an agreement with the Métropole de Lyon: exclusivity clause, 250,000 € subsidy")
    void draft() {
        LyonWorld.ensure(api);
        String key = newKey();
        String body = json(Map.of("collectiviteId", LYON_SIREN, "object",
                "Logement des jeunes salariés du quartier de la Part-Dieu", "startDate", "2026-01-01",
                "durationMonths", 36, "exclusivity", true, "exclusivityScope",
                "Intermédiation locative pour les jeunes salariés", "investments", List.of(Map.of("kind",
                        "SUBVENTION", "amount", 250000, "description", "Subvention à 40 PLAI jeunes"))));
        // Refused (422) until partnerships-service has learnt the CIL and Lyon from territories-service's events.
        created = Awaits.until("partnerships-service knows the demo CIL and Lyon (agreement accepted)",
                Awaits.FIRST_READ_MODEL, () -> api.as(CIL).idempotencyKey(key).post(AGREEMENTS, body),
                r -> r.status() == 201);
        agreementId = created.at("/id");
        JsonNode a = api.as(CIL).follow(created.location()).expect(200).json();
        assertThat(a.path("status").asText()).isEqualTo("DRAFT");
        assertThat(a.path("cilId").asText()).isEqualTo(LyonWorld.DEMO_CIL);
        // The CIL's own partner system (client credentials) sees it; another role does not.
        api.as(PARTNER_CIL).get(AGREEMENTS + "/" + agreementId).expect(200);
        api.as(OBSERVATEUR).get(AGREEMENTS + "/" + agreementId).expectProblem(403, null);
    }

    @Test
    @Order(2)
    @DisplayName("R-22 an investment needing the UESL's opinion is not submitted without its draft PDF; the uploaded draft reads back byte for byte")
    void draftDocument() {
        post(CIL, "submit", null).expectProblem(422, "R-22");
        Reply uploaded = api.as(CIL).upload(AGREEMENTS + "/" + agreementId + "/documents", "file",
                "projet-convention.pdf", "application/pdf", PDF).expect(201);
        assertThat(uploaded.at("/version")).isEqualTo("1");
        Reply content = api.as(CIL).accept("application/pdf, application/problem+json").follow(uploaded.location())
                .expect(200);
        assertThat(content.body()).isEqualTo(PDF);
        assertThat(content.header("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith(
                "application/pdf"));
    }

    @Test
    @Order(3)
    @DisplayName("R-21 R-22 R-24 submitted, the agreement waits for the UESL's prior approval and opinion; the gateway's dashboard lists it")
    void submission() {
        Reply submitted = post(CIL, "submit", null).expect(200);
        assertThat(submitted.at("/status")).isEqualTo("PENDING_UESL_APPROVAL");
        assertThat(submitted.at("/exclusivityApproval")).isEqualTo("PENDING");
        assertThat(submitted.at("/investmentOpinion")).isEqualTo("PENDING");
        Awaits.untilReply("gateway dashboard of Lyon: the agreement awaits the UESL", Awaits.EVENT,
                () -> api.as(UESL).get("/api/dashboard/territories/" + LYON),
                r -> r.json().path("parts").path("partnerships").path("data").path("items").findValuesAsText("id")
                        .contains(agreementId));
    }

    @Test
    @Order(4)
    @DisplayName("R-23 the délégué territorial of Auvergne-Rhône-Alpes finds the draft in the inbox and reads it")
    void delegueInbox() {
        Reply inbox = Awaits.untilReply("partnerships-service: the délégué's inbox holds the draft (PartnershipSubmitted)",
                Awaits.EVENT, () -> api.as(DELEGUE_ARA).get("/api/partnerships/notifications?unread=true&size=200"),
                r -> r.json().path("items").findValuesAsText("agreementId").contains(agreementId));
        JsonNode notification = null;
        for (JsonNode n : inbox.json().path("items")) {
            if (agreementId.equals(n.path("agreementId").asText())) {
                notification = n;
            }
        }
        assertThat(notification).isNotNull();
        assertThat(notification.path("regionCode").asText()).isEqualTo(LyonWorld.REGION);
        String path = "/api/partnerships/notifications/" + notification.path("id").asText();
        String etag = api.as(DELEGUE_ARA).get(path).expect(200).etag();
        assertThat(api.as(DELEGUE_ARA).ifMatch(etag).post(path + "/read", "{}").expect(200).at("/read"))
                .isEqualTo("true");
        api.as(DELEGUE_ARA).get(AGREEMENTS + "/" + agreementId).expect(200);
    }

    @Test
    @Order(5)
    @DisplayName("R-21 R-22 signature is refused before the UESL's decisions, then the UESL grants both and the agreement is APPROVED")
    void ueslDecides() {
        post(PARTNER_LYON, "sign", Map.of("signedOn", "2026-03-15")).expectProblem(422, "R-21");
        post(CIL, "exclusivity-approval", Map.of("granted", true)).expectProblem(403, null);
        Reply granted = post(UESL, "exclusivity-approval", Map.of("granted", true, "reasons",
                "Cohérent avec le PLH et la présence des autres CIL")).expect(200);
        assertThat(granted.at("/exclusivityApproval")).isEqualTo("GRANTED");
        assertThat(granted.at("/status")).isEqualTo("PENDING_UESL_APPROVAL");
        post(PARTNER_LYON, "sign", Map.of("signedOn", "2026-03-15")).expectProblem(422, "R-22");
        Reply opinion = post(UESL, "investment-opinion", Map.of("favourable", true, "opinion",
                "Montants cohérents avec le programme du CIL")).expect(200);
        assertThat(opinion.at("/status")).isEqualTo("APPROVED");
    }

    @Test
    @Order(6)
    @DisplayName("R-24 the CIL signs, then the Métropole's partner system (client credentials): SIGNED with the second; every transition is audited, paged with Link rel=next")
    void signature() {
        // each party signs on its own; the agreement waits for the second signature.
        Reply first = post(CIL, "sign", Map.of("signedOn", "2026-03-12")).expect(200);
        assertThat(first.at("/status")).isEqualTo("APPROVED");
        Reply signed = post(PARTNER_LYON, "sign", Map.of("signedOn", "2026-03-15", "reason",
                "Signature en conseil de la Métropole")).expect(200);
        assertThat(signed.at("/status")).isEqualTo("SIGNED");
        api.as(Identity.COLLECTIVITE_LYON).get(AGREEMENTS + "/" + agreementId).expect(200);

        List<String> actions = new ArrayList<>();
        Reply page = api.as(UESL).get(AGREEMENTS + "/" + agreementId + "/history?size=2").expect(200);
        page.json().path("items").forEach(i -> actions.add(i.path("action").asText()));
        while (page.next().isPresent()) {
            page = api.as(UESL).follow(page.next().get()).expect(200);
            page.json().path("items").forEach(i -> actions.add(i.path("action").asText()));
        }
        assertThat(actions).hasSizeGreaterThanOrEqualTo(6);
        assertThat(String.join(" ", actions)).containsIgnoringCase("SIGN");
    }

    private Reply post(Identity who, String action, Map<String, Object> body) {
        String etag = api.as(UESL).get(AGREEMENTS + "/" + agreementId).expect(200).etag();
        return api.as(who).ifMatch(etag).post(AGREEMENTS + "/" + agreementId + "/" + action,
                body == null ? "{}" : json(body));
    }
}
