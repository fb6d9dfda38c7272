package fr.actionlogement.territorial.systemtests;

import static fr.actionlogement.territorial.systemtests.support.GatewayApi.json;
import static fr.actionlogement.territorial.systemtests.support.GatewayApi.newKey;
import static fr.actionlogement.territorial.systemtests.support.Identity.CIL;
import static fr.actionlogement.territorial.systemtests.support.Identity.OBSERVATEUR;
import static fr.actionlogement.territorial.systemtests.support.Identity.UESL;
import static fr.actionlogement.territorial.systemtests.support.LyonWorld.DEMO_CIL;
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
import fr.actionlogement.territorial.systemtests.support.LyonWorld;
import fr.actionlogement.territorial.systemtests.support.Reply;
import fr.actionlogement.territorial.systemtests.support.Stepwise;

/**
 * Journey 3, the observatory of housing needs on the Métropole de Lyon: a needs study launched by the demo CIL
 * (present on Lyon, known to the observatory from CilPresenceChanged), co-financed, commissioned, delivered and
 * published; observations imported from CSV with a bad row reported; aggregates rolling communes up to the
 * métropole; and the gateway's territory dashboard assembling territories, conventions, partnerships and
 * observatory parts for Lyon.
 */
@ExtendWith({ SystemStack.class, Stepwise.class })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@org.junit.jupiter.api.Order(JourneyOrder.OBSERVATORY)
@DisplayName("Journey: a needs study, observations imported from CSV, aggregates and the territory dashboard")
class ObservatoryJourneyTest {

    private static final String OBSERVATORY = "/api/observatory";
    /** 2025: the walkthrough of docs/getting-started.md records 2024, so the figures below are this journey's own. */
    private static final String CSV = """
            territoryId,indicator,publicPrioritaire,period,value,source
            EPCI:200046977,DEMANDES_LOGEMENT_SALARIES,JEUNES_SALARIES,2025,1200,Fichier des demandes CIL (journey)
            EPCI:200046977,DEMANDES_LOGEMENT_SALARIES,SALARIES_EN_MOBILITE,2025,450,Fichier des demandes CIL (journey)
            COMMUNE:69123,MOBILITES_PROFESSIONNELLES,SALARIES_EN_MOBILITE,2025,300,Enquête entreprises (journey)
            COMMUNE:69266,MOBILITES_PROFESSIONNELLES,SALARIES_EN_MOBILITE,2025,120,Enquête entreprises (journey)
            COMMUNE:69123,LOGEMENTS_VACANTS,JEUNES_SALARIES,2025,10,Enquête entreprises (journey)
            """;
    private GatewayApi api;
    private long started;
    private String batchId;

    @BeforeAll
    void start(GatewayApi gateway) {
        api = gateway;
        started = System.nanoTime();
        Awaits.journey("observatory");
    }

    @AfterAll
    void figures() {
        System.out.printf("[journey] observatory: %d s%n", (System.nanoTime() - started) / 1_000_000_000L);
    }

    @Test
    @Order(1)
    @DisplayName("R-40 R-41 R-42 the demo CIL launches a co-financed needs study on Lyon; commissioned, delivered, published")
    void needsStudy() {
        LyonWorld.ensure(api);
        String key = newKey();
        String body = json(Map.of("title", "Logement des jeunes salariés de la Métropole de Lyon", "territoryId", LYON,
                "scale", "Métropole", "topics", List.of("ACCES_LOCATIF_SOCIAL", "ADEQUATION_OFFRE_DEMANDE_LOCATIVE"),
                "publicsPrioritaires", List.of("JEUNES_SALARIES"), "launchingCilIds", List.of(DEMO_CIL),
                "operationalInterest", "Dimensionner l'offre de petits logements pour les apprentis et jeunes salariés",
                "cost", 60000, "financing", List.of(
                        share("CIL", DEMO_CIL, "CIL démo", 30000),
                        share("EPCI", LYON_SIREN, "Métropole de Lyon", 20000),
                        share("ETAT", "DREAL-ARA", "DREAL Auvergne-Rhône-Alpes", 10000)),
                "sources", List.of(Map.of("type", "PROVIDER", "name", "Cabinet Habitat Conseil"),
                        Map.of("type", "CIL_DATABASE", "name", "Demandes de logement du CIL"))));
        // Refused (422 R-40) until the observatory has learnt the CIL's presence on Lyon from territories-service.
        Reply proposed = Awaits.until("observatory-service knows the demo CIL present on Lyon (study accepted)",
                Awaits.FIRST_READ_MODEL, () -> api.as(CIL).idempotencyKey(key).post(OBSERVATORY + "/studies", body),
                r -> r.status() == 201);
        JsonNode study = api.as(CIL).follow(proposed.location()).expect(200).json();
        assertThat(study.path("status").asText()).isEqualTo("PROPOSED");
        assertThat(study.path("financedAmount").asDouble()).isEqualTo(60000);
        String path = OBSERVATORY + "/studies/" + study.path("id").asText();

        assertThat(step(CIL, path, "commission", Map.of("reason", "Marché notifié au cabinet")).at("/status"))
                .isEqualTo("COMMISSIONED");
        api.as(OBSERVATEUR).get(path).expectProblem(404, null);
        assertThat(step(CIL, path, "delivery", Map.of("resultsSummary",
                "1 200 jeunes salariés par an sans petit logement abordable", "reportUri",
                "https://example.org/etudes/lyon-jeunes.pdf")).at("/status")).isEqualTo("DELIVERED");
        assertThat(step(UESL, path, "publication", Map.of("reason", "Partage avec les parties")).at("/status"))
                .isEqualTo("PUBLISHED");
        api.as(OBSERVATEUR).get(path).expect(200);
    }

    @Test
    @Order(2)
    @DisplayName("R-43 observations are imported from CSV and shared; the bad row is reported with its line, the others kept")
    void csvImport() {
        Reply imported = api.as(CIL).post(OBSERVATORY + "/observations/imports?visibility=SHARED", "text/csv",
                CSV.getBytes(StandardCharsets.UTF_8)).expect(201);
        JsonNode report = imported.json();
        assertThat(report.path("rowsImported").asInt()).isEqualTo(4);
        assertThat(report.path("rowsRejected").asInt()).isEqualTo(1);
        assertThat(report.path("rejections").get(0).path("line").asInt()).isEqualTo(6);
        batchId = report.path("batchId").asText();
        assertThat(api.as(CIL).follow(imported.location()).expect(200).at("/visibility")).isEqualTo("SHARED");

        // The imported rows, one a page, following Link rel="next" through the gateway.
        List<String> values = new ArrayList<>();
        Reply page = api.as(CIL).get(OBSERVATORY + "/observations?batchId=" + batchId + "&size=1").expect(200);
        page.json().path("items").forEach(o -> values.add(o.path("value").asText()));
        while (page.next().isPresent()) {
            page = api.as(CIL).follow(page.next().get()).expect(200);
            page.json().path("items").forEach(o -> values.add(o.path("value").asText()));
        }
        assertThat(values).hasSize(4);
    }

    @Test
    @Order(3)
    @DisplayName("R-44 aggregates roll the communes' observations up to the Métropole de Lyon, by priority public")
    void aggregates() {
        JsonNode mobility = api.as(UESL).get(OBSERVATORY + "/aggregates?territoryId=" + LYON
                + "&indicator=MOBILITES_PROFESSIONNELLES&from=2025&to=2025").expect(200).json();
        assertThat(point(mobility, "SALARIES_EN_MOBILITE", "2025")).isEqualTo(420);
        JsonNode demands = api.as(UESL).get(OBSERVATORY + "/aggregates?territoryId=" + LYON
                + "&indicator=DEMANDES_LOGEMENT_SALARIES&from=2025&to=2025").expect(200).json();
        assertThat(point(demands, "JEUNES_SALARIES", "2025")).isEqualTo(1200);
        assertThat(point(demands, "SALARIES_EN_MOBILITE", "2025")).isEqualTo(450);
    }

    @Test
    @Order(4)
    @DisplayName("the gateway's territory dashboard shows Lyon from every service: territory, conférence territoriale, conventions, partnerships, observed needs")
    void dashboard() {
        Reply dashboard = Awaits.untilReply("gateway dashboard of Lyon complete", Awaits.EVENT,
                () -> api.as(UESL).get("/api/dashboard/territories/" + LYON),
                r -> r.json().path("complete").asBoolean());
        JsonNode parts = dashboard.json().path("parts");
        assertThat(parts.path("territory").path("data").path("name").asText()).isEqualTo("Métropole de Lyon");
        assertThat(parts.path("conference").path("data").findValuesAsText("id"))
                .contains("CT:lyon:protocole-cadre-2013");
        // The conventions part is what conventions-service answers the same caller.
        List<String> conventions = api.as(UESL).get("/api/conventions?territoryId=" + LYON
                + "&sort=proposedAt,desc").expect(200).json().path("items").findValuesAsText("conventionId");
        assertThat(parts.path("conventions").path("data").path("items").findValuesAsText("conventionId"))
                .isEqualTo(conventions);
        assertThat(parts.path("partnerships").path("status").asText()).isEqualTo("OK");
        JsonNode needs = parts.path("needs").path("data").path("items");
        assertThat(needs.findValuesAsText("source")).contains("Fichier des demandes CIL (journey)");
        assertThat(needs.get(0).path("period").asText()).isEqualTo("2025");

        // An observer's dashboard: the same page, filtered by each service's rules (conventions are not theirs).
        JsonNode observer = api.as(OBSERVATEUR).get("/api/dashboard/territories/" + LYON).expect(200).json()
                .path("parts");
        assertThat(observer.path("conventions").path("status").asText()).isEqualTo("FORBIDDEN");
        assertThat(observer.path("needs").path("data").path("items").findValuesAsText("source"))
                .doesNotContain("Fichier des demandes CIL (journey)");
    }

    private Reply step(fr.actionlogement.territorial.systemtests.support.Identity who, String path, String action,
            Map<String, Object> body) {
        String etag = api.as(UESL).get(path).expect(200).etag();
        return api.as(who).ifMatch(etag).post(path + "/" + action, json(body)).expect(200);
    }

    private static Map<String, Object> share(String type, String id, String name, long amount) {
        return Map.of("partnerType", type, "partnerId", id, "partnerName", name, "amount", amount);
    }

    private static double point(JsonNode aggregate, String pub, String period) {
        for (JsonNode s : aggregate.path("series")) {
            if (pub.equals(s.path("publicPrioritaire").asText())) {
                for (JsonNode p : s.path("points")) {
                    if (period.equals(p.path("period").asText())) {
                        return p.path("value").asDouble();
                    }
                }
            }
        }
        throw new AssertionError("no " + pub + " " + period + " point in " + aggregate);
    }
}
