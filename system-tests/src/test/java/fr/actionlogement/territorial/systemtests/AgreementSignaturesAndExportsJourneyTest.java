package fr.actionlogement.territorial.systemtests;

import static fr.actionlogement.territorial.systemtests.support.GatewayApi.json;
import static fr.actionlogement.territorial.systemtests.support.GatewayApi.newKey;
import static fr.actionlogement.territorial.systemtests.support.Identity.CIL;
import static fr.actionlogement.territorial.systemtests.support.Identity.DELEGUE_ARA;
import static fr.actionlogement.territorial.systemtests.support.Identity.OBSERVATEUR;
import static fr.actionlogement.territorial.systemtests.support.Identity.PARTNER_LYON;
import static fr.actionlogement.territorial.systemtests.support.Identity.UESL;
import static fr.actionlogement.territorial.systemtests.support.LyonWorld.LYON_SIREN;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
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
import fr.actionlogement.territorial.systemtests.support.Identity;
import fr.actionlogement.territorial.systemtests.support.LyonWorld;
import fr.actionlogement.territorial.systemtests.support.Reply;
import fr.actionlogement.territorial.systemtests.support.SaintEtienneWorld;
import fr.actionlogement.territorial.systemtests.support.Stepwise;

/**
 * Issue 15 through the gateway: an agreement signed by each party in turn (R-24: SIGNED only with the second
 * signature, a future date refused), a département as party (R-20, by its territory id), the UESL's decision to stay
 * out of a Foncière Logement agreement as a record only a UESL user writes, and the CSV and JSON-lines exports
 * of agreements and conventions read back: each caller sees only its rows, a formula cell is neutralised. Its own
 * world: a CIL of a fresh SIREN, its own campaign and template.
 */
@ExtendWith({ SystemStack.class, Stepwise.class })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@org.junit.jupiter.api.Order(JourneyOrder.SIGNATURES_AND_EXPORTS)
@DisplayName("Journey: agreements signed by each party, a département as party, the UESL's decision as a record, exports")
class AgreementSignaturesAndExportsJourneyTest {

    private static final String AGREEMENTS = "/api/partnerships/agreements";
    private static final String CONVENTIONS = "/api/conventions";
    /** The Loire, a département of Auvergne-Rhône-Alpes in the official reference. */
    private static final String LOIRE = "DEPARTEMENT:42";
    private static final String FORMULA = "=HYPERLINK(\"http://evil.example\",\"clic\")";

    private GatewayApi api;
    private long started;
    private String cil;
    private String lyonAgreement;
    private String loireAgreement;
    private String fonciereAgreement;
    private String conventionId;
    private String campaignId;

    @BeforeAll
    void start(GatewayApi gateway) {
        api = gateway;
        started = System.nanoTime();
        Awaits.journey("agreement signatures and exports");
    }

    @AfterAll
    void figures() {
        System.out.printf("[journey] agreement signatures and exports: %d s%n",
                (System.nanoTime() - started) / 1_000_000_000L);
    }

    @Test
    @Order(1)
    @DisplayName("R-20 R-24 a fresh CIL's agreement with Lyon: the métropole signs (a future date refused, 422 R-24), the agreement waits; the UESL records the CIL's signature: SIGNED, dated by the later")
    void bothPartiesSign() {
        LyonWorld.ensure(api);
        cil = LyonWorld.siren();
        api.as(UESL).idempotencyKey(newKey()).post("/api/territories/cils",
                json(Map.of("id", cil, "name", "CIL Signatures " + cil))).expect(201);
        String body = json(Map.of("cilId", cil, "collectiviteId", LYON_SIREN, "object", FORMULA,
                "durationMonths", 24, "investments", List.of(Map.of("kind", "PRET", "amount", 1500.5))));
        String key = newKey();
        Reply created = Awaits.until("partnerships-service knows the fresh CIL (agreement accepted)", Awaits.EVENT,
                () -> api.as(UESL).idempotencyKey(key).post(AGREEMENTS, body), r -> r.status() == 201);
        lyonAgreement = created.at("/id");
        assertThat(post(UESL, lyonAgreement, "submit", null).expect(200).at("/status")).isEqualTo("APPROVED");

        post(PARTNER_LYON, lyonAgreement, "sign", Map.of("signedOn", LocalDate.now().plusDays(2).toString()))
                .expectProblem(422, "R-24");
        Reply first = post(PARTNER_LYON, lyonAgreement, "sign", Map.of("signedOn", "2026-03-20", "reason",
                "Délibération du conseil de la Métropole")).expect(200);
        assertThat(first.at("/status")).isEqualTo("APPROVED");
        assertThat(first.at("/missingSignatures/0")).isEqualTo("PARTNER");
        assertThat(first.at("/signatures/0/onBehalfOf")).isEqualTo("COLLECTIVITE:" + LYON_SIREN);
        post(PARTNER_LYON, lyonAgreement, "sign", Map.of("signedOn", "2026-03-21")).expectProblem(409, "R-24");
        // The demo CIL is no party: it does not even see the agreement.
        post(CIL, lyonAgreement, "sign", Map.of("signedOn", "2026-03-21")).expectProblem(404, null);

        Reply signed = post(UESL, lyonAgreement, "sign", Map.of("signedOn", "2026-03-15", "side", "PARTNER",
                "reason", "Original signé par le CIL reçu")).expect(200);
        assertThat(signed.at("/status")).isEqualTo("SIGNED");
        assertThat(signed.at("/signedOn")).isEqualTo("2026-03-20");
        assertThat(signed.at("/signatures/1/onBehalfOf")).isEqualTo("CIL:" + cil);
        assertThat(signed.at("/signatures/1/signedOn")).isEqualTo("2026-03-15");
    }

    @Test
    @Order(2)
    @DisplayName("R-20 the Loire (DEPARTEMENT:42) is a party by its territory id; both sides sign")
    void departementAsParty() {
        String body = json(Map.of("cilId", cil, "collectiviteId", LOIRE, "object",
                "Logement des alternants dans la Loire", "durationMonths", 36));
        Reply created = Awaits.until("partnerships-service knows the Loire", Awaits.EVENT,
                () -> api.as(UESL).idempotencyKey(newKey()).post(AGREEMENTS, body), r -> r.status() != 422);
        created.expect(201);
        loireAgreement = created.at("/id");
        assertThat(created.at("/territoryId")).isEqualTo(LOIRE);
        assertThat(created.at("/regionCode")).isEqualTo(LyonWorld.REGION);
        assertThat(created.at("/authorityName")).isEqualTo("Loire");
        post(UESL, loireAgreement, "submit", null).expect(200);
        post(UESL, loireAgreement, "sign", Map.of("signedOn", "2026-04-01", "side", "AUTHORITY")).expect(200);
        Reply signed = post(UESL, loireAgreement, "sign", Map.of("signedOn", "2026-04-02", "side", "PARTNER"))
                .expect(200);
        assertThat(signed.at("/status")).isEqualTo("SIGNED");
        assertThat(signed.at("/signatures/0/onBehalfOf")).isEqualTo("COLLECTIVITE:" + LOIRE);
    }

    @Test
    @Order(3)
    @DisplayName("R-25 the UESL's choice to stay out of a Foncière Logement agreement: refused to the délégué and to a CIL (403); without it no submission (422 R-25); recorded with author, date, reasons and shown in the history")
    void ueslDecision() {
        Reply created = api.as(UESL).idempotencyKey(newKey()).post(AGREEMENTS, json(Map.of("partyType",
                "FONCIERE_LOGEMENT", "collectiviteId", LYON_SIREN, "object", "Logements sur foncier de la ZAC",
                "durationMonths", 60))).expect(201);
        fonciereAgreement = created.at("/id");
        Map<String, Object> decision = Map.of("staysOut", true, "decidedOn", "2026-02-01", "reasons",
                "Accord propre à la politique foncière de Foncière Logement");
        post(DELEGUE_ARA, fonciereAgreement, "uesl-decision", decision).expectProblem(403, null);
        post(CIL, fonciereAgreement, "uesl-decision", decision).expectProblem(403, null);
        post(UESL, fonciereAgreement, "submit", null).expectProblem(422, "R-25");
        Reply recorded = post(UESL, fonciereAgreement, "uesl-decision", decision).expect(200);
        assertThat(recorded.at("/ueslDecisions/0/staysOut")).isEqualTo("true");
        assertThat(recorded.at("/ueslDecisions/0/decidedBy")).isNotBlank();
        assertThat(recorded.at("/ueslDecisions/0/reasons")).startsWith("Accord propre");
        assertThat(post(UESL, fonciereAgreement, "submit", null).expect(200).at("/status")).isEqualTo("APPROVED");
        JsonNode history = api.as(UESL).get(AGREEMENTS + "/" + fonciereAgreement + "/history?size=50").expect(200)
                .json().path("items");
        List<String> actions = new ArrayList<>();
        history.forEach(i -> actions.add(i.path("action").asText()));
        assertThat(actions).contains("UESL_STAYS_OUT");
    }

    @Test
    @Order(4)
    @DisplayName("exports of agreements: CSV for the métropole (its own rows only, the formula neutralised), JSON lines for the UESL, nothing for another CIL")
    void agreementExports() {
        Reply csv = api.as(PARTNER_LYON).accept("text/csv").get(AGREEMENTS + "/export?cilId=" + cil).expect(200);
        assertThat(csv.header("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/csv"));
        String[] lines = csv.text().split("\r\n");
        assertThat(lines[0]).startsWith("id,partyType,cilId,filialeId,collectiviteId");
        assertThat(lines).hasSize(2); // Lyon's agreement, not the Loire's
        assertThat(lines[1]).startsWith(lyonAgreement + ",CIL," + cil + ",,")
                .contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"clic\"\")\",").contains(",SIGNED,")
                .contains(",1500.50,");

        Reply jsonl = api.as(UESL).accept("application/x-ndjson").get(AGREEMENTS + "/export?cilId=" + cil)
                .expect(200);
        List<JsonNode> rows = Arrays.stream(jsonl.text().split("\n")).map(AgreementSignaturesAndExportsJourneyTest::parse)
                .toList();
        assertThat(rows).extracting(r -> r.path("id").asText()).containsExactly(lyonAgreement, loireAgreement);
        assertThat(rows.get(0).path("object").asText()).isEqualTo(FORMULA);
        assertThat(rows.get(1).path("signatures")).hasSize(2);

        assertThat(api.as(CIL).accept("text/csv").get(AGREEMENTS + "/export?format=csv&cilId=" + cil).expect(200).text()
                .split("\r\n"))
                .hasSize(1);
        api.as(OBSERVATEUR).accept("text/csv").get(AGREEMENTS + "/export").expectProblem(403, null);
    }

    @Test
    @Order(5)
    @DisplayName("exports of conventions: a convention proposed on Saint-Étienne in a fresh campaign, its formula title neutralised in CSV; the délégué sees it, the demo CIL does not")
    void conventionExports() {
        LyonWorld.ensure(api); // the délégué of region 84
        campaignId = "exports-" + LyonWorld.siren();
        api.as(UESL).idempotencyKey(newKey()).post(CONVENTIONS + "/campaigns", json(Map.of("campaignId", campaignId,
                "name", "Campagne des exports", "year", 2012, "cap", 5, "evaluationYear", 2013))).expect(201);
        String templateId = "exports-" + LyonWorld.siren();
        List<Map<String, Object>> sections = new ArrayList<>();
        for (String code : List.of("CIL_INTERVENTIONS_OFFRE", "VALORISATION_EMPLOI_MOBILITE",
                "ENGAGEMENTS_COLLECTIVITE_OFFRE", "ENGAGEMENTS_COLLECTIVITE_INSTANCES")) {
            sections.add(Map.of("code", code, "title", code, "text", "À adapter"));
        }
        api.as(UESL).idempotencyKey(newKey()).post(CONVENTIONS + "/templates", json(Map.of("templateId", templateId,
                "name", "Charte des exports", "kind", "TERRITORIALE", "sections", sections, "suggestedDevices",
                List.of("CONSTRUCTION_PLUS_PLAI_PLS")))).expect(201);
        Map<String, Object> proposal = new LinkedHashMap<>();
        proposal.put("campaignId", campaignId);
        proposal.put("territoryId", SaintEtienneWorld.SAINT_ETIENNE);
        proposal.put("kind", "TERRITORIALE");
        proposal.put("templateId", templateId);
        proposal.put("templateVersion", 1);
        proposal.put("title", "=1+2 Charte de Saint-Étienne");
        String key = newKey();
        Reply proposed = Awaits.until("conventions-service knows Saint-Étienne (proposal accepted)", Awaits.EVENT,
                () -> api.as(DELEGUE_ARA).idempotencyKey(key).post(CONVENTIONS, json(proposal)),
                r -> r.status() == 201);
        conventionId = proposed.at("/conventionId");

        Reply csv = api.as(UESL).accept("text/csv").get(CONVENTIONS + "/export?campaignId=" + campaignId).expect(200);
        String[] lines = csv.text().split("\r\n");
        assertThat(lines[0]).startsWith("conventionId,kind,campaignId,territoryId");
        assertThat(lines).hasSize(2);
        assertThat(lines[1]).startsWith(conventionId + ",").contains(",'=1+2 Charte de Saint-Étienne,")
                .contains(",DRAFT,");
        Reply jsonl = api.as(DELEGUE_ARA).accept("application/x-ndjson")
                .get(CONVENTIONS + "/export?campaignId=" + campaignId).expect(200);
        JsonNode row = parse(jsonl.text().strip());
        assertThat(row.path("conventionId").asText()).isEqualTo(conventionId);
        assertThat(row.path("content").path("title").asText()).startsWith("=1+2");
        assertThat(api.as(CIL).accept("text/csv").get(CONVENTIONS + "/export?format=csv&campaignId=" + campaignId).expect(200)
                .text()
                .split("\r\n")).hasSize(1);
        // Lyon is no party to Saint-Étienne's convention: the header row only (an empty JSON-lines body would not
        // meet the contract validator's "body expected").
        assertThat(api.as(Identity.COLLECTIVITE_LYON).accept("text/csv")
                .get(CONVENTIONS + "/export?campaignId=" + campaignId).expect(200).text().split("\r\n")).hasSize(1);
    }

    private Reply post(Identity who, String id, String action, Map<String, Object> body) {
        String etag = api.as(UESL).get(AGREEMENTS + "/" + id).expect(200).etag();
        return api.as(who).ifMatch(etag).post(AGREEMENTS + "/" + id + "/" + action,
                body == null ? "{}" : json(body));
    }

    private static JsonNode parse(String line) {
        try {
            return GatewayApi.JSON.readTree(line);
        } catch (Exception e) {
            throw new IllegalStateException("not a JSON line: " + line, e);
        }
    }
}
