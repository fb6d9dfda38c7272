package fr.actionlogement.territorial.observatory;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import fr.actionlogement.territorial.testsupport.KafkaTestClient;

/**
 * Feeds the read models the way production does: real CloudEvents records on the other contexts' real topics,
 * consumed by the service's own consumers.
 */
public final class Fixtures {

    public static final String API = "/api/observatory";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaTestClient kafka;
    private final DataSource dataSource;

    public Fixtures(String bootstrap, DataSource dataSource) {
        this.kafka = new KafkaTestClient(bootstrap);
        this.dataSource = dataSource;
    }

    /** A fresh code, so that tests sharing the database never share territories. */
    public static String unique() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
    }

    public static String envelope(String context, String service, String type, String subject, Object data) {
        try {
            return JSON.writeValueAsString(Map.of("specversion", "1.0", "id", UUID.randomUUID().toString(),
                    "source", "/territorial/" + service, "type", "fr.actionlogement." + context + "." + type + ".v1",
                    "time", OffsetDateTime.now().toString(), "subject", subject, "datacontenttype", "application/json",
                    "data", data));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public void territory(String territoryId, String kind, String code, String name, String region, String departement,
            String epciSiren) {
        java.util.HashMap<String, Object> data = new java.util.HashMap<>();
        data.put("territoryId", territoryId);
        data.put("kind", kind);
        data.put("code", code);
        data.put("name", name);
        data.put("regionCode", region);
        data.put("departementCode", departement);
        data.put("epciSiren", epciSiren);
        data.put("retired", false);
        data.put("millesime", 2024);
        kafka.send("territories.reference.v1", territoryId,
                envelope("territories", "territories-service", "TerritoryRegistered", territoryId, data));
    }

    public void presence(String cilId, String territoryId, boolean present) {
        java.util.HashMap<String, Object> data = new java.util.HashMap<>();
        data.put("cilId", cilId);
        data.put("territoryId", territoryId);
        data.put("present", present);
        data.put("since", "2020-01-01");
        data.put("until", null);
        kafka.send("territories.events.v1", cilId, envelope("territories", "territories-service", "CilPresenceChanged",
                cilId, data));
    }

    public void send(String topic, String key, String envelope) {
        kafka.send(topic, key, envelope);
    }

    public KafkaTestClient kafka() {
        return kafka;
    }

    /** A small hierarchy: région > département > EPCI > two communes, with unique codes. */
    public record Hierarchy(String region, String departement, String epci, String commune1, String commune2) {
    }

    public Hierarchy hierarchy() {
        String u = unique();
        String reg = "R" + u;
        String dep = "D" + u;
        String epci = "E" + u;
        Hierarchy h = new Hierarchy("REGION:" + reg, "DEPARTEMENT:" + dep, "EPCI:" + epci, "COMMUNE:C1" + u,
                "COMMUNE:C2" + u);
        territory(h.region(), "REGION", reg, "Région " + u, null, null, null);
        territory(h.departement(), "DEPARTEMENT", dep, "Département " + u, reg, null, null);
        territory(h.epci(), "EPCI", epci, "Métropole " + u, reg, dep, null);
        territory(h.commune1(), "COMMUNE", "C1" + u, "Ville 1 " + u, reg, dep, epci);
        territory(h.commune2(), "COMMUNE", "C2" + u, "Ville 2 " + u, reg, dep, epci);
        awaitCount("SELECT count(*) FROM territory_ancestor WHERE territory_id IN ('" + String.join("','",
                List.of(h.region(), h.departement(), h.epci(), h.commune1(), h.commune2())) + "')", 1 + 2 + 3 + 4 + 4);
        return h;
    }

    public void awaitCount(String sql, long expected) {
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> count(sql) == expected);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("expected " + expected + " but found " + count(sql) + " for " + sql
                    + "; territories: "
                    + rows("SELECT string_agg(territory_id || '/' || coalesce(region_code,'-'), ' ') FROM territory")
                    + "; closure: " + rows("SELECT count(*) FROM territory_ancestor") + "; inbox: "
                    + rows("SELECT string_agg(consumer || ':' || event_type, ' ') FROM inbox_processed_event"));
        }
    }

    private String rows(String sql) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        } catch (Exception e) {
            return e.toString();
        }
    }

    public long count(String sql) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
