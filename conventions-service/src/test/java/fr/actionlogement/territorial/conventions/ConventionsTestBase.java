package fr.actionlogement.territorial.conventions;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.actionlogement.territorial.testsupport.EventFixture;
import fr.actionlogement.territorial.testsupport.KafkaTestClient;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Shared fixtures: each test builds its own small world (a région, an EPCI, CILs, a campaign, a template) by sending
 * territories-service's records to the real Kafka topics (stored copies of what its relay writes, headers included:
 * test-support's EventFixture, proven by territories-service's EventContractTest) and waiting for the read model,
 * then drives the service through its HTTP API only.
 */
abstract class ConventionsTestBase {

    static final String BASE = "/api/conventions";
    static final String REFERENCE_TOPIC = "territories.reference.v1";
    static final String EVENTS_TOPIC = "territories.events.v1";
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    final String uesl = TestTokens.uesl();

    /** One test's territory: an EPCI in its own région, a CIL present there, one absent, and subsidiaries. */
    record World(String region, String epciSiren, String territoryId, String cilPresent, String cilAbsent,
            String filialeOfPresent, String filialeOfAbsent, String campaignId, String templateId,
            String delegueToken) {
    }

    static String digits(int n) {
        StringBuilder s = new StringBuilder();
        s.append(ThreadLocalRandom.current().nextInt(1, 10));
        while (s.length() < n) {
            s.append(ThreadLocalRandom.current().nextInt(10));
        }
        return s.toString();
    }

    World world() {
        return world(10);
    }

    World world(int cap) {
        String region = "9" + digits(4);
        String siren = digits(9);
        String territoryId = "EPCI:" + siren;
        String cil1 = digits(9);
        String cil2 = digits(9);
        String fil1 = digits(9);
        String fil2 = digits(9);
        territoryRegistered(territoryId, "EPCI", siren, "Métropole " + siren, region);
        cilRegistered(cil1, "CIL présent " + cil1, null);
        cilRegistered(cil2, "CIL absent " + cil2, null);
        cilRegistered(fil1, "Filiale " + fil1, cil1);
        cilRegistered(fil2, "Filiale " + fil2, cil2);
        presence(cil1, territoryId, true);
        regionalConference(region, List.of(cil1, cil2));
        delegueAssigned(region);
        awaitRows("SELECT count(*) FROM rm_territory WHERE territory_id = '" + territoryId + "'");
        awaitRows("SELECT count(*) FROM rm_cil WHERE cil_id IN ('" + cil1 + "','" + cil2 + "','" + fil1 + "','" + fil2
                + "') HAVING count(*) = 4");
        awaitRows("SELECT count(*) FROM rm_cil_presence WHERE cil_id = '" + cil1 + "'");
        awaitRows("SELECT count(*) FROM rm_regional_conference WHERE region_code = '" + region + "'");
        awaitRows("SELECT count(*) FROM rm_delegue WHERE region_code = '" + region + "'");
        String campaign = createCampaign(cap);
        String template = createTemplate("TERRITORIALE");
        return new World(region, siren, territoryId, cil1, cil2, fil1, fil2, campaign, template,
                TestTokens.delegue(region));
    }

    // ---- territories-service events: stored copies of what its relay writes (test-support's EventFixture) ----

    static EventFixture territories(String name) {
        return EventFixture.of("territories", name);
    }

    void territoryRegistered(String id, String kind, String code, String name, String region) {
        territoryRegistered(id, kind, code, name, region, "EPCI".equals(kind) ? "METRO" : null);
    }

    void territoryRegistered(String id, String kind, String code, String name, String region, String epciNature) {
        List<String> members = List.of();
        send(territories("TerritoryRegistered").subject(id).with("territoryId", id).with("kind", kind)
                .with("code", code).with("name", name).with("regionCode", region).with("departementCode", null)
                .with("epciSiren", "EPCI".equals(kind) ? code : null)
                .with("epciNature", epciNature).with("memberCommunes", members)
                .with("postcodes", members).with("population", 1_000_000).with("millesime", 2011).with("retired", false)
                .with("replacedBy", members).with("formerCodes", members));
    }

    void cilRegistered(String cilId, String name, String parent) {
        send(cilRegisteredEvent(cilId, name, parent));
    }

    static EventFixture cilRegisteredEvent(String cilId, String name, String parent) {
        return territories("CilRegistered").subject(cilId).with("cilId", cilId).with("name", name)
                .with("parentCilId", parent);
    }

    void presence(String cilId, String territoryId, boolean present) {
        presence(cilId, territoryId, present, "2010-01-01", null);
    }

    void presence(String cilId, String territoryId, boolean present, String since, String until) {
        send(territories("CilPresenceChanged").subject(cilId).with("cilId", cilId).with("territoryId", territoryId)
                .with("present", present).with("since", since).with("until", until));
    }

    void regionalConference(String region, List<String> members) {
        send(territories("RegionalConferenceChanged").subject("REGION:" + region).with("regionCode", region)
                .with("memberCilIds", members));
    }

    void delegueAssigned(String region) {
        send(territories("DelegueAssigned").subject("REGION:" + region).with("regionCode", region)
                .with("delegueSubject", "delegue-" + region).with("delegueUsername", "delegue-" + region)
                .with("since", "2011-01-01"));
    }

    void basinDefined(String basinId, String name, List<String> epciSirens) {
        send(territories("BasinDefined").subject(basinId).with("basinId", basinId).with("name", name).with("wave", 1)
                .with("epciSirens", epciSirens).with("tension", "TENDU").with("tensionSource", "test"));
        awaitRows("SELECT count(*) FROM rm_basin WHERE basin_id = '" + basinId + "'");
    }

    void conferenceInstalled(String conferenceId, String basinId) {
        send(territories("TerritorialConferenceInstalled").subject(conferenceId).with("conferenceId", conferenceId)
                .with("basinId", basinId).with("installedOn", "2013-11-15")
                .with("members", List.of(Map.of("organisation", "MEDEF", "college", "EMPLOYEURS"))));
        awaitRows("SELECT count(*) FROM rm_territorial_conference WHERE conference_id = '" + conferenceId + "'");
    }

    void send(EventFixture event) {
        new KafkaTestClient(bootstrap).send(event);
    }

    /**
     * A hand-made envelope, without the relay's headers: only for records no producer writes (malformed ones, which
     * must go to the dead-letter topic).
     */
    static String envelope(String id, String type, String subject, Object data) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("specversion", "1.0");
        e.put("id", id);
        e.put("source", "/territorial/territories-service");
        e.put("type", type);
        e.put("time", OffsetDateTime.now().toString());
        e.put("subject", subject);
        e.put("datacontenttype", "application/json");
        e.put("data", data);
        try {
            return JSON.writeValueAsString(e);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    long count(String sql) {
        try (var c = dataSource.getConnection(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void awaitRows(String sql) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> count(sql) > 0);
    }

    // ---- HTTP helpers ----

    RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    String createCampaign(int cap) {
        String id = "c-" + digits(8);
        as(uesl).body(Map.of("campaignId", id, "name", "Campagne " + id, "year", 2011, "cap", cap,
                "evaluationYear", 2012)).post(BASE + "/campaigns").then().statusCode(201);
        return id;
    }

    String createTemplate(String kind) {
        String id = "t-" + digits(8);
        List<Map<String, Object>> sections = new ArrayList<>();
        for (String code : List.of("CIL_INTERVENTIONS_OFFRE", "VALORISATION_EMPLOI_MOBILITE",
                "ENGAGEMENTS_COLLECTIVITE_OFFRE", "ENGAGEMENTS_COLLECTIVITE_INSTANCES")) {
            sections.add(Map.of("code", code, "title", code, "text", ""));
        }
        as(uesl).body(Map.of("templateId", id, "name", "Modèle " + id, "kind", kind, "sections", sections,
                "suggestedDevices", List.of("CONSTRUCTION_PLUS_PLAI_PLS"))).post(BASE + "/templates").then()
                .statusCode(201);
        return id;
    }

    Response propose(World w) {
        return propose(w, w.territoryId(), "TERRITORIALE", w.templateId());
    }

    Response propose(World w, String territoryId, String kind, String templateId) {
        return as(w.delegueToken()).body(Map.of("campaignId", w.campaignId(), "territoryId", territoryId, "kind", kind,
                "templateId", templateId, "templateVersion", 1)).post(BASE);
    }

    String proposed(World w) {
        return propose(w).then().statusCode(201).extract().path("conventionId");
    }

    String etag(String id) {
        return as(uesl).get(BASE + "/" + id).then().statusCode(200).extract().header("ETag");
    }

    Response transition(String id, String step, Object body) {
        return as(uesl).header("If-Match", etag(id)).body(body).post(BASE + "/" + id + "/" + step);
    }

    Response revise(String id, Object content) {
        return as(uesl).header("If-Match", etag(id)).body(content).put(BASE + "/" + id + "/content");
    }

    /** A complete TERRITORIALE content: canvas, present CIL with an action, communication plan, an objective. */
    Map<String, Object> validContent(World w) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("title", "Charte territoriale " + w.territoryId());
        c.put("periodStartYear", 2011);
        c.put("periodEndYear", 2013);
        List<Map<String, Object>> sections = new ArrayList<>();
        sections.add(section("CIL_INTERVENTIONS_OFFRE", "Financement de PLUS/PLAI pour les jeunes salariés"));
        sections.add(section("VALORISATION_EMPLOI_MOBILITE", "Logements mobilisés pour la mobilité professionnelle"));
        sections.add(section("ENGAGEMENTS_COLLECTIVITE_OFFRE", "Foncier pour petits logements jeunes"));
        sections.add(section("ENGAGEMENTS_COLLECTIVITE_INSTANCES", "Action Logement siège au comité du PLH"));
        c.put("sections", sections);
        c.put("devices", new ArrayList<>(List.of("CONSTRUCTION_PLUS_PLAI_PLS", "PETITS_LOGEMENTS_JEUNES")));
        List<Map<String, Object>> objectives = new ArrayList<>();
        objectives.add(objective("CONSTRUCTION_NEUVE", "JEUNES_SALARIES", 2012, 100));
        c.put("objectives", objectives);
        List<Map<String, Object>> signatories = new ArrayList<>();
        signatories.add(signatory("CIL", w.cilPresent(), null));
        signatories.add(signatory("COLLECTIVITE", w.epciSiren(), null));
        c.put("signatories", signatories);
        c.put("commitments", new ArrayList<>());
        c.put("reservationCosts", new ArrayList<>(List.of(Map.of("category", "PLUS", "unitCostEuros", 20000))));
        c.put("communicationPlan", Map.of("needsStudies", "Restitution annuelle des études de besoins",
                "financingPublicity", "Panneaux de chantier mentionnant Action Logement"));
        c.put("partners", new ArrayList<>(List.of(Map.of("partyType", "AUTRE", "partyId", "CLLAJ", "name", "CLLAJ",
                "role", "Logement des jeunes"))));
        List<Map<String, Object>> actions = new ArrayList<>();
        actions.add(action("CIL:" + w.cilPresent(), "CONSTRUCTION_PLUS_PLAI_PLS"));
        actions.add(action("COLLECTIVITE:" + w.epciSiren(), "MISE_A_DISPOSITION_FONCIER"));
        actions.add(action("AUTRE:CLLAJ", "INTERMEDIATION_LOCATIVE"));
        c.put("actions", actions);
        c.put("ueslSignatureRequested", false);
        c.put("plhReference", null);
        return c;
    }

    static Map<String, Object> section(String code, String text) {
        return new LinkedHashMap<>(Map.of("code", code, "title", code, "text", text));
    }

    static Map<String, Object> objective(String indicator, String pub, int year, long target) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("indicator", indicator);
        o.put("publicPrioritaire", pub);
        o.put("year", year);
        o.put("target", target);
        return o;
    }

    static Map<String, Object> signatory(String type, String id, String concertation) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("partyType", type);
        s.put("partyId", id);
        s.put("name", type + " " + id);
        s.put("ueslConcertation", concertation);
        s.put("presentOnly", false);
        return s;
    }

    static Map<String, Object> action(String partyKey, String device) {
        return new LinkedHashMap<>(Map.of("partyKey", partyKey, "device", device, "publics",
                List.of("JEUNES_SALARIES"), "description", device));
    }

    static Map<String, Object> commitment(String cil, String product, int year, long amount, boolean collective,
            String prescriber) {
        return new LinkedHashMap<>(Map.of("cilId", cil, "product", product, "year", year, "amount", amount,
                "collective", collective, "prescriber", prescriber));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> content, String key) {
        return (List<Map<String, Object>>) content.get(key);
    }

    /** Proposed, in negotiation, with a valid content: ready to submit. */
    String negotiated(World w, Map<String, Object> content) {
        String id = proposed(w);
        transition(id, "negotiation", Map.of("reason", "conférence régionale")).then().statusCode(200);
        revise(id, content).then().statusCode(200);
        return id;
    }

    String signed(World w, Map<String, Object> content) {
        String id = negotiated(w, content);
        transition(id, "submission", Map.of()).then().statusCode(200);
        transition(id, "signature", Map.of("signedOn", "2011-06-30")).then().statusCode(200);
        return id;
    }
}
