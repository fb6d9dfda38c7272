package fr.actionlogement.territorial.observatory;

import static fr.actionlogement.territorial.observatory.Fixtures.API;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
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
 * The observatory rows of the role × operation matrix of docs/security.md, one case per cell: every role against
 * every row (reads, adding an indicator, observation writes, needs-study writes), plus the service's own refusal
 * of a missing or invalid token. Refused writes are proved to change nothing (same ETags, same row counts).
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "observatory"))
class RoleMatrixTest {

    static final String READS = "read observations, aggregates, indicators, studies, reports, imports, histories, CSV export";
    static final String INDICATOR = "add an indicator";
    static final String OBSERVATIONS = "record, correct, publish, import observations (R-43)";
    static final String STUDIES = "propose, revise, commission, deliver, publish a needs study; attach its report (R-40..R-42)";

    static final List<String> ROLES = List.of("uesl", "admin", "delegue-territorial", "cil", "collectivite",
            "observateur");

    /** The matrix as the service decides it: which roles each row lets through (own-tenant rules apply inside). */
    static final Map<String, Set<String>> ALLOWED = new LinkedHashMap<>();
    static {
        ALLOWED.put(READS, Set.copyOf(ROLES));
        ALLOWED.put(INDICATOR, Set.of("uesl", "admin"));
        ALLOWED.put(OBSERVATIONS, Set.of("uesl", "admin", "delegue-territorial", "cil", "collectivite"));
        ALLOWED.put(STUDIES, Set.of("uesl", "admin", "cil"));
    }

    static final String CIL = "731000001";
    static final String OTHER_CIL = "731000002";
    static final String COLLECTIVITE = "69123";
    static final String DEMANDES = "DEMANDES_LOGEMENT_SALARIES";

    /** Made once: a territory hierarchy, CIL presences, a public import, a shared observation, studies. */
    static volatile Fixtures.Hierarchy h;
    static volatile String publicBatch;
    static volatile long publicObservation;
    static volatile long sharedUeslObservation;
    static volatile String publishedStudy;
    static volatile String proposedStudy;
    static volatile String otherCilStudy;

    @Inject
    DataSource dataSource;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    Fixtures fx;

    static String token(String role) {
        return switch (role) {
            case "uesl" -> TestTokens.uesl();
            case "admin" -> TestTokens.admin();
            case "delegue-territorial" -> TestTokens.delegue("84");
            case "cil" -> TestTokens.cil(CIL);
            case "collectivite" -> TestTokens.collectivite(COLLECTIVITE);
            case "observateur" -> TestTokens.observateur();
            default -> throw new IllegalArgumentException(role);
        };
    }

    static Stream<Arguments> cells() {
        return ALLOWED.keySet().stream().flatMap(op -> ROLES.stream().map(role -> Arguments.of(op, role)));
    }

    static Stream<Arguments> roles() {
        return ROLES.stream().map(Arguments::of);
    }

    static Stream<Arguments> rows() {
        return ALLOWED.keySet().stream().map(Arguments::of);
    }

    static RequestSpecification as(String token) {
        return token == null ? given() : given().auth().oauth2(token);
    }

    static RequestSpecification json(String token) {
        return as(token).contentType(ContentType.JSON);
    }

    @ParameterizedTest(name = "{0} × {1}")
    @MethodSource("cells")
    void roleCell(String operation, String role) {
        fixtures();
        boolean allowed = ALLOWED.get(operation).contains(role);
        String token = token(role);
        switch (operation) {
            case READS -> {
                for (String path : readPaths()) {
                    Response r = as(token).when().get(API + path);
                    assertThat(r.statusCode()).as("GET %s as %s", path, role).isNotIn(401, 403).isLessThan(500);
                }
            }
            case INDICATOR -> {
                if (allowed) {
                    Response r = addIndicator(as(token), "MATRICE_" + Fixtures.unique());
                    assertThat(r.statusCode()).as("addIndicator as %s", role).isEqualTo(201);
                } else {
                    String code = "MATRICE_" + Fixtures.unique();
                    long before = fx.count("SELECT count(*) FROM indicator");
                    refused(addIndicator(as(token), code), "addIndicator as " + role);
                    assertThat(fx.count("SELECT count(*) FROM indicator")).isEqualTo(before);
                    as(TestTokens.uesl()).when().get(API + "/indicators/" + code).then().statusCode(404);
                }
            }
            case OBSERVATIONS -> {
                if (allowed) {
                    ownObservationWrites(role, token);
                    if (!role.equals("uesl") && !role.equals("admin")) {
                        otherTenantObservationRefused(role, token);
                    }
                } else {
                    String before = observationSnapshot();
                    for (var attempt : observationWrites().entrySet()) {
                        refused(attempt.getValue().apply(as(token)), attempt.getKey() + " as " + role);
                    }
                    assertThat(observationSnapshot()).as("nothing changed after refused writes of " + role)
                            .isEqualTo(before);
                }
            }
            case STUDIES -> {
                if (allowed) {
                    ownStudyLifecycle(role, token);
                    if (role.equals("cil")) {
                        otherCilStudyRefused(token);
                    }
                } else {
                    String before = studySnapshot();
                    for (var attempt : studyWrites().entrySet()) {
                        refused(attempt.getValue().apply(as(token)), attempt.getKey() + " as " + role);
                    }
                    assertThat(studySnapshot()).as("nothing changed after refused writes of " + role).isEqualTo(before);
                }
            }
            default -> throw new IllegalArgumentException(operation);
        }
    }

    @ParameterizedTest(name = "{0} × no or invalid token")
    @MethodSource("rows")
    void noOrInvalidToken(String operation) {
        fixtures();
        Map<String, Supplier<String>> tokens = new LinkedHashMap<>();
        tokens.put("no token", () -> null);
        tokens.put("expired", TestTokens::expired);
        tokens.put("wrong issuer", TestTokens::wrongIssuer);
        tokens.put("wrong audience", TestTokens::wrongAudience);
        tokens.put("forged signature", TestTokens::forgedSignature);
        tokens.put("alg none", TestTokens::algNone);
        String before = observationSnapshot() + studySnapshot() + fx.count("SELECT count(*) FROM indicator");
        for (var t : tokens.entrySet()) {
            String token = t.getValue().get();
            switch (operation) {
                case READS -> {
                    List<String> paths = new java.util.ArrayList<>(readPaths());
                    paths.add("/conventions/CONV-MATRICE-UNKNOWN/comparison");
                    for (String path : paths) {
                        Response r = as(token).when().get(API + path);
                        assertThat(r.statusCode()).as("GET %s, %s", path, t.getKey()).isEqualTo(401);
                    }
                }
                case INDICATOR -> assertThat(addIndicator(as(token), "MATRICE_" + Fixtures.unique()).statusCode())
                        .as("addIndicator, %s", t.getKey()).isEqualTo(401);
                case OBSERVATIONS -> {
                    for (var attempt : observationWrites().entrySet()) {
                        assertThat(attempt.getValue().apply(as(token)).statusCode())
                                .as("%s, %s", attempt.getKey(), t.getKey()).isEqualTo(401);
                    }
                }
                case STUDIES -> {
                    for (var attempt : studyWrites().entrySet()) {
                        assertThat(attempt.getValue().apply(as(token)).statusCode())
                                .as("%s, %s", attempt.getKey(), t.getKey()).isEqualTo(401);
                    }
                }
                default -> throw new IllegalArgumentException(operation);
            }
        }
        assertThat(observationSnapshot() + studySnapshot() + fx.count("SELECT count(*) FROM indicator"))
                .as("nothing changed without a valid token").isEqualTo(before);
    }

    static final String COMPARISON = "compareConventionWithNeeds under the convention's own visibility";

    /**
     * The comparison shows a convention's objectives and achievements: it follows the convention's visibility as
     * conventions-service applies it (docs/security.md), carried by ConventionSigned's {@code regionCode} and
     * {@code partyKeys}. Three conventions: one of région 84 whose parties are the matrix's CIL and authority, one
     * of another région and other parties, one from a record written before the events carried its visibility
     * (the UESL's only). Hidden ones are 404 problems, observers are refused (403), and nothing is changed.
     */
    @ParameterizedTest(name = COMPARISON + " × {0}")
    @MethodSource("roles")
    void comparisonCell(String role) {
        fixtures();
        conventions();
        String token = token(role);
        boolean all = role.equals("uesl") || role.equals("admin");
        Map<String, Integer> expected = new LinkedHashMap<>();
        if (role.equals("observateur")) {
            expected.put(partiesConvention, 403);
            expected.put(otherConvention, 403);
            expected.put(oldRecordConvention, 403);
        } else {
            expected.put(partiesConvention, 200); // the délégué's région; the CIL's and the authority's convention
            expected.put(otherConvention, all ? 200 : 404);
            expected.put(oldRecordConvention, all ? 200 : 404);
        }
        String before = comparisonSnapshot();
        for (var e : expected.entrySet()) {
            Response r = as(token).when().get(API + "/conventions/" + e.getKey() + "/comparison");
            assertThat(r.statusCode()).as("comparison of %s as %s", e.getKey(), role).isEqualTo(e.getValue());
            if (e.getValue() == 200) {
                assertThat(r.<String> path("conventionId")).isEqualTo(e.getKey());
                assertThat(r.<List<Object>> path("objectives")).hasSize(1);
            } else {
                assertThat(r.contentType()).as("comparison of %s as %s", e.getKey(), role)
                        .startsWith("application/problem+json");
                assertThat(r.asString()).as("a refusal shows nothing of the convention").doesNotContain("MATRICE_OBJECTIF");
            }
        }
        assertThat(comparisonSnapshot()).as("nothing changed by the reads of " + role).isEqualTo(before);
    }

    static final String STUDY_PARTS = "reviseNeedsStudy: another launching CIL's membership and financing share (R-40, R-41)";

    /**
     * A study launched by two CILs (the UESL proposed it): removing one of them, or rewriting its financing share,
     * is that CIL's or the UESL's to do. The co-launching CIL is refused (403, nothing changed) but may change its
     * own share; roles that write no studies are refused too.
     */
    @ParameterizedTest(name = STUDY_PARTS + " × {0}")
    @MethodSource("roles")
    void studyPartsCell(String role) {
        fixtures();
        String token = token(role);
        Map<String, String> attempts = new LinkedHashMap<>();
        attempts.put("remove the other launching CIL", coStudy(Map.of(CIL, 1000)));
        attempts.put("rewrite the other CIL's financing share", coStudy(Map.of(CIL, 500, OTHER_CIL, 100)));
        for (var attempt : attempts.entrySet()) {
            String id = proposeBody(TestTokens.uesl(), coStudy(Map.of(CIL, 500, OTHER_CIL, 500)));
            String tag = etag(id);
            Response r = json(token).header("If-Match", tag).body(attempt.getValue()).when().put(API + "/studies/" + id);
            if (role.equals("uesl") || role.equals("admin")) {
                assertThat(r.statusCode()).as("%s as %s", attempt.getKey(), role).isEqualTo(200);
                assertThat(new java.math.BigDecimal(r.<Object> path("financedAmount").toString()))
                        .as("the UESL's change applied").matches(v -> v.compareTo(java.math.BigDecimal.valueOf(1000)) == 0
                                || v.compareTo(java.math.BigDecimal.valueOf(600)) == 0);
            } else {
                refused(r, attempt.getKey() + " as " + role);
                assertThat(etag(id)).as("the study unchanged after %s as %s", attempt.getKey(), role).isEqualTo(tag);
                Response now = as(TestTokens.uesl()).when().get(API + "/studies/" + id);
                assertThat(now.<List<String>> path("launchingCilIds")).containsExactlyInAnyOrder(CIL, OTHER_CIL);
                assertThat(new java.math.BigDecimal(now.<Object> path(
                        "financing.find { it.partnerId == '" + OTHER_CIL + "' }.amount").toString()))
                        .isEqualByComparingTo("500");
            }
        }
        if (role.equals("cil")) {
            // its own share is its own to change
            String id = proposeBody(TestTokens.uesl(), coStudy(Map.of(CIL, 500, OTHER_CIL, 500)));
            Response own = json(token).header("If-Match", etag(id)).body(coStudy(Map.of(CIL, 200, OTHER_CIL, 500)))
                    .when().put(API + "/studies/" + id);
            assertThat(own.statusCode()).as("the co-launching CIL changes its own share").isEqualTo(200);
            assertThat(new java.math.BigDecimal(own.<Object> path("financedAmount").toString()))
                    .isEqualByComparingTo("700");
        }
    }

    static String proposeBody(String token, String body) {
        return json(token).body(body).when().post(API + "/studies").then().statusCode(201).extract().path("id");
    }

    /** A study launched by these CILs, each financing the amount given; the cost is the sum. */
    static String coStudy(Map<String, Integer> shares) {
        var sorted = new java.util.TreeMap<>(shares);
        String launching = String.join(",", sorted.keySet().stream().map(c -> "\"" + c + "\"").toList());
        String financing = String.join(",", sorted.entrySet().stream()
                .map(e -> "{\"partnerType\":\"CIL\",\"partnerId\":\"%s\",\"partnerName\":\"CIL %s\",\"amount\":%d}"
                        .formatted(e.getKey(), e.getKey(), e.getValue()))
                .toList());
        int cost = sorted.values().stream().mapToInt(Integer::intValue).sum();
        return """
                {"title":"Étude co-lancée","territoryId":"%s","scale":"Métropole",
                 "topics":["ACCES_LOCATIF_SOCIAL"],"publicsPrioritaires":["JEUNES_SALARIES"],"launchingCilIds":[%s],
                 "operationalInterest":"matrice","cost":%d,"financing":[%s],
                 "sources":[{"type":"PROVIDER","name":"Cabinet Habitat Conseil"}]}""".formatted(h.epci(), launching,
                cost, financing);
    }

    static volatile String partiesConvention;
    static volatile String otherConvention;
    static volatile String oldRecordConvention;

    /** The three conventions of {@link #comparisonCell}, sent once as conventions-service's relay writes them. */
    synchronized void conventions() {
        if (oldRecordConvention != null) {
            return;
        }
        List<Map<String, Object>> objectives = List.of(Fixtures.objective(java.util.UUID.randomUUID().toString(),
                "MATRICE_OBJECTIF", "JEUNES_SALARIES", 2024, 10));
        String parties = "CONV-MATRICE-" + Fixtures.unique();
        String other = "CONV-MATRICE-" + Fixtures.unique();
        String old = "CONV-MATRICE-" + Fixtures.unique();
        fx.send(Fixtures.conventionSigned(parties, h.epci(), "2024-01-15", objectives, "84",
                List.of("CIL:" + CIL, "COLLECTIVITE:" + COLLECTIVITE, "UESL:UESL")));
        fx.send(Fixtures.conventionSigned(other, h.epci(), "2024-01-15", objectives, "93",
                List.of("CIL:" + OTHER_CIL, "COLLECTIVITE:13055")));
        fx.send(Fixtures.conventionSigned(old, h.epci(), "2024-01-15", objectives, "84",
                List.of("CIL:" + CIL, "COLLECTIVITE:" + COLLECTIVITE)).without("regionCode").without("partyKeys"));
        fx.awaitCount("SELECT count(*) FROM convention WHERE convention_id IN ('" + parties + "','" + other + "','"
                + old + "')", 3);
        assertThat(fx.count("SELECT count(*) FROM convention WHERE convention_id = '" + old
                + "' AND party_keys IS NULL AND region_code IS NULL")).as("an older record's visibility is not known")
                .isEqualTo(1);
        partiesConvention = parties;
        otherConvention = other;
        oldRecordConvention = old;
    }

    String comparisonSnapshot() {
        return fx.count("SELECT count(*) FROM convention") + "/" + fx.count("SELECT count(*) FROM convention_achievement")
                + "/" + fx.count("SELECT count(*) FROM observation");
    }

    // --- fixtures -------------------------------------------------------------------------------------------

    synchronized void fixtures() {
        fx = new Fixtures(bootstrap, dataSource);
        if (otherCilStudy != null) {
            return;
        }
        h = fx.hierarchy();
        fx.presence(CIL, h.epci(), true);
        fx.presence(OTHER_CIL, h.epci(), true);
        fx.awaitCount("SELECT count(*) FROM cil_presence WHERE territory_id = '" + h.epci() + "'", 2);
        String uesl = TestTokens.uesl();
        publicBatch = as(uesl).contentType("text/csv")
                .body(csv(h.commune1() + "," + DEMANDES + ",JEUNES_SALARIES,2023-03,100,matrice public\n"))
                .when().post(API + "/observations/imports?visibility=PUBLIC").then().statusCode(201).extract()
                .path("batchId");
        publicObservation = ((Number) as(uesl).when().get(API + "/observations?batchId=" + publicBatch).then()
                .statusCode(200).extract().path("items[0].id")).longValue();
        sharedUeslObservation = ((Number) json(uesl).body(observation(h.commune2(), "matrice shared", "SHARED"))
                .when().post(API + "/observations").then().statusCode(201).extract().path("id")).longValue();
        String published = proposeOk(uesl, CIL);
        transition(uesl, published, "commission", "{}").statusCode(200);
        as(uesl).contentType("application/pdf").header("If-Match", etag(published))
                .body("%PDF-1.4 matrice".getBytes(StandardCharsets.UTF_8))
                .when().put(API + "/studies/" + published + "/report").then().statusCode(200);
        transition(uesl, published, "delivery", "{\"resultsSummary\":\"matrice\"}").statusCode(200);
        transition(uesl, published, "publication", "{}").statusCode(200);
        publishedStudy = published;
        proposedStudy = proposeOk(uesl, CIL);
        otherCilStudy = proposeOk(TestTokens.cil(OTHER_CIL), OTHER_CIL);
    }

    static String csv(String rows) {
        return ObservationTest.HEADER + rows;
    }

    static String observation(String territory, String source, String visibility) {
        return """
                {"territoryId":"%s","indicator":"%s","publicPrioritaire":"JEUNES_SALARIES","period":"2024-03","value":7,
                 "source":"%s"%s}""".formatted(territory, DEMANDES, source,
                visibility == null ? "" : ",\"visibility\":\"" + visibility + "\"");
    }

    static String study(String cil) {
        return """
                {"title":"Étude matrice","territoryId":"%s","scale":"Métropole",
                 "topics":["ACCES_LOCATIF_SOCIAL"],"publicsPrioritaires":["JEUNES_SALARIES"],"launchingCilIds":["%s"],
                 "operationalInterest":"matrice","cost":1000,
                 "financing":[{"partnerType":"CIL","partnerId":"%s","partnerName":"CIL","amount":1000}],
                 "sources":[{"type":"PROVIDER","name":"Cabinet Habitat Conseil"}]}""".formatted(h.epci(), cil, cil);
    }

    static String proposeOk(String token, String cil) {
        return json(token).body(study(cil)).when().post(API + "/studies").then().statusCode(201).extract().path("id");
    }

    static String etag(String study) {
        return as(TestTokens.uesl()).when().get(API + "/studies/" + study).then().statusCode(200).extract()
                .header("ETag");
    }

    static io.restassured.response.ValidatableResponse transition(String token, String study, String action,
            String body) {
        return json(token).header("If-Match", etag(study)).body(body).when()
                .post(API + "/studies/" + study + "/" + action).then();
    }

    static Response addIndicator(RequestSpecification spec, String code) {
        return spec.contentType(ContentType.JSON).body("""
                {"code":"%s","label":"Indicateur matrice","unit":"logements","definition":"test","aggregation":"SUM"}"""
                .formatted(code)).when().post(API + "/indicators");
    }

    static void refused(Response r, String what) {
        assertThat(r.statusCode()).as(what).isEqualTo(403);
        assertThat(r.contentType()).as(what).startsWith("application/problem+json");
    }

    List<String> readPaths() {
        String obs = "/observations/" + publicObservation;
        String st = "/studies/" + publishedStudy;
        return List.of("/observations?territoryId=" + h.epci() + "&includeSubTerritories=true", obs, obs + "/history",
                "/observations/export?format=csv&territoryId=" + h.commune1(),
                "/observations/imports/" + publicBatch, "/observations/imports/" + publicBatch + "/rejections",
                "/aggregates?territoryId=" + h.region() + "&indicator=" + DEMANDES + "&from=2020&to=2024",
                "/indicators", "/indicators/" + DEMANDES,
                "/studies?territoryId=" + h.epci(), st, st + "/report", st + "/history");
    }

    /** Every observation write, aimed at the UESL's shared observation and public import (or new rows). */
    Map<String, Function<RequestSpecification, Response>> observationWrites() {
        String obs = API + "/observations/" + sharedUeslObservation;
        Map<String, Function<RequestSpecification, Response>> m = new LinkedHashMap<>();
        m.put("recordObservation", s -> s.contentType(ContentType.JSON)
                .body(observation(h.commune1(), "refused " + Fixtures.unique(), null)).when().post(API + "/observations"));
        m.put("importObservations", s -> s.contentType("text/csv")
                .body(csv(h.commune1() + "," + DEMANDES + ",JEUNES_SALARIES,2022,1,refused " + Fixtures.unique() + "\n"))
                .when().post(API + "/observations/imports"));
        m.put("correctObservation", s -> s.contentType(ContentType.JSON).header("If-Match", "\"0\"")
                .body("{\"value\":1,\"source\":\"refused\"}").when().put(obs));
        m.put("publishObservation", s -> s.contentType(ContentType.JSON).header("If-Match", "\"0\"")
                .body("{\"visibility\":\"PUBLIC\"}").when().post(obs + "/publication"));
        m.put("publishImport", s -> s.contentType(ContentType.JSON).header("If-Match", "\"0\"")
                .body("{\"visibility\":\"PUBLIC\"}").when()
                .post(API + "/observations/imports/" + publicBatch + "/publication"));
        return m;
    }

    String observationSnapshot() {
        String uesl = TestTokens.uesl();
        return fx.count("SELECT count(*) FROM observation") + "/" + fx.count("SELECT count(*) FROM observation_batch")
                + "/" + as(uesl).when().get(API + "/observations/" + sharedUeslObservation).header("ETag") + "/"
                + as(uesl).when().get(API + "/observations/" + sharedUeslObservation).path("visibility") + "/"
                + as(uesl).when().get(API + "/observations/imports/" + publicBatch).header("ETag");
    }

    /** Every needs-study write, aimed at the UESL's proposed study (or a new one). */
    Map<String, Function<RequestSpecification, Response>> studyWrites() {
        String st = API + "/studies/" + proposedStudy;
        Map<String, Function<RequestSpecification, Response>> m = new LinkedHashMap<>();
        m.put("proposeNeedsStudy", s -> s.contentType(ContentType.JSON).body(study(CIL)).when().post(API + "/studies"));
        m.put("reviseNeedsStudy", s -> s.contentType(ContentType.JSON).header("If-Match", "\"0\"").body(study(CIL))
                .when().put(st));
        m.put("commissionNeedsStudy", s -> s.contentType(ContentType.JSON).header("If-Match", "\"0\"").body("{}")
                .when().post(st + "/commission"));
        m.put("deliverNeedsStudy", s -> s.contentType(ContentType.JSON).header("If-Match", "\"0\"")
                .body("{\"resultsSummary\":\"refused\"}").when().post(st + "/delivery"));
        m.put("publishNeedsStudy", s -> s.contentType(ContentType.JSON).header("If-Match", "\"0\"").body("{}")
                .when().post(st + "/publication"));
        m.put("attachNeedsStudyReport", s -> s.contentType("application/pdf").header("If-Match", "\"0\"")
                .body("%PDF refused".getBytes(StandardCharsets.UTF_8)).when().put(st + "/report"));
        return m;
    }

    String studySnapshot() {
        return fx.count("SELECT count(*) FROM needs_study") + "/" + fx.count("SELECT count(*) FROM needs_study_report")
                + "/" + etag(proposedStudy) + "/" + etag(otherCilStudy);
    }

    // --- allowed and own-tenant writes ------------------------------------------------------------------------

    /** Record, correct, publish one observation; import a CSV and publish the import: all as the caller. */
    void ownObservationWrites(String role, String token) {
        Response rec = json(token).body(observation(h.commune1(), "own " + role + " " + Fixtures.unique(), null))
                .when().post(API + "/observations");
        assertThat(rec.statusCode()).as("recordObservation as %s", role).isEqualTo(201);
        String url = API + "/observations/" + rec.path("id");
        Response cor = json(token).header("If-Match", rec.header("ETag"))
                .body("{\"value\":8,\"source\":\"own corrected " + Fixtures.unique() + "\"}").when().put(url);
        assertThat(cor.statusCode()).as("correctObservation as %s", role).isEqualTo(200);
        Response pub = json(token).header("If-Match", cor.header("ETag")).body("{\"visibility\":\"SHARED\"}")
                .when().post(url + "/publication");
        assertThat(pub.statusCode()).as("publishObservation as %s", role).isEqualTo(200);
        Response imp = as(token).contentType("text/csv")
                .body(csv(h.commune2() + "," + DEMANDES + ",JEUNES_SALARIES,2021,3,own import " + Fixtures.unique() + "\n"))
                .when().post(API + "/observations/imports");
        assertThat(imp.statusCode()).as("importObservations as %s", role).isEqualTo(201);
        String batch = API + "/observations/imports/" + imp.path("batchId");
        Response pubImp = json(token).header("If-Match", imp.header("ETag")).body("{\"visibility\":\"SHARED\"}")
                .when().post(batch + "/publication");
        assertThat(pubImp.statusCode()).as("publishImport as %s", role).isEqualTo(200);
    }

    /** Another producer's observation (the UESL's, shared so the caller sees it) and import: refused, unchanged. */
    void otherTenantObservationRefused(String role, String token) {
        String before = observationSnapshot();
        for (String write : List.of("correctObservation", "publishObservation", "publishImport")) {
            Response r = observationWrites().get(write).apply(as(token));
            assertThat(r.statusCode()).as("%s of another producer as %s", write, role).isIn(403, 404);
        }
        assertThat(observationSnapshot()).as("another producer's observations unchanged by " + role).isEqualTo(before);
    }

    /** Propose (in the caller's own CIL's name for a CIL), revise, commission, attach, deliver, publish. */
    void ownStudyLifecycle(String role, String token) {
        String id = proposeOk(token, CIL);
        json(token).header("If-Match", etag(id)).body(study(CIL).replace("Étude matrice", "Étude matrice revue"))
                .when().put(API + "/studies/" + id).then().statusCode(200);
        transition(token, id, "commission", "{}").statusCode(200);
        as(token).contentType("application/pdf").header("If-Match", etag(id))
                .body("%PDF-1.4 own".getBytes(StandardCharsets.UTF_8)).when().put(API + "/studies/" + id + "/report")
                .then().statusCode(200);
        transition(token, id, "delivery", "{\"resultsSummary\":\"own\"}").statusCode(200);
        transition(token, id, "publication", "{}").statusCode(200);
    }

    /** A CIL may neither launch in another CIL's name nor change another CIL's study. */
    void otherCilStudyRefused(String token) {
        String before = studySnapshot();
        refused(json(token).body(study(OTHER_CIL)).when().post(API + "/studies"), "propose in another CIL's name");
        String st = API + "/studies/" + otherCilStudy;
        assertThat(json(token).header("If-Match", "\"0\"").body(study(OTHER_CIL)).when().put(st).statusCode())
                .as("revise another CIL's study").isIn(403, 404);
        assertThat(json(token).header("If-Match", "\"0\"").body("{}").when().post(st + "/commission").statusCode())
                .as("commission another CIL's study").isIn(403, 404);
        assertThat(studySnapshot()).as("another CIL's study unchanged").isEqualTo(before);
    }
}
