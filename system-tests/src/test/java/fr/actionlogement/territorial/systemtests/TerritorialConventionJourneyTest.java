package fr.actionlogement.territorial.systemtests;

import static fr.actionlogement.territorial.systemtests.support.ConventionContent.action;
import static fr.actionlogement.territorial.systemtests.support.ConventionContent.signatory;
import static fr.actionlogement.territorial.systemtests.support.GatewayApi.json;
import static fr.actionlogement.territorial.systemtests.support.GatewayApi.newKey;
import static fr.actionlogement.territorial.systemtests.support.Identity.DELEGUE_ARA;
import static fr.actionlogement.territorial.systemtests.support.Identity.UESL;
import static fr.actionlogement.territorial.systemtests.support.LyonWorld.GRENOBLE;
import static fr.actionlogement.territorial.systemtests.support.LyonWorld.GRENOBLE_BASIN;
import static fr.actionlogement.territorial.systemtests.support.LyonWorld.GRENOBLE_CONFERENCE;
import static fr.actionlogement.territorial.systemtests.support.LyonWorld.GRENOBLE_SIREN;
import static fr.actionlogement.territorial.systemtests.support.LyonWorld.LYON;
import static fr.actionlogement.territorial.systemtests.support.LyonWorld.LYON_SIREN;
import static fr.actionlogement.territorial.systemtests.support.LyonWorld.REGION;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

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
 * Journey 1, a territorial convention end to end through the gateway, on the packaged apps: the UESL's
 * prerequisites in territories-service, a campaign and a template, the délégué's proposal for the Métropole de Lyon
 * (known to conventions-service only through territories-service's events), negotiation, content, submission,
 * signature; territories-service then shows Lyon covered and the observatory compares objectives with observed needs
 * (both from ConventionSigned); an amendment and an evaluation. Then the 2013 kind: a convention-cadre de territoire
 * on the Grenoble basin, signed by its installed conférence territoriale and the EPCI. The steps share one
 * convention, so they run in order; a failed step fails the ones after it.
 */
@ExtendWith({ SystemStack.class, Stepwise.class })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@org.junit.jupiter.api.Order(JourneyOrder.CONVENTION)
@DisplayName("Journey: a territorial convention, from the UESL's prerequisites to its evaluation, and the 2013 convention-cadre")
class TerritorialConventionJourneyTest {

    private static final String CONVENTIONS = "/api/conventions";
    private GatewayApi api;
    private LyonWorld.Cils cils;
    private long started;
    private String campaignId;
    private String templateId;
    private String conventionId;
    private String objectiveId;

    @BeforeAll
    void start(GatewayApi gateway) {
        api = gateway;
        started = System.nanoTime();
        Awaits.journey("territorial convention");
    }

    @AfterAll
    void figures() {
        System.out.printf("[journey] territorial convention: %d s%n", (System.nanoTime() - started) / 1_000_000_000L);
    }

    @Test
    @Order(1)
    @DisplayName("R-34 the UESL registers CILs and their presence on Lyon, the conférence régionale and the délégué territorial")
    void prerequisites() {
        cils = LyonWorld.ensure(api);
        JsonNode present = api.as(UESL).get("/api/territories/territories/" + LYON + "/cils").expect(200).json();
        assertThat(present.findValuesAsText("cilId")).contains(cils.present(), cils.alsoPresent());
        assertThat(api.as(UESL).get("/api/territories/regional-conferences/" + REGION).expect(200)
                .json().path("memberCilIds").toString()).contains(cils.present(), cils.alsoPresent());
        assertThat(api.as(DELEGUE_ARA).get("/api/territories/delegues/" + REGION).expect(200).at("/username"))
                .isEqualTo("delegue.ara");
    }

    @Test
    @Order(2)
    @DisplayName("R-02 R-04 the UESL opens a campaign with its cap and publishes a template")
    void campaignAndTemplate() {
        campaignId = "journey-" + LyonWorld.siren();
        Reply campaign = api.as(UESL).idempotencyKey(newKey()).post(CONVENTIONS + "/campaigns", json(Map.of(
                "campaignId", campaignId, "name", "Expérimentation 2011", "year", 2011, "cap", 10,
                "evaluationYear", 2012))).expect(201);
        assertThat(api.as(UESL).follow(campaign.location()).expect(200).at("/cap")).isEqualTo("10");

        templateId = "charte-" + LyonWorld.siren();
        Reply template = api.as(UESL).idempotencyKey(newKey()).post(CONVENTIONS + "/templates", json(Map.of(
                "templateId", templateId, "name", "Charte territoriale type", "kind", "TERRITORIALE",
                "sections", canvas("À adapter au territoire"),
                "suggestedDevices", List.of("CONSTRUCTION_PLUS_PLAI_PLS", "PETITS_LOGEMENTS_JEUNES")))).expect(201);
        // Location names the published version (R-04: each publication is an immutable version).
        assertThat(api.as(UESL).follow(template.location()).expect(200).at("/version")).isEqualTo("1");
    }

    @Test
    @Order(3)
    @DisplayName("R-01 R-02 the délégué proposes the Métropole de Lyon once conventions-service has learnt it from territories-service's events")
    void proposal() {
        String key = newKey();
        String body = json(Map.of("campaignId", campaignId, "territoryId", LYON, "kind", "TERRITORIALE",
                "templateId", templateId, "templateVersion", 1, "title", "Charte territoriale Métropole de Lyon"));
        // Refused (422 R-01) until the read model holds Lyon, its délégué and region; the same key makes it one.
        Reply proposed = Awaits.until("conventions-service knows Lyon and delegue.ara (proposal accepted)",
                Awaits.FIRST_READ_MODEL, () -> api.as(DELEGUE_ARA).idempotencyKey(key).post(CONVENTIONS, body),
                r -> r.status() == 201);
        conventionId = proposed.at("/conventionId");
        JsonNode c = api.as(DELEGUE_ARA).follow(proposed.location()).expect(200).json();
        assertThat(c.path("status").asText()).isEqualTo("DRAFT");
        assertThat(c.path("territoryName").asText()).isEqualTo("Métropole de Lyon");
        assertThat(c.path("regionCode").asText()).isEqualTo(REGION);
        assertThat(c.path("content").path("sections")).hasSize(4);
    }

    @Test
    @Order(4)
    @DisplayName("R-03 the UESL starts the negotiation, which records the conférence régionale and its CILs")
    void negotiation() {
        // The conference comes by another event (key REGION:84) than the territory: retry while it is unknown (422).
        Reply r = Awaits.until("conventions-service knows the conférence régionale of region 84", Awaits.EVENT,
                () -> transition(conventionId, "negotiation", Map.of("reason", "Concertation en conférence régionale")),
                reply -> reply.status() != 422);
        r.expect(200);
        assertThat(r.at("/status")).isEqualTo("IN_NEGOTIATION");
        assertThat(r.json().path("regionalConference").path("memberCilIds").toString()).contains(cils.present(),
                cils.alsoPresent());
    }

    @Test
    @Order(5)
    @DisplayName("R-05 R-06 R-07 R-10 content: canvas, objectives, signatories present on Lyon, a commitment within the CIL's contingent envelope")
    void content() {
        Reply envelope = api.as(UESL).idempotencyKey(newKey()).post(CONVENTIONS + "/envelopes", json(Map.of(
                "cilId", cils.present(), "product", "PASS_FONCIER", "year", 2012, "amount", 100))).expect(201);
        assertThat(api.as(UESL).follow(envelope.location()).expect(200).at("/remaining")).isEqualTo("100");

        // Over the envelope: refused by R-10, nothing changes.
        Map<String, Object> tooMuch = lyonContent(c -> ((List<Object>) c.get("commitments")).set(0,
                commitment(cils.present(), 120)));
        revise(conventionId, tooMuch).expectProblem(422, "R-10");

        // CilPresenceChanged may still be on its way: R-07 refuses (422) until it is applied.
        Map<String, Object> content = lyonContent(c -> {
        });
        Reply revised = Awaits.until("conventions-service knows the CILs present on Lyon (R-07 accepts the signatories)",
                Awaits.EVENT, () -> revise(conventionId, content), r -> r.status() != 422);
        revised.expect(200);
        objectiveId = revised.at("/content/objectives/0/objectiveId");
        assertThat(revised.json().path("content").path("signatories")).hasSize(3);
        JsonNode after = api.as(UESL).follow(envelope.location()).expect(200).json();
        assertThat(after.path("committed").asLong()).isEqualTo(60);
        assertThat(after.path("remaining").asLong()).isEqualTo(40);
    }

    @Test
    @Order(6)
    @DisplayName("R-14 submission for signature, then signature by the UESL")
    void submissionAndSignature() {
        transition(conventionId, "submission", Map.of("reason", "Contenu complet")).expect(200);
        Reply signed = transition(conventionId, "signature", Map.of("signedOn", "2011-06-30", "reason",
                "Signature à l'hôtel de la Métropole")).expect(200);
        assertThat(signed.at("/status")).isEqualTo("SIGNED");
        assertThat(signed.at("/signedOn")).isEqualTo("2011-06-30");
    }

    @Test
    @Order(7)
    @DisplayName("R-15 (read side) territories-service shows the Métropole de Lyon covered by the signed convention")
    void territoryCovered() {
        Awaits.untilReply("territories-service: Lyon covered by the convention (ConventionSigned)", Awaits.EVENT,
                () -> api.as(UESL).get("/api/territories/territories/" + LYON),
                r -> r.json().path("coveredByConventions").toString().contains(conventionId));
    }

    @Test
    @Order(8)
    @DisplayName("R-06 R-44 an achievement is recorded and the observatory compares the objectives with the needs observed on Lyon")
    void observatoryCompares() {
        // A need observed on Lyon for the objective's indicator, public and year (shared with the partners).
        String observation = json(Map.of("territoryId", LYON, "indicator", "CONSTRUCTION_NEUVE",
                "publicPrioritaire", "JEUNES_SALARIES", "period", "2012", "value", 80, "source",
                "Observatoire de l'habitat du Grand Lyon", "visibility", "SHARED"));
        Awaits.until("observatory-service knows Lyon (observation accepted)", Awaits.FIRST_READ_MODEL,
                () -> api.as(UESL).post("/api/observatory/observations", observation), r -> r.status() == 201);

        String key = newKey();
        String achievement = json(Map.of("value", 60, "recordedOn", "2012-12-31", "note", "60 logements PLUS"));
        api.as(UESL).idempotencyKey(key).post(CONVENTIONS + "/" + conventionId + "/objectives/" + objectiveId
                + "/achievements", achievement).expect(201);
        // A retry with the same key is replayed, not counted twice (checked below: achieved stays 60).
        assertThat(api.as(UESL).idempotencyKey(key).post(CONVENTIONS + "/" + conventionId + "/objectives/"
                + objectiveId + "/achievements", achievement).expect(201).header("Idempotent-Replayed"))
                .hasValue("true");

        Reply comparison = Awaits.untilReply(
                "observatory-service: comparison with ConventionSigned and AchievementRecorded applied", Awaits.EVENT,
                () -> api.as(DELEGUE_ARA).get("/api/observatory/conventions/" + conventionId + "/comparison"),
                r -> objective(r.json(), objectiveId).path("achieved").asDouble() == 60);
        JsonNode o = objective(comparison.json(), objectiveId);
        assertThat(comparison.at("/territoryId")).isEqualTo(LYON);
        assertThat(o.path("target").asDouble()).isEqualTo(100);
        assertThat(o.path("observed").asDouble()).isEqualTo(80);
        assertThat(o.path("progressPercent").asDouble()).isEqualTo(60);
        assertThat(o.path("targetShareOfObservedPercent").asDouble()).isEqualTo(125);
    }

    @Test
    @Order(9)
    @DisplayName("R-14 an amendment (avenant) raises an objective as version 2; the signed version 1 stays readable")
    void amendment() {
        Map<String, Object> amended = lyonContent(c -> {
            Map<String, Object> first = objectives(c).get(0);
            first.put("objectiveId", objectiveId);
            first.put("target", 120);
        });
        String etag = api.as(UESL).get(CONVENTIONS + "/" + conventionId).expect(200).etag();
        Reply r = api.as(UESL).ifMatch(etag).post(CONVENTIONS + "/" + conventionId + "/amendments",
                json(Map.of("reason", "Avenant n°1 : objectif de construction relevé", "content", amended)))
                .expect(200);
        assertThat(r.at("/version")).isEqualTo("2");
        assertThat(api.as(UESL).get(CONVENTIONS + "/" + conventionId + "/versions/1").expect(200)
                .at("/convention/content/objectives/0/target")).isEqualTo("100");
    }

    @Test
    @Order(10)
    @DisplayName("R-14 the evaluation freezes each objective's progress; the audit trail is paged with Link rel=next")
    void evaluation() {
        Reply evaluated = transition(conventionId, "evaluation", Map.of("assessment",
                "Construction à 50 % de l'objectif relevé", "evaluatedOn", "2012-12-31")).expect(200);
        assertThat(evaluated.at("/status")).isEqualTo("EVALUATED");
        JsonNode result = evaluated.json().path("evaluation").path("results").get(0);
        assertThat(result.path("achieved").asLong()).isEqualTo(60);
        assertThat(result.path("progressPercent").asDouble()).isEqualTo(50.0);

        // Who did what, when and why, three entries a page, following Link rel="next" through the gateway.
        List<String> actions = new ArrayList<>();
        Reply page = api.as(UESL).get(CONVENTIONS + "/" + conventionId + "/history?size=3").expect(200);
        page.json().path("items").forEach(i -> actions.add(i.path("action").asText()));
        while (page.next().isPresent()) {
            page = api.as(UESL).follow(page.next().get()).expect(200);
            page.json().path("items").forEach(i -> actions.add(i.path("action").asText()));
        }
        assertThat(actions).containsSubsequence("PROPOSED", "NEGOTIATION_STARTED", "REVISED", "SUBMITTED_FOR_SIGNATURE",
                "SIGNED", "AMENDED", "EVALUATED");
    }

    @Test
    @Order(11)
    @DisplayName("R-15 R-32 the 2013 convention-cadre de territoire: the Grenoble basin's conférence territoriale is installed, proposes, signs with the EPCI; covered, compared, amended, evaluated")
    void conventionCadreDeTerritoire2013() {
        String conference = "/api/territories/conferences/" + GRENOBLE_CONFERENCE;
        Reply before = api.as(UESL).get(conference).expect(200);
        assertThat(before.at("/deadline")).isEqualTo("2013-12-27");
        Reply installed = api.as(UESL).ifMatch(before.etag()).post(conference + "/installation", json(Map.of(
                "installedOn", "2013-11-15", "reason", "Installation par les partenaires sociaux", "members", List.of(
                        Map.of("organisation", "MEDEF Isère", "college", "EMPLOYEURS"),
                        Map.of("organisation", "CFDT Isère", "college", "SALARIES")))))
                .expect(200);
        assertThat(installed.at("/status")).isEqualTo("INSTALLED");

        String campaign2013 = "journey-2013-" + LyonWorld.siren();
        api.as(UESL).idempotencyKey(newKey()).post(CONVENTIONS + "/campaigns", json(Map.of("campaignId",
                campaign2013, "name", "Protocole-cadre 2013-2015", "year", 2013, "cap", 12))).expect(201);
        String cadreTemplate = "cadre-" + LyonWorld.siren();
        api.as(UESL).idempotencyKey(newKey()).post(CONVENTIONS + "/templates", json(Map.of("templateId",
                cadreTemplate, "name", "Convention-cadre de territoire type", "kind", "CADRE_DE_TERRITOIRE",
                "sections", List.of(Map.of("code", "OBJECTIFS_PARTAGES", "title", "Objectifs partagés", "text",
                        "À définir avec l'EPCI")))))
                .expect(201);

        String key = newKey();
        String body = json(Map.of("campaignId", campaign2013, "territoryId", GRENOBLE_BASIN, "kind",
                "CADRE_DE_TERRITOIRE", "templateId", cadreTemplate, "templateVersion", 1, "title",
                "Convention-cadre de territoire du bassin grenoblois"));
        Reply proposed = Awaits.until("conventions-service knows the installed conférence territoriale (R-15)",
                Awaits.EVENT, () -> api.as(DELEGUE_ARA).idempotencyKey(key).post(CONVENTIONS, body),
                r -> r.status() == 201);
        String cadre = proposed.at("/conventionId");
        assertThat(proposed.at("/conferenceTerritorialeId")).isEqualTo(GRENOBLE_CONFERENCE);
        assertThat(proposed.json().path("coveredTerritoryIds").toString()).contains(GRENOBLE_BASIN, GRENOBLE);

        transition(cadre, "negotiation", Map.of("reason", "Conférence territoriale et EPCI")).expect(200);
        Map<String, Object> content = cadreContent(90);
        Reply revised = revise(cadre, content).expect(200);
        String cadreObjective = revised.at("/content/objectives/0/objectiveId");
        transition(cadre, "submission", Map.of()).expect(200);
        transition(cadre, "signature", Map.of("signedOn", "2014-02-01", "reason", "Signature à Grenoble"))
                .expect(200);

        Awaits.untilReply("territories-service: the Grenoble basin covered by the convention-cadre", Awaits.EVENT,
                () -> api.as(UESL).get("/api/territories/basins/" + GRENOBLE_BASIN),
                r -> r.json().path("coveredByConventions").toString().contains(cadre));
        Awaits.untilReply("observatory-service: the convention-cadre's objectives compared", Awaits.EVENT,
                () -> api.as(UESL).get("/api/observatory/conventions/" + cadre + "/comparison"),
                r -> !objective(r.json(), cadreObjective).isMissingNode());

        Map<String, Object> amended = cadreContent(110);
        objectives(amended).get(0).put("objectiveId", cadreObjective);
        api.as(UESL).ifMatch(api.as(UESL).get(CONVENTIONS + "/" + cadre).expect(200).etag())
                .post(CONVENTIONS + "/" + cadre + "/amendments", json(Map.of("reason",
                        "Avenant : production sociale 2014 relevée", "content", amended)))
                .expect(200);
        Reply evaluated = transition(cadre, "evaluation", Map.of("assessment", "Bilan de la première année",
                "evaluatedOn", "2014-12-31")).expect(200);
        assertThat(evaluated.at("/status")).isEqualTo("EVALUATED");
        assertThat(evaluated.at("/version")).isEqualTo("2");
    }

    // ---- content of the two conventions ----

    private Map<String, Object> lyonContent(Consumer<Map<String, Object>> change) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("title", "Charte territoriale Métropole de Lyon");
        c.put("periodStartYear", 2011);
        c.put("periodEndYear", 2013);
        c.put("sections", canvas(null));
        c.put("devices", List.of("CONSTRUCTION_PLUS_PLAI_PLS", "PETITS_LOGEMENTS_JEUNES"));
        c.put("objectives", new ArrayList<>(List.of(
                objective("CONSTRUCTION_NEUVE", "JEUNES_SALARIES", 2012, 100),
                objective("ACCES_PARC_PRIVE", "SALARIES_EN_MOBILITE", 2013, 40))));
        c.put("signatories", List.of(
                signatory("CIL", cils.present()),
                signatory("FILIALE", cils.filiale()),
                signatory("COLLECTIVITE", LYON_SIREN)));
        c.put("commitments", new ArrayList<>(List.of(commitment(cils.present(), 60))));
        c.put("reservationCosts", List.of(Map.of("category", "PLUS", "unitCostEuros", 20000)));
        c.put("communicationPlan", Map.of("needsStudies", "Restitution annuelle des études de besoins",
                "financingPublicity", "Panneaux de chantier mentionnant Action Logement"));
        c.put("partners", List.of(Map.of("partyType", "AUTRE", "partyId", "CLLAJ", "name", "CLLAJ de Lyon",
                "role", "Logement des jeunes")));
        c.put("actions", List.of(
                action("CIL:" + cils.present(), "CONSTRUCTION_PLUS_PLAI_PLS"),
                action("FILIALE:" + cils.filiale(), "PETITS_LOGEMENTS_JEUNES"),
                action("COLLECTIVITE:" + LYON_SIREN, "MISE_A_DISPOSITION_FONCIER"),
                action("AUTRE:CLLAJ", "INTERMEDIATION_LOCATIVE")));
        c.put("ueslSignatureRequested", false);
        change.accept(c);
        return c;
    }

    private static Map<String, Object> cadreContent(long target) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("title", "Convention-cadre de territoire du bassin grenoblois");
        c.put("periodStartYear", 2013);
        c.put("periodEndYear", 2015);
        c.put("sections", List.of(Map.of("code", "OBJECTIFS_PARTAGES", "title", "Objectifs partagés", "text",
                "Production de logement social et accession sociale pour les salariés")));
        c.put("devices", List.of("PRODUCTION_LOGEMENT_SOCIAL", "ACCESSION_SOCIALE_LOCATION_ACCESSION"));
        c.put("objectives", new ArrayList<>(List.of(objective("CONSTRUCTION_NEUVE", "JEUNES_SALARIES", 2014,
                target))));
        c.put("signatories", List.of(signatory("CONFERENCE_TERRITORIALE", GRENOBLE_CONFERENCE),
                signatory("COLLECTIVITE", GRENOBLE_SIREN)));
        c.put("communicationPlan", Map.of("needsStudies", "Études partagées en conférence territoriale",
                "financingPublicity", "Mention d'Action Logement sur chaque opération"));
        c.put("ueslSignatureRequested", false);
        c.put("plhReference", "PLH 2013-2018 de Grenoble-Alpes-Métropole");
        return c;
    }

    private static List<Map<String, Object>> canvas(String text) {
        List<Map<String, Object>> sections = new ArrayList<>();
        Map<String, String> texts = Map.of(
                "CIL_INTERVENTIONS_OFFRE", "Financement de PLUS/PLAI et de petits logements pour les jeunes salariés",
                "VALORISATION_EMPLOI_MOBILITE", "Logements mobilisés pour la mobilité professionnelle",
                "ENGAGEMENTS_COLLECTIVITE_OFFRE", "Foncier réservé aux petits logements pour jeunes",
                "ENGAGEMENTS_COLLECTIVITE_INSTANCES", "Action Logement siège au comité de pilotage du PLH");
        for (String code : List.of("CIL_INTERVENTIONS_OFFRE", "VALORISATION_EMPLOI_MOBILITE",
                "ENGAGEMENTS_COLLECTIVITE_OFFRE", "ENGAGEMENTS_COLLECTIVITE_INSTANCES")) {
            sections.add(Map.of("code", code, "title", code, "text", text == null ? texts.get(code) : text));
        }
        return sections;
    }

    private static Map<String, Object> objective(String indicator, String pub, int year, long target) {
        return new LinkedHashMap<>(Map.of("indicator", indicator, "publicPrioritaire", pub, "year", year,
                "target", target));
    }

    private static Map<String, Object> commitment(String cil, long amount) {
        return Map.of("cilId", cil, "product", "PASS_FONCIER", "year", 2012, "amount", amount, "collective", false,
                "prescriber", "CIL");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> objectives(Map<String, Object> content) {
        return (List<Map<String, Object>>) content.get("objectives");
    }

    private static JsonNode objective(JsonNode comparison, String id) {
        for (JsonNode o : comparison.path("objectives")) {
            if (id.equals(o.path("objectiveId").asText())) {
                return o;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    // ---- calls ----

    private Reply transition(String id, String step, Map<String, Object> body) {
        String etag = api.as(UESL).get(CONVENTIONS + "/" + id).expect(200).etag();
        return api.as(UESL).ifMatch(etag).post(CONVENTIONS + "/" + id + "/" + step, json(body));
    }

    private Reply revise(String id, Map<String, Object> content) {
        String etag = api.as(UESL).get(CONVENTIONS + "/" + id).expect(200).etag();
        return api.as(UESL).ifMatch(etag).put(CONVENTIONS + "/" + id + "/content", json(content));
    }
}
