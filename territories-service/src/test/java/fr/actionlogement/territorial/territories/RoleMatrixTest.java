package fr.actionlogement.territorial.territories;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The territories rows of the role × operation matrix of docs/security.md, one case per cell: every role against
 * every row (reads, UESL/admin writes, loadReference), plus the service's own refusal of a missing or invalid
 * token. Refused writes are proved to change nothing (same ETags, same row counts and versions).
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "territories"))
class RoleMatrixTest {

    static final String API = "/api/territories";

    static final String READS = "every read (GET)";
    static final String WRITES = "register/rename CIL, presences, regional conference, délégué, protocol, installation, basin, programming work, tension import";
    static final String LOAD = "loadReference (R-30)";

    // Fixtures owned by this class (ids no other test of the module uses).
    static final String FIXTURE_CIL = "310000000";
    static final String FIXTURE_REGION = "24";
    static final String FIXTURE_BASIN = "BASSIN:matrice-fixture";
    static final String FIXTURE_CONFERENCE = "CT:matrice-fixture:protocole-cadre-2013";
    static final String UNTOUCHED_COMMUNE = "COMMUNE:45234";

    static volatile String fixturePresence;
    static volatile String fixtureWork;

    /** The matrix as docs/security.md states it: which roles each row allows. */
    static final Map<String, Set<String>> ALLOWED = new LinkedHashMap<>();
    static {
        ALLOWED.put(READS, Set.of("uesl", "admin", "delegue-territorial", "cil", "collectivite", "observateur"));
        ALLOWED.put(WRITES, Set.of("uesl", "admin"));
        ALLOWED.put(LOAD, Set.of("admin"));
    }

    static final List<String> ROLES = List.of("uesl", "admin", "delegue-territorial", "cil", "collectivite",
            "observateur");

    @Inject
    DataSource dataSource;

    static String token(String role) {
        return switch (role) {
            case "uesl" -> TestTokens.uesl();
            case "admin" -> TestTokens.admin();
            case "delegue-territorial" -> TestTokens.delegue(FIXTURE_REGION);
            case "cil" -> TestTokens.cil(FIXTURE_CIL);
            case "collectivite" -> TestTokens.collectivite("21231");
            case "observateur" -> TestTokens.observateur();
            default -> throw new IllegalArgumentException(role);
        };
    }

    static Stream<Arguments> cells() {
        return ALLOWED.keySet().stream().flatMap(op -> ROLES.stream().map(role -> Arguments.of(op, role)));
    }

    static Stream<Arguments> rows() {
        return ALLOWED.keySet().stream().map(Arguments::of);
    }

    static RequestSpecification as(String token) {
        return token == null ? given() : given().auth().oauth2(token);
    }

    @ParameterizedTest(name = "{0} × {1}")
    @MethodSource("cells")
    void roleCell(String operation, String role) throws Exception {
        fixtures();
        boolean allowed = ALLOWED.get(operation).contains(role);
        String token = token(role);
        switch (operation) {
            case READS -> {
                for (String path : readPaths()) {
                    Response r = as(token).when().get(API + path);
                    assertThat(r.statusCode()).as("GET %s as %s", path, role).isNotIn(401, 403).isEqualTo(200);
                }
            }
            case WRITES -> {
                if (allowed) {
                    performWrites(role, token);
                } else {
                    String before = snapshot();
                    for (var attempt : writeAttempts().entrySet()) {
                        Response r = attempt.getValue().apply(as(token));
                        assertThat(r.statusCode()).as("%s as %s", attempt.getKey(), role).isEqualTo(403);
                        assertThat(r.contentType()).as("%s as %s", attempt.getKey(), role)
                                .startsWith("application/problem+json");
                    }
                    assertThat(snapshot()).as("nothing changed after refused writes of " + role).isEqualTo(before);
                }
            }
            case LOAD -> {
                if (allowed) {
                    Response r = as(token).when().post(API + "/reference/loads");
                    assertThat(r.statusCode()).as("loadReference as %s", role).isNotIn(401, 403).isEqualTo(200);
                } else {
                    String before = snapshot();
                    Response r = as(token).when().post(API + "/reference/loads?force=true");
                    assertThat(r.statusCode()).as("loadReference as %s", role).isEqualTo(403);
                    assertThat(r.contentType()).startsWith("application/problem+json");
                    assertThat(snapshot()).isEqualTo(before);
                }
            }
            default -> throw new IllegalArgumentException(operation);
        }
    }

    @ParameterizedTest(name = "{0} × no or invalid token")
    @MethodSource("rows")
    void noOrInvalidToken(String operation) throws Exception {
        fixtures();
        Map<String, Supplier<String>> tokens = new LinkedHashMap<>();
        tokens.put("no token", () -> null);
        tokens.put("expired", TestTokens::expired);
        tokens.put("wrong issuer", TestTokens::wrongIssuer);
        tokens.put("wrong audience", TestTokens::wrongAudience);
        tokens.put("forged signature", TestTokens::forgedSignature);
        tokens.put("alg none", TestTokens::algNone);
        String before = snapshot();
        for (var t : tokens.entrySet()) {
            String token = t.getValue().get();
            switch (operation) {
                case READS -> {
                    for (String path : readPaths()) {
                        Response r = as(token).when().get(API + path);
                        assertThat(r.statusCode()).as("GET %s, %s", path, t.getKey()).isEqualTo(401);
                    }
                }
                case WRITES -> {
                    for (var attempt : writeAttempts().entrySet()) {
                        Response r = attempt.getValue().apply(as(token));
                        assertThat(r.statusCode()).as("%s, %s", attempt.getKey(), t.getKey()).isEqualTo(401);
                    }
                }
                case LOAD -> {
                    Response r = as(token).when().post(API + "/reference/loads?force=true");
                    assertThat(r.statusCode()).as("loadReference, %s", t.getKey()).isEqualTo(401);
                }
                default -> throw new IllegalArgumentException(operation);
            }
            if (token == null) {
                assertThat(as(null).when().get(API + "/territories?q=lyon").contentType())
                        .startsWith("application/problem+json");
            }
        }
        assertThat(snapshot()).as("nothing changed without a valid token").isEqualTo(before);
    }

    // --- fixtures -------------------------------------------------------------------------------------------

    /**
     * Made once by the UESL: a CIL with a presence, region 24's conference and délégué, a basin, its conference and a
     * programming work.
     */
    synchronized void fixtures() {
        if (fixtureWork != null) {
            return;
        }
        String uesl = TestTokens.uesl();
        json(uesl).body("{\"id\":\"" + FIXTURE_CIL + "\",\"name\":\"CIL matrice\"}")
                .when().post(API + "/cils").then().statusCode(201);
        fixturePresence = json(uesl).body("{\"territoryId\":\"EPCI:242100410\",\"since\":\"2013-01-01\"}")
                .when().post(API + "/cils/" + FIXTURE_CIL + "/presences").then().statusCode(201).extract().path("id");
        json(uesl).body("{\"memberCilIds\":[\"" + FIXTURE_CIL + "\"]}")
                .when().put(API + "/regional-conferences/" + FIXTURE_REGION).then().statusCode(200);
        json(uesl).body("{\"subject\":\"delegue-24\",\"username\":\"centre\",\"since\":\"2013-09-01\"}")
                .when().put(API + "/delegues/" + FIXTURE_REGION).then().statusCode(200);
        json(uesl).body(basin("matrice-fixture", "242100410"))
                .when().post(API + "/basins").then().statusCode(201);
        fixtureWork = json(uesl).body(work("PLH"))
                .when().post(API + "/conferences/" + FIXTURE_CONFERENCE + "/programming-works").then().statusCode(201)
                .extract().path("id");
    }

    static RequestSpecification json(String token) {
        return as(token).contentType(ContentType.JSON);
    }

    static String basin(String slug, String epci) {
        return """
                {"slug":"%s","name":"Bassin %s","wave":2,"epciSirens":["%s"],"tension":"B1",
                 "tensionSource":"Zonage ABC 2014","protocolId":"protocole-cadre-2013"}""".formatted(slug, slug, epci);
    }

    static String work(String type) {
        return """
                {"documentType":"%s","title":"%s de test","authorityId":"242100410","authorityName":"Dijon Métropole",
                 "periodStart":"2016-01-01","periodEnd":"2021-12-31","associatedOn":"2014-02-01","status":"IN_PROGRESS"}"""
                .formatted(type, type);
    }

    static final String PROTOCOL = """
            {"id":"%s","title":"Protocole de test","signedOn":"2016-03-01","periodStart":"2016-01-01",
             "periodEnd":"2018-12-31","parties":["UESL","AdCF"],"waves":[{"wave":1,"label":"Vague 1","startsOn":"2016-01-01"}]}""";

    static final String INSTALLATION = """
            {"installedOn":"2014-03-01","members":[{"organisation":"MEDEF","college":"EMPLOYEURS"},
             {"organisation":"CFDT","college":"SALARIES"}]}""";

    List<String> readPaths() {
        String cil = "/cils/" + FIXTURE_CIL;
        String conf = "/conferences/" + FIXTURE_CONFERENCE;
        return List.of("/territories?q=lyon", "/territories/COMMUNE:69123", "/territories/COMMUNE:75056/hierarchy",
                "/territories/EPCI:200046977/members", "/territories/COMMUNE:69123/parts",
                "/territories/EPCI:242100410/cils", "/reference/loads",
                "/basins", "/basins/" + FIXTURE_BASIN, "/basins/" + FIXTURE_BASIN + "/history",
                "/protocols", "/protocols/protocole-cadre-2013",
                "/conferences", "/conferences/overdue", conf, conf + "/history", conf + "/programming-works",
                conf + "/programming-works/" + fixtureWork,
                "/cils", cil, cil + "/history", cil + "/presences", cil + "/presences/" + fixturePresence,
                "/regional-conferences", "/regional-conferences/" + FIXTURE_REGION,
                "/regional-conferences/" + FIXTURE_REGION + "/history",
                "/delegues", "/delegues/" + FIXTURE_REGION, "/delegues/" + FIXTURE_REGION + "/history");
    }

    /** Paths of the fixtures whose ETag a refused write must leave unchanged. */
    List<String> etagPaths() {
        return List.of("/cils/" + FIXTURE_CIL, "/cils/" + FIXTURE_CIL + "/presences/" + fixturePresence,
                "/regional-conferences/" + FIXTURE_REGION, "/delegues/" + FIXTURE_REGION, "/basins/" + FIXTURE_BASIN,
                "/conferences/" + FIXTURE_CONFERENCE,
                "/conferences/" + FIXTURE_CONFERENCE + "/programming-works/" + fixtureWork,
                "/protocols/protocole-cadre-2013", "/territories/" + UNTOUCHED_COMMUNE);
    }

    Map<String, String> etags() {
        Map<String, String> etags = new LinkedHashMap<>();
        for (String path : etagPaths()) {
            etags.put(path, as(TestTokens.uesl()).when().get(API + path).then().statusCode(200).extract().header("ETag"));
        }
        return etags;
    }

    /** Every write of the row, aimed at the fixtures with valid bodies and current If-Match. */
    Map<String, Function<RequestSpecification, Response>> writeAttempts() {
        Map<String, String> e = etags();
        String cil = API + "/cils/" + FIXTURE_CIL;
        String conf = API + "/conferences/" + FIXTURE_CONFERENCE;
        Map<String, Function<RequestSpecification, Response>> w = new LinkedHashMap<>();
        w.put("registerCil", s -> s.contentType(ContentType.JSON).body("{\"id\":\"319999999\",\"name\":\"Refusé\"}")
                .post(API + "/cils"));
        w.put("renameCil", s -> s.contentType(ContentType.JSON).header("If-Match", e.get("/cils/" + FIXTURE_CIL))
                .body("{\"name\":\"Renommé\"}").put(cil));
        w.put("addPresence", s -> s.contentType(ContentType.JSON)
                .body("{\"territoryId\":\"EPCI:243700754\",\"since\":\"2013-01-01\"}").post(cil + "/presences"));
        w.put("changePresence", s -> s.contentType(ContentType.JSON)
                .header("If-Match", e.get("/cils/" + FIXTURE_CIL + "/presences/" + fixturePresence))
                .body("{\"territoryId\":\"EPCI:242100410\",\"since\":\"2013-01-01\",\"until\":\"2015-12-31\"}")
                .put(cil + "/presences/" + fixturePresence));
        w.put("setRegionalConference", s -> s.contentType(ContentType.JSON)
                .header("If-Match", e.get("/regional-conferences/" + FIXTURE_REGION)).body("{\"memberCilIds\":[]}")
                .put(API + "/regional-conferences/" + FIXTURE_REGION));
        w.put("assignDelegue", s -> s.contentType(ContentType.JSON)
                .header("If-Match", e.get("/delegues/" + FIXTURE_REGION))
                .body("{\"subject\":\"me\",\"username\":\"me\",\"since\":\"2020-01-01\"}")
                .put(API + "/delegues/" + FIXTURE_REGION));
        w.put("recordProtocol", s -> s.contentType(ContentType.JSON).body(PROTOCOL.formatted("matrice-refuse"))
                .post(API + "/protocols"));
        w.put("installConference", s -> s.contentType(ContentType.JSON)
                .header("If-Match", e.get("/conferences/" + FIXTURE_CONFERENCE)).body(INSTALLATION)
                .post(conf + "/installation"));
        w.put("defineBasin", s -> s.contentType(ContentType.JSON).body(basin("matrice-refuse", "243700754"))
                .post(API + "/basins"));
        w.put("updateBasin", s -> s.contentType(ContentType.JSON).header("If-Match", e.get("/basins/" + FIXTURE_BASIN))
                .body(basin("matrice-fixture", "243700754")).put(API + "/basins/" + FIXTURE_BASIN));
        w.put("associateProgrammingWork", s -> s.contentType(ContentType.JSON).body(work("PDU"))
                .post(conf + "/programming-works"));
        w.put("updateProgrammingWork", s -> s.contentType(ContentType.JSON)
                .header("If-Match", e.get("/conferences/" + FIXTURE_CONFERENCE + "/programming-works/" + fixtureWork))
                .body(work("PLH").replace("IN_PROGRESS", "ADOPTED"))
                .put(conf + "/programming-works/" + fixtureWork));
        w.put("importTension", s -> s.contentType("text/csv").queryParam("source", "Zonage ABC 2014")
                .body("code_insee;zone\n45234;A\n").post(API + "/tension-imports"));
        return w;
    }

    /** ETags of the fixtures, row counts and version sums of every table the writes touch. */
    String snapshot() throws Exception {
        List<String> parts = new ArrayList<>();
        etags().forEach((path, etag) -> parts.add(path + "=" + etag));
        String sql = """
                SELECT concat_ws(' | ',
                  (SELECT count(*) || ':' || coalesce(sum(version), 0) FROM cil),
                  (SELECT count(*) || ':' || coalesce(sum(version), 0) FROM cil_presence),
                  (SELECT count(*) || ':' || coalesce(sum(version), 0) FROM regional_conference),
                  (SELECT count(*) FROM regional_conference_member),
                  (SELECT count(*) || ':' || coalesce(sum(version), 0) FROM delegue),
                  (SELECT count(*) || ':' || coalesce(sum(version), 0) FROM framework_protocol),
                  (SELECT count(*) FROM protocol_wave),
                  (SELECT count(*) || ':' || coalesce(sum(version), 0) FROM basin),
                  (SELECT count(*) FROM basin_epci),
                  (SELECT count(*) || ':' || coalesce(sum(version), 0) FROM territorial_conference),
                  (SELECT count(*) FROM conference_member),
                  (SELECT count(*) || ':' || coalesce(sum(version), 0) FROM programming_work),
                  (SELECT count(*) FILTER (WHERE tension IS NOT NULL) || ':' || sum(version) FROM territory),
                  (SELECT count(*) FROM reference_load))""";
        try (var c = dataSource.getConnection(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            parts.add(rs.getString(1));
        }
        return String.join("\n", parts);
    }

    /** The whole row done by an allowed role on resources of its own: each write succeeds. */
    void performWrites(String role, String token) {
        int n = role.equals("uesl") ? 1 : 2;
        String cilId = "31000000" + n;
        String region = n == 1 ? "27" : "28";
        String slug = "matrice-" + role;
        String epci = n == 1 ? "244500468" : "200023414";
        String commune = n == 1 ? "21231" : "37261";

        String etag = json(token).body("{\"id\":\"" + cilId + "\",\"name\":\"CIL matrice " + role + "\"}")
                .when().post(API + "/cils").then().statusCode(201).extract().header("ETag");
        json(token).header("If-Match", etag).body("{\"name\":\"CIL matrice " + role + " renommé\"}")
                .when().put(API + "/cils/" + cilId).then().statusCode(200);
        var presence = json(token).body("{\"territoryId\":\"EPCI:243700754\",\"since\":\"2013-01-01\"}")
                .when().post(API + "/cils/" + cilId + "/presences").then().statusCode(201).extract();
        json(token).header("If-Match", presence.header("ETag"))
                .body("{\"territoryId\":\"EPCI:243700754\",\"since\":\"2013-01-01\",\"until\":\"2015-12-31\"}")
                .when().put(API + "/cils/" + cilId + "/presences/" + presence.path("id")).then().statusCode(200);
        json(token).body("{\"memberCilIds\":[\"" + cilId + "\"]}")
                .when().put(API + "/regional-conferences/" + region).then().statusCode(200);
        json(token).body("{\"subject\":\"delegue-" + region + "\",\"username\":\"matrice" + n + "\",\"since\":\"2014-01-01\"}")
                .when().put(API + "/delegues/" + region).then().statusCode(200);
        json(token).body(PROTOCOL.formatted("matrice-protocole-" + n))
                .when().post(API + "/protocols").then().statusCode(201);
        String basinEtag = json(token).body(basin(slug, epci))
                .when().post(API + "/basins").then().statusCode(201).extract().header("ETag");
        json(token).header("If-Match", basinEtag).body(basin(slug, epci).replace("\"B1\"", "\"A\""))
                .when().put(API + "/basins/BASSIN:" + slug).then().statusCode(200);
        String conference = API + "/conferences/CT:" + slug + ":protocole-cadre-2013";
        String confEtag = as(token).when().get(conference).then().statusCode(200).extract().header("ETag");
        json(token).header("If-Match", confEtag).body(INSTALLATION)
                .when().post(conference + "/installation").then().statusCode(200);
        var work = json(token).body(work("SCOT"))
                .when().post(conference + "/programming-works").then().statusCode(201).extract();
        json(token).header("If-Match", work.header("ETag")).body(work("SCOT").replace("IN_PROGRESS", "ADOPTED"))
                .when().put(conference + "/programming-works/" + work.path("id")).then().statusCode(200);
        as(token).contentType("text/csv").queryParam("source", "Zonage ABC 2014")
                .body("code_insee;zone\n" + commune + ";B1\n")
                .when().post(API + "/tension-imports").then().statusCode(200);
    }
}
