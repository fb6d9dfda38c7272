package fr.actionlogement.territorial.systemtests;

import static fr.actionlogement.territorial.systemtests.support.GatewayApi.json;
import static fr.actionlogement.territorial.systemtests.support.GatewayApi.newKey;
import static fr.actionlogement.territorial.systemtests.support.Identity.CIL;
import static fr.actionlogement.territorial.systemtests.support.Identity.OBSERVATEUR;
import static fr.actionlogement.territorial.systemtests.support.Identity.UESL;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
import fr.actionlogement.territorial.systemtests.support.Reply;
import fr.actionlogement.territorial.systemtests.support.Stepwise;

/**
 * Journey (issue 15): the territory search as people type it, a closed programming work association that no longer
 * changes, and the observatory's national aggregates, all through the gateway. Self-contained: it
 * reads the shipped reference, associates its own work with the Bordeaux basin's conférence territoriale (which no
 * other journey touches) and imports its own observations for 2016 (a year no other journey records), under a source
 * name of its own, comparing national figures before and after.
 */
@ExtendWith({ SystemStack.class, Stepwise.class })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@org.junit.jupiter.api.Order(JourneyOrder.SEARCH_AND_REFERENCE)
@DisplayName("Journey: search as people type, a closed programming work frozen (R-33), national aggregates (R-44)")
class SearchAndReferenceJourneyTest {

    private static final String TERRITORIES = "/api/territories";
    private static final String OBSERVATORY = "/api/observatory";
    private static final String CONFERENCE = TERRITORIES + "/conferences/CT:bordeaux:protocole-cadre-2013";
    private static final String METROPOLE_DE_LYON = "EPCI:200046977";
    private static final String LYON = "COMMUNE:69123";
    private static final String SAINT_ETIENNE_METROPOLE = "EPCI:244200770";
    private static final String SAINT_ETIENNE = "COMMUNE:42218";
    /** Paris (région 11) next to Saint-Étienne (région 84): the national figure spans régions. */
    private static final String PARIS = "COMMUNE:75056";

    private GatewayApi api;
    private long started;

    @BeforeAll
    void start(GatewayApi gateway) {
        api = gateway;
        started = System.nanoTime();
        Awaits.journey("search-and-reference");
    }

    @AfterAll
    void figures() {
        System.out.printf("[journey] search-and-reference: %d s%n", (System.nanoTime() - started) / 1_000_000_000L);
    }

    private List<String> ids(String q) {
        JsonNode page = api.as(OBSERVATEUR).get(TERRITORIES + "/territories?q="
                + java.net.URLEncoder.encode(q, StandardCharsets.UTF_8) + "&size=50").expect(200).json();
        List<String> ids = new ArrayList<>();
        page.path("items").forEach(t -> ids.add(t.path("id").asText()));
        return ids;
    }

    private static String firstCommune(List<String> ids) {
        return ids.stream().filter(id -> id.startsWith("COMMUNE:")).findFirst().orElse(null);
    }

    @Test
    @Order(1)
    @DisplayName("search as people type: 'lyon' finds Métropole de Lyon then Lyon; 'st etienne' and 'etienne' find Saint-Étienne Métropole then Saint-Étienne")
    void searchAsPeopleType() {
        List<String> lyon = ids("lyon");
        assertThat(lyon.get(0)).isEqualTo(METROPOLE_DE_LYON);
        assertThat(firstCommune(lyon)).isEqualTo(LYON);
        for (String typed : List.of("st etienne", "etienne", "Saint-Étienne")) {
            List<String> found = ids(typed);
            assertThat(found.get(0)).as(typed).isEqualTo(SAINT_ETIENNE_METROPOLE);
            assertThat(firstCommune(found)).as(typed).isEqualTo(SAINT_ETIENNE);
            // EPCI before communes
            assertThat(found.indexOf(SAINT_ETIENNE_METROPOLE)).isLessThan(found.indexOf(SAINT_ETIENNE));
        }
        assertThat(ids("lyon saint")).doesNotContain(METROPOLE_DE_LYON, LYON);
    }

    @Test
    @Order(2)
    @DisplayName("R-33 a closed programming work association refuses a change of title, authority or period (409 R-33)")
    void closedProgrammingWorkIsFrozen() {
        String title = "PLH journey " + UUID.randomUUID();
        Map<String, Object> work = new HashMap<>(Map.of("documentType", "PLH", "title", title, "authorityId",
                "243300316", "authorityName", "Bordeaux Métropole", "periodStart", "2022-01-01", "periodEnd",
                "2027-12-31", "associatedOn", "2014-03-01", "status", "IN_PROGRESS"));
        Reply created = api.as(UESL).idempotencyKey(newKey()).post(CONFERENCE + "/programming-works", json(work))
                .expect(201);
        String path = CONFERENCE + "/programming-works/" + created.at("/id");
        work.put("status", "ADOPTED");
        Reply adopted = api.as(UESL).ifMatch(created.etag()).put(path, json(work)).expect(200);
        assertThat(adopted.at("/status")).isEqualTo("ADOPTED");

        for (Map.Entry<String, Object> change : List.of(Map.entry("title", (Object) (title + " (révisé)")),
                Map.entry("authorityId", (Object) "200046977"), Map.entry("periodEnd", (Object) "2030-12-31"))) {
            Map<String, Object> changed = new HashMap<>(work);
            changed.put(change.getKey(), change.getValue());
            api.as(UESL).ifMatch(adopted.etag()).put(path, json(changed)).expectProblem(409, "R-33");
        }
        Reply after = api.as(UESL).get(path).expect(200);
        assertThat(after.etag()).isEqualTo(adopted.etag());
        assertThat(after.at("/title")).isEqualTo(title);
        assertThat(after.at("/periodEnd")).isEqualTo("2027-12-31");
    }

    /** The national 2016 figure of young employees' housing demands, as this caller sees it: value, observations. */
    private double[] national(Identity who) {
        JsonNode aggregate = api.as(who).get(OBSERVATORY + "/aggregates?territoryId=NATION:FR"
                + "&indicator=DEMANDES_LOGEMENT_SALARIES&publicPrioritaire=JEUNES_SALARIES&from=2016&to=2016")
                .expect(200).json();
        assertThat(aggregate.path("territoryName").asText()).isEqualTo("France");
        JsonNode points = aggregate.path("series").path(0).path("points");
        return points.isEmpty() ? new double[] { 0, 0 }
                : new double[] { points.get(0).path("value").asDouble(), points.get(0).path("observations").asDouble() };
    }

    @Test
    @Order(3)
    @DisplayName("R-44 national aggregates roll every région up, with the same visibility rules (observers: public figures only)")
    void nationalAggregates() {
        double[] partnerBefore = national(CIL);
        double[] observerBefore = national(OBSERVATEUR);
        String source = "Journey national " + UUID.randomUUID().toString().substring(0, 8);
        String header = "territoryId,indicator,publicPrioritaire,period,value,source\n";
        String shared = header + SAINT_ETIENNE + ",DEMANDES_LOGEMENT_SALARIES,JEUNES_SALARIES,2016,70," + source + "\n"
                + PARIS + ",DEMANDES_LOGEMENT_SALARIES,JEUNES_SALARIES,2016,500," + source + "\n";
        String published = header + LYON + ",DEMANDES_LOGEMENT_SALARIES,JEUNES_SALARIES,2016,30," + source + "\n";
        // All or nothing (maxRejected=0): refused until the observatory knows the territories from the reference.
        Awaits.until("observatory-service knows Saint-Étienne, Paris and Lyon (import accepted)", Awaits.FIRST_READ_MODEL,
                () -> api.as(UESL).post(OBSERVATORY + "/observations/imports?visibility=SHARED&maxRejected=0",
                        "text/csv", shared.getBytes(StandardCharsets.UTF_8)),
                r -> r.status() == 201);
        api.as(UESL).post(OBSERVATORY + "/observations/imports?visibility=PUBLIC&maxRejected=0", "text/csv",
                published.getBytes(StandardCharsets.UTF_8)).expect(201);

        double[] partner = national(CIL);
        double[] observer = national(OBSERVATEUR);
        assertThat(partner[0] - partnerBefore[0]).isEqualTo(600);
        assertThat(partner[1] - partnerBefore[1]).isEqualTo(3);
        assertThat(observer[0] - observerBefore[0]).isEqualTo(30);
        api.as(UESL).get(OBSERVATORY + "/aggregates?territoryId=NATION:XX&indicator=DEMANDES_LOGEMENT_SALARIES")
                .expectProblem(400, null);
    }
}
