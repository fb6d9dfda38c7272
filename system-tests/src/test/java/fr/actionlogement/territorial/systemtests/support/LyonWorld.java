package fr.actionlogement.territorial.systemtests.support;

import static fr.actionlogement.territorial.systemtests.support.GatewayApi.json;
import static fr.actionlogement.territorial.systemtests.support.GatewayApi.newKey;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;

import fr.actionlogement.territorial.localstack.DemoUsers;

/**
 * The prerequisites every journey shares, made by the UESL through the public API once per stack: CILs and a
 * filiale registered in territories-service, their presence on the Métropole de Lyon, the conférence régionale
 * Auvergne-Rhône-Alpes and its délégué territorial ({@code delegue.ara}). The demo CIL of the realm
 * ({@code cil_id} of {@code cil.demo}) is registered and present on Lyon too, unless a previous step (e.g. the
 * getting-started walkthrough) already did it. The CILs of the journeys get fresh SIRENs, so the journeys never
 * depend on data that another test made.
 */
public final class LyonWorld {

    public static final String REGION = "84";
    public static final String LYON_SIREN = DemoUsers.LYON_COLLECTIVITE_ID;
    /** Métropole de Lyon in the official reference (EPCI nature MET69). */
    public static final String LYON = "EPCI:" + LYON_SIREN;
    public static final String LYON_BASIN = "BASSIN:lyon";
    public static final String GRENOBLE_SIREN = "200040715";
    /** Grenoble-Alpes-Métropole, the EPCI of the wave-1 demo basin BASSIN:grenoble. */
    public static final String GRENOBLE = "EPCI:" + GRENOBLE_SIREN;
    public static final String GRENOBLE_BASIN = "BASSIN:grenoble";
    public static final String GRENOBLE_CONFERENCE = "CT:grenoble:protocole-cadre-2013";
    public static final String DEMO_CIL = DemoUsers.DEMO_CIL_ID;

    /** A CIL present on Lyon, another present on Lyon, a filiale of the first. */
    public record Cils(String present, String alsoPresent, String filiale) {
    }

    private static Cils cils;

    private LyonWorld() {
    }

    public static String siren() {
        return "3" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
    }

    /** Makes the shared prerequisites on the first call; later calls return them. */
    public static synchronized Cils ensure(GatewayApi api) {
        if (cils != null) {
            return cils;
        }
        var uesl = Identity.UESL;
        Cils made = new Cils(siren(), siren(), siren());
        register(api, made.present(), "CIL Rhône-Alpes " + made.present(), null).expect(201);
        register(api, made.alsoPresent(), "CIL Lyonnais " + made.alsoPresent(), null).expect(201);
        Reply filiale = register(api, made.filiale(), "Filiale " + made.filiale(), made.present()).expect(201);
        // territories-service: Location leads to the registered filiale, under its parent.
        assertThat(api.as(uesl).follow(filiale.location()).expect(200).at("/parentCilId")).isEqualTo(made.present());

        Reply demo = register(api, DEMO_CIL, "CIL démo", null);
        assertThat(demo.status()).as("demo CIL: %s", demo.text()).isIn(201, 409);

        for (String cil : List.of(made.present(), made.alsoPresent(), DEMO_CIL)) {
            presentOnLyon(api, cil);
        }
        regionalConferenceIncludes(api, Set.of(made.present(), made.alsoPresent(), DEMO_CIL));
        delegueIsDelegueAra(api);
        cils = made;
        return made;
    }

    private static Reply register(GatewayApi api, String id, String name, String parent) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("id", id);
        body.put("name", name);
        body.put("parentCilId", parent);
        return api.as(Identity.UESL).idempotencyKey(newKey()).post("/api/territories/cils", json(body));
    }

    private static void presentOnLyon(GatewayApi api, String cil) {
        JsonNode presences = api.as(Identity.UESL).get("/api/territories/cils/" + cil + "/presences").expect(200).json();
        for (JsonNode p : presences) {
            if (LYON.equals(p.path("territoryId").asText()) && p.path("present").asBoolean()) {
                return;
            }
        }
        Reply r = api.as(Identity.UESL).idempotencyKey(newKey()).post("/api/territories/cils/" + cil + "/presences",
                json(Map.of("territoryId", LYON, "since", "2010-01-01", "reason", "Collecte auprès des entreprises"
                        + " de la métropole")))
                .expect(201);
        assertThat(api.as(Identity.UESL).follow(r.location()).expect(200).at("/territoryId")).isEqualTo(LYON);
    }

    private static void regionalConferenceIncludes(GatewayApi api, Set<String> members) {
        String path = "/api/territories/regional-conferences/" + REGION;
        Reply current = api.as(Identity.UESL).get(path);
        Set<String> all = new LinkedHashSet<>();
        var call = api.as(Identity.UESL);
        if (current.status() == 200) {
            current.json().path("memberCilIds").forEach(m -> all.add(m.asText()));
            call.ifMatch(current.etag());
        } else {
            current.expect(404);
        }
        if (all.containsAll(members)) {
            return;
        }
        all.addAll(members);
        call.put(path, json(Map.of("memberCilIds", List.copyOf(all), "reason", "CIL présents en région")))
                .expect(200);
    }

    private static void delegueIsDelegueAra(GatewayApi api) {
        String subject = api.claims(Identity.DELEGUE_ARA).path("sub").asText();
        String path = "/api/territories/delegues/" + REGION;
        Reply current = api.as(Identity.UESL).get(path);
        var call = api.as(Identity.UESL);
        if (current.status() == 200) {
            if (subject.equals(current.at("/subject"))) {
                return;
            }
            call.ifMatch(current.etag());
        } else {
            current.expect(404);
        }
        call.put(path, json(Map.of("subject", subject, "username", DemoUsers.DELEGUE_ARA, "since", "2011-01-01",
                "reason", "Nomination du délégué territorial")))
                .expect(200);
    }
}
