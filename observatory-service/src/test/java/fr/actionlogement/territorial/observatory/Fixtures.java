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

import fr.actionlogement.territorial.testsupport.EventFixture;
import fr.actionlogement.territorial.testsupport.KafkaTestClient;

/**
 * Feeds the read models the way production does: on the other contexts' real topics, stored copies of the records
 * their relays write (test-support's EventFixture, headers included; proven by the producers' own tests), consumed by
 * the service's own consumers.
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

    /**
     * A hand-made envelope, sent without the relay's headers: only for records no producer writes (malformed ones,
     * which must go to the dead-letter topic). Real events are {@link #territories} and {@link #conventions}.
     */
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

    /** A stored copy of what territories-service's relay writes for this event type (a new event id). */
    public static EventFixture territories(String name) {
        return EventFixture.of("territories", name);
    }

    /** A stored copy of what conventions-service's relay writes for this event type (a new event id). */
    public static EventFixture conventions(String name) {
        return EventFixture.of("conventions", name);
    }

    public void territory(String territoryId, String kind, String code, String name, String region, String departement,
            String epciSiren) {
        send(territories("TerritoryRegistered").subject(territoryId).with("territoryId", territoryId)
                .with("kind", kind).with("code", code).with("name", name).with("regionCode", region)
                .with("departementCode", departement).with("epciSiren", epciSiren).with("retired", false)
                .with("millesime", 2024));
    }

    public void presence(String cilId, String territoryId, boolean present) {
        send(presenceEvent(cilId, territoryId, present, "2020-01-01"));
    }

    public static EventFixture presenceEvent(String cilId, String territoryId, boolean present, String since) {
        return territories("CilPresenceChanged").subject(cilId).with("cilId", cilId).with("territoryId", territoryId)
                .with("present", present).with("since", since).with("until", null);
    }

    /**
     * ConventionSigned of a convention on one territory; objectives as conventions-service writes them. Its région
     * is {@code 84} and its parties CIL 782855696 and the authority 69123 (its visibility, docs/security.md).
     */
    public static EventFixture conventionSigned(String conventionId, String territoryId, String signedOn,
            List<Map<String, Object>> objectives) {
        return conventionSigned(conventionId, territoryId, signedOn, objectives, "84",
                List.of("CIL:782855696", "COLLECTIVITE:69123"));
    }

    /** ConventionSigned with the région and party keys that decide who sees the convention. */
    public static EventFixture conventionSigned(String conventionId, String territoryId, String signedOn,
            List<Map<String, Object>> objectives, String regionCode, List<String> partyKeys) {
        return conventions("ConventionSigned").subject(conventionId).with("conventionId", conventionId)
                .with("version", 1).with("kind", "TERRITORIALE").with("territoryId", territoryId)
                .with("coveredTerritoryIds", List.of(territoryId)).with("signedOn", signedOn)
                .with("signatories", List.of(Map.of("partyType", "CIL", "partyId", "782855696", "name", "CIL")))
                .with("objectives", objectives).with("regionCode", regionCode).with("partyKeys", partyKeys);
    }

    public static Map<String, Object> objective(String objectiveId, String indicator, String publicPrioritaire,
            int year, long target) {
        return Map.of("objectiveId", objectiveId, "indicator", indicator, "publicPrioritaire", publicPrioritaire,
                "year", year, "target", target);
    }

    /** Sends a stored copy of a producer's record (headers included), as its relay would. */
    public void send(EventFixture event) {
        kafka.send(event);
    }

    /** Sends a raw record without headers: a poison record, on purpose. */
    public void sendRaw(String topic, String key, String value) {
        kafka.send(topic, key, value);
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
