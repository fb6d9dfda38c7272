package fr.actionlogement.territorial.partnerships;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import fr.actionlogement.territorial.testsupport.EventFixture;
import fr.actionlogement.territorial.testsupport.KafkaTestClient;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/**
 * Shared helpers: feeds the read model on territories-service's topics with stored copies of the records its relay
 * writes (test-support's EventFixture, headers included; proven by territories-service's EventContractTest), creates
 * agreements
 * through the API, and reads tables directly to prove that refusals changed nothing.
 */
public abstract class PartnershipsTestSupport {

    public static final String BASE = "/api/partnerships";
    private static final AtomicInteger REGION_SEQ = new AtomicInteger(ThreadLocalRandom.current().nextInt(100, 800));

    @Inject
    protected DataSource dataSource;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    protected String bootstrap;

    protected final String uesl = TestTokens.uesl();

    /** A fresh world: a region with its délégué, an EPCI and a commune in it, a CIL and its subsidiary. */
    protected record World(String region, String delegueSubject, String epci, String commune, String cil,
            String filiale) {

        public String cilToken() {
            return TestTokens.cil(cil);
        }

        public String delegueToken() {
            return TestTokens.user(delegueSubject).roles("delegue-territorial").claim("region", region).sign();
        }
    }

    protected World world() {
        String region = String.valueOf(REGION_SEQ.incrementAndGet());
        String delegue = "delegue-" + UUID.randomUUID();
        String epci = siren();
        String commune = insee();
        String cil = siren();
        String filiale = siren();
        assignDelegue(region, delegue);
        registerTerritory("EPCI", epci, "Communauté " + epci, region, false);
        registerTerritory("COMMUNE", commune, "Commune " + commune, region, false);
        registerCil(cil, null);
        registerCil(filiale, cil);
        awaitRow("SELECT count(*) FROM territory_ref WHERE territory_id = 'COMMUNE:" + commune + "'");
        awaitRow("SELECT count(*) FROM territory_ref WHERE territory_id = 'EPCI:" + epci + "'");
        awaitRow("SELECT count(*) FROM cil_ref WHERE cil_id = '" + filiale + "'");
        awaitRow("SELECT count(*) FROM cil_ref WHERE cil_id = '" + cil + "'");
        awaitRow("SELECT count(*) FROM region_delegue WHERE region_code = '" + region + "'");
        return new World(region, delegue, epci, commune, cil, filiale);
    }

    protected static String siren() {
        return String.valueOf(ThreadLocalRandom.current().nextLong(100_000_000L, 999_999_999L));
    }

    protected static String insee() {
        return String.valueOf(ThreadLocalRandom.current().nextInt(10_000, 99_999));
    }

    protected void registerTerritory(String kind, String code, String name, String region, boolean retired) {
        String id = kind + ":" + code;
        send(territories("TerritoryRegistered").subject(id).with("territoryId", id).with("kind", kind)
                .with("code", code).with("name", name).with("regionCode", region).with("departementCode", "69")
                .with("epciSiren", null).with("postcodes", List.of("69001")).with("population", 1000)
                .with("millesime", 2025).with("retired", retired).with("replacedBy", List.of()));
    }

    protected void registerCil(String cilId, String parent) {
        send(cilRegistered(cilId, "CIL " + cilId, parent));
    }

    protected static EventFixture cilRegistered(String cilId, String name, String parent) {
        return territories("CilRegistered").subject(cilId).with("cilId", cilId).with("name", name)
                .with("parentCilId", parent);
    }

    protected void assignDelegue(String region, String subject) {
        send(territories("DelegueAssigned").subject("REGION:" + region).with("regionCode", region)
                .with("delegueSubject", subject).with("delegueUsername", subject).with("since", "2026-01-01"));
    }

    /** A stored copy of what territories-service's relay writes for this event type (a new event id). */
    protected static EventFixture territories(String name) {
        return EventFixture.of("territories", name);
    }

    protected void send(EventFixture event) {
        new KafkaTestClient(bootstrap).send(event);
    }

    protected void awaitRow(String countSql) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> count(countSql) > 0);
    }

    protected long count(String sql) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    protected String agreementJson(World w, boolean exclusivity, String investments) {
        return """
                {"cilId":"%s","collectiviteId":"%s","object":"Housing of young employees","startDate":"2026-01-01",
                 "durationMonths":36,"exclusivity":%s,%s"investments":%s}"""
                .formatted(w.cil(), w.epci(), exclusivity,
                        exclusivity ? "\"exclusivityScope\":\"Rental intermediation for young employees\"," : "",
                        investments == null ? "[]" : investments);
    }

    /** Creates an agreement as the world's CIL user; returns the response (id, ETag). */
    protected ExtractableResponse<Response> create(World w, boolean exclusivity, String investments) {
        return given().auth().oauth2(w.cilToken()).contentType(ContentType.JSON)
                .body(agreementJson(w, exclusivity, investments))
                .when().post(BASE + "/agreements").then().statusCode(201).extract();
    }

    protected String etag(String token, String id) {
        return given().auth().oauth2(token).when().get(BASE + "/agreements/" + id).then().statusCode(200).extract()
                .header("ETag");
    }

    protected ExtractableResponse<Response> submit(String token, String id) {
        return given().auth().oauth2(token).header("If-Match", etag(uesl, id))
                .when().post(BASE + "/agreements/" + id + "/submit").then().extract();
    }

    protected ExtractableResponse<Response> post(String token, String id, String action, String body) {
        return given().auth().oauth2(token).header("If-Match", etag(uesl, id)).contentType(ContentType.JSON).body(body)
                .when().post(BASE + "/agreements/" + id + "/" + action).then().extract();
    }

    protected String status(String id) {
        return given().auth().oauth2(uesl).when().get(BASE + "/agreements/" + id).then().statusCode(200).extract()
                .path("status");
    }

    protected static byte[] pdf(int size) {
        byte[] b = new byte[Math.max(size, 16)];
        byte[] head = "%PDF-1.7\n%âãÏÓ\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        System.arraycopy(head, 0, b, 0, head.length);
        for (int i = head.length; i < b.length; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }

    protected ExtractableResponse<Response> upload(String token, String id, String fileName, String contentType,
            byte[] content) {
        return given().auth().oauth2(token).multiPart("file", fileName, content, contentType)
                .when().post(BASE + "/agreements/" + id + "/documents").then().extract();
    }
}
