package fr.actionlogement.territorial.systemtests;

import static fr.actionlogement.territorial.systemtests.support.GatewayApi.json;
import static fr.actionlogement.territorial.systemtests.support.GatewayApi.newKey;
import static fr.actionlogement.territorial.systemtests.support.Identity.CIL;
import static fr.actionlogement.territorial.systemtests.support.Identity.DELEGUE_ARA;
import static fr.actionlogement.territorial.systemtests.support.Identity.UESL;
import static fr.actionlogement.territorial.systemtests.support.LyonWorld.DEMO_CIL;
import static fr.actionlogement.territorial.systemtests.support.LyonWorld.LYON;
import static org.assertj.core.api.Assertions.assertThat;

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
 * The UESL's device catalogue and a contingent envelope through the gateway: the UESL adds a contingent device
 * publishes a template suggesting it, and two conventions on the Métropole de Lyon (each in a campaign
 * of its own) cite it and commit on the demo CIL's envelope of its product. The first, in negotiation, takes 60 of
 * 100; the délégué's draft over the remainder is refused R-10 without any of the envelope's amounts (a délégué may not
 * read envelopes); within it, the draft takes nothing until its negotiation starts. A world of its own: fresh device,
 * product, campaigns and template; Lyon's prerequisites from {@link LyonWorld}.
 */
@ExtendWith({ SystemStack.class, Stepwise.class })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@org.junit.jupiter.api.Order(JourneyOrder.DEVICE_CATALOGUE_AND_ENVELOPE)
@DisplayName("Journey: the UESL's device catalogue and a contingent envelope that holds (R-04, R-09, R-10)")
class DeviceCatalogueAndEnvelopeJourneyTest {

    private static final String CONVENTIONS = "/api/conventions";
    private GatewayApi api;
    private long started;
    private final String device = "LOCA_PASS_" + LyonWorld.siren();
    private String templateId;
    private String envelope;
    private String first;
    private String second;

    @BeforeAll
    void start(GatewayApi gateway) {
        api = gateway;
        started = System.nanoTime();
        Awaits.journey("device catalogue and envelope");
        LyonWorld.ensure(api);
    }

    @AfterAll
    void figures() {
        System.out.printf("[journey] device catalogue and envelope: %d s%n",
                (System.nanoTime() - started) / 1_000_000_000L);
    }

    @Test
    @Order(1)
    @DisplayName("R-04 R-10 the UESL adds a contingent device to the catalogue; everyone reads it, only the UESL writes it")
    void ueslAddsADevice() {
        Map<String, Object> body = Map.of("code", device, "label", "LOCA-PASS (" + device + ")", "contingent", true,
                "productCodes", List.of(device));
        api.as(DELEGUE_ARA).idempotencyKey(newKey()).post(CONVENTIONS + "/devices", json(body)).expectProblem(403, null);
        Reply added = api.as(UESL).idempotencyKey(newKey()).post(CONVENTIONS + "/devices", json(body)).expect(201);
        assertThat(added.at("/contingent")).isEqualTo("true");
        JsonNode read = api.as(DELEGUE_ARA).follow(added.location()).expect(200).json();
        assertThat(read.path("productCodes").toString()).contains(device);
        assertThat(api.as(CIL).get(CONVENTIONS + "/devices?size=100").expect(200).json().findValuesAsText("code"))
                .contains(device, "GRL", "PASS_FONCIER");
        // Unknown to the catalogue: a template may not suggest it.
        api.as(UESL).idempotencyKey(newKey()).post(CONVENTIONS + "/templates", json(Map.of("name", "Modèle",
                "kind", "TERRITORIALE", "sections", canvas(), "suggestedDevices", List.of(device + "_INCONNU"))))
                .expectProblem(422, "R-04");
        templateId = "charte-dispositifs-" + LyonWorld.siren();
        api.as(UESL).idempotencyKey(newKey()).post(CONVENTIONS + "/templates", json(Map.of("templateId", templateId,
                "name", "Charte avec " + device, "kind", "TERRITORIALE", "sections", canvas(),
                "suggestedDevices", List.of(device, "CONSTRUCTION_PLUS_PLAI_PLS")))).expect(201);
    }

    @Test
    @Order(2)
    @DisplayName("R-10 the UESL sets the demo CIL's envelope on the new product; the CIL reads it, the délégué may not")
    void envelopeOnTheNewProduct() {
        Reply set = api.as(UESL).idempotencyKey(newKey()).post(CONVENTIONS + "/envelopes", json(Map.of("cilId",
                DEMO_CIL, "product", device, "year", 2012, "amount", 100))).expect(201);
        envelope = set.location().toString();
        assertThat(api.as(CIL).follow(set.location()).expect(200).at("/remaining")).isEqualTo("100");
        api.as(DELEGUE_ARA).follow(set.location()).expectProblem(403, null);
    }

    @Test
    @Order(3)
    @DisplayName("R-04 R-10 a convention in negotiation cites the new device and commits 60 of the envelope's 100")
    void firstConventionCommits() {
        first = proposed();
        Reply negotiating = Awaits.until("conventions-service knows the conférence régionale of region 84",
                Awaits.EVENT, () -> transition(first, "negotiation"), r -> r.status() != 422);
        negotiating.expect(200);
        revise(UESL, first, content(60)).expect(200);
        JsonNode after = api.as(UESL).get(envelope).expect(200).json();
        assertThat(after.path("committed").asLong()).isEqualTo(60);
        assertThat(after.path("remaining").asLong()).isEqualTo(40);
    }

    @Test
    @Order(4)
    @DisplayName("R-10 the délégué's draft over the remainder is refused without the envelope's amounts; a draft takes nothing")
    void secondOverTheRemainderRefused() {
        second = proposed();
        Reply refused = revise(DELEGUE_ARA, second, content(50)).expectProblem(422, "R-10");
        String detail = refused.json().path("detail").asText();
        // Whole numbers only: the device code and the CIL's SIREN may contain these digits.
        assertThat(detail).containsPattern("\\b50\\b").doesNotContainPattern("\\b(40|60|100)\\b");
        assertThat(api.as(UESL).get(CONVENTIONS + "/" + second).expect(200).json().path("content").path("commitments"))
                .isEmpty();
        // Within what remains: accepted, yet a draft ties nothing up until its negotiation starts.
        revise(DELEGUE_ARA, second, content(40)).expect(200);
        assertThat(api.as(UESL).get(envelope).expect(200).at("/remaining")).isEqualTo("40");
        transition(second, "negotiation").expect(200);
        JsonNode full = api.as(UESL).get(envelope).expect(200).json();
        assertThat(full.path("committed").asLong()).isEqualTo(100);
        assertThat(full.path("remaining").asLong()).isZero();
    }

    private String proposed() {
        String campaign = "dispositifs-" + LyonWorld.siren();
        api.as(UESL).idempotencyKey(newKey()).post(CONVENTIONS + "/campaigns", json(Map.of("campaignId", campaign,
                "name", "Campagne " + campaign, "year", 2011, "cap", 10, "evaluationYear", 2012))).expect(201);
        String key = newKey();
        String body = json(Map.of("campaignId", campaign, "territoryId", LYON, "kind", "TERRITORIALE", "templateId",
                templateId, "templateVersion", 1));
        Reply proposed = Awaits.until("conventions-service knows Lyon and delegue.ara (proposal accepted)",
                Awaits.FIRST_READ_MODEL, () -> api.as(DELEGUE_ARA).idempotencyKey(key).post(CONVENTIONS, body),
                r -> r.status() == 201);
        return proposed.at("/conventionId");
    }

    private Reply transition(String id, String step) {
        String etag = api.as(UESL).get(CONVENTIONS + "/" + id).expect(200).etag();
        return api.as(UESL).ifMatch(etag).post(CONVENTIONS + "/" + id + "/" + step,
                json(Map.of("reason", "Concertation en conférence régionale")));
    }

    private Reply revise(fr.actionlogement.territorial.systemtests.support.Identity who, String id,
            Map<String, Object> content) {
        String etag = api.as(who).get(CONVENTIONS + "/" + id).expect(200).etag();
        return api.as(who).ifMatch(etag).put(CONVENTIONS + "/" + id + "/content", json(content));
    }

    /** A content citing the new device and committing {@code amount} of its product for the demo CIL in 2012. */
    private Map<String, Object> content(long amount) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("title", "Charte territoriale avec " + device);
        c.put("periodStartYear", 2011);
        c.put("periodEndYear", 2013);
        c.put("sections", canvas());
        c.put("devices", List.of(device, "CONSTRUCTION_PLUS_PLAI_PLS"));
        c.put("commitments", List.of(Map.of("cilId", DEMO_CIL, "product", device, "year", 2012, "amount", amount,
                "collective", false, "prescriber", "CIL")));
        c.put("ueslSignatureRequested", false);
        return c;
    }

    private static List<Map<String, Object>> canvas() {
        return List.of(
                Map.of("code", "CIL_INTERVENTIONS_OFFRE", "title", "Interventions des CIL", "text", "LOCA-PASS"),
                Map.of("code", "VALORISATION_EMPLOI_MOBILITE", "title", "Emploi et mobilité", "text", "Mobilité"),
                Map.of("code", "ENGAGEMENTS_COLLECTIVITE_OFFRE", "title", "Offre", "text", "Foncier"),
                Map.of("code", "ENGAGEMENTS_COLLECTIVITE_INSTANCES", "title", "Instances", "text", "PLH"));
    }
}
