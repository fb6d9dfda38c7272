package fr.actionlogement.territorial.partnerships;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

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
 * The partnerships rows of the role × operation matrix of docs/security.md, one case per cell: "✓" passes
 * authorization, "403" is refused with a problem and changes nothing, "✓ own …" passes for the caller's own tenant
 * and refuses (403 or 404) another tenant's resource without changing it, and the service itself answers 401 to a
 * missing or invalid token.
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "partnerships"))
class RoleMatrixTest extends PartnershipsTestSupport {

    static final String WRITE = "Create, revise, submit an agreement; upload a draft document";
    static final String READ = "Read agreements, history, draft documents";
    static final String DECIDE = "Decide an exclusivity approval, give an investment opinion";
    static final String SIGN = "Sign, end an agreement";
    static final String NOTIFY = "Délégué notifications of submitted drafts";
    static final String UESL_DECISION = "Record the UESL's decision to stay out of or join a national body's agreement";

    static final String UESL = "uesl";
    static final String ADMIN = "admin";
    static final String DELEGUE = "delegue-territorial";
    static final String CIL = "cil";
    static final String COLLECTIVITE = "collectivite";
    static final String OBSERVATEUR = "observateur";
    static final String NO_TOKEN = "no or invalid token";
    static final List<String> ROLES = List.of(UESL, ADMIN, DELEGUE, CIL, COLLECTIVITE, OBSERVATEUR);

    enum Cell {
        ALLOWED,
        OWN,
        REFUSED
    }

    /** The cells as docs/security.md states them (and as the service decides). */
    static final Map<String, List<Cell>> MATRIX = new LinkedHashMap<>();
    static {
        // order of ROLES: uesl, admin, delegue-territorial, cil, collectivite, observateur
        MATRIX.put(WRITE, List.of(Cell.ALLOWED, Cell.ALLOWED, Cell.REFUSED, Cell.OWN, Cell.REFUSED, Cell.REFUSED));
        MATRIX.put(READ, List.of(Cell.ALLOWED, Cell.ALLOWED, Cell.OWN, Cell.OWN, Cell.OWN, Cell.REFUSED));
        MATRIX.put(DECIDE, List.of(Cell.ALLOWED, Cell.REFUSED, Cell.REFUSED, Cell.REFUSED, Cell.REFUSED, Cell.REFUSED));
        MATRIX.put(SIGN, List.of(Cell.ALLOWED, Cell.ALLOWED, Cell.REFUSED, Cell.OWN, Cell.OWN, Cell.REFUSED));
        MATRIX.put(NOTIFY, List.of(Cell.REFUSED, Cell.REFUSED, Cell.OWN, Cell.REFUSED, Cell.REFUSED, Cell.REFUSED));
        MATRIX.put(UESL_DECISION,
                List.of(Cell.ALLOWED, Cell.REFUSED, Cell.REFUSED, Cell.REFUSED, Cell.REFUSED, Cell.REFUSED));
    }

    static Stream<Arguments> cells() {
        List<Arguments> all = new ArrayList<>();
        for (String operation : MATRIX.keySet()) {
            for (String role : ROLES) {
                all.add(Arguments.of(operation, role));
            }
            all.add(Arguments.of(operation, NO_TOKEN));
        }
        return all.stream();
    }

    /** Two worlds shared by every case: the one whose resources are at stake, and another tenant's. */
    private static World mine;
    private static World other;
    /** A draft with one draft document (reads). */
    private static String readId;
    /** A submitted agreement and the notification its délégué received. */
    private static String notificationId;
    private static String notifiedAgreementId;

    private synchronized void fixtures() {
        if (mine != null) {
            return;
        }
        World w = world();
        other = world();
        readId = create(w, false, null).path("id");
        assertThat(upload(w.cilToken(), readId, "draft.pdf", "application/pdf", pdf(200)).statusCode()).isEqualTo(201);
        notifiedAgreementId = create(w, false, null).path("id");
        assertThat(submit(w.cilToken(), notifiedAgreementId).statusCode()).isEqualTo(200);
        String delegue = w.delegueToken();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> given().auth()
                .oauth2(delegue).when().get(BASE + "/notifications?size=100").then().extract()
                .<List<String>> path("items.agreementId").contains(notifiedAgreementId));
        notificationId = given().auth().oauth2(delegue).when().get(BASE + "/notifications?size=100").then().extract()
                .<List<String>> path("items.findAll { it.agreementId == '" + notifiedAgreementId + "' }.id").get(0);
        mine = w;
    }

    // ---- tokens ---------------------------------------------------------------------------------------------------

    /** The role's token within the tenant at stake (for roles without a tenant, the plain token). */
    private static String ownToken(String role) {
        return switch (role) {
            case UESL -> TestTokens.uesl();
            case ADMIN -> TestTokens.admin();
            case DELEGUE -> mine.delegueToken();
            case CIL -> mine.cilToken();
            case COLLECTIVITE -> TestTokens.collectivite(mine.epci());
            case OBSERVATEUR -> TestTokens.observateur();
            default -> throw new IllegalArgumentException(role);
        };
    }

    /** The same role in another tenant. */
    private static String otherToken(String role) {
        return switch (role) {
            case DELEGUE -> other.delegueToken();
            case CIL -> other.cilToken();
            case COLLECTIVITE -> TestTokens.collectivite(other.epci());
            default -> throw new IllegalArgumentException(role + " has no tenant");
        };
    }

    /** No token (null), then every way a token fails verification. */
    private static List<String> invalidTokens() {
        return Arrays.asList(null, TestTokens.expired(), TestTokens.wrongIssuer(), TestTokens.wrongAudience(),
                TestTokens.forgedSignature(), TestTokens.algNone());
    }

    // ---- requests -------------------------------------------------------------------------------------------------

    private static RequestSpecification as(String token) {
        RequestSpecification spec = given();
        return token == null ? spec : spec.auth().oauth2(token);
    }

    private String etagOrZero(String id) {
        String etag = given().auth().oauth2(uesl).when().get(BASE + "/agreements/" + id).then().extract().header("ETag");
        return etag == null ? "\"0\"" : etag;
    }

    private Response json(String token, String method, String path, String body, String ifMatch) {
        RequestSpecification spec = as(token).contentType(ContentType.JSON).body(body);
        if (ifMatch != null) {
            spec = spec.header("If-Match", ifMatch);
        }
        return spec.when().request(method, BASE + path);
    }

    private Response postNoBody(String token, String path, String ifMatch) {
        return as(token).header("If-Match", ifMatch).when().post(BASE + path);
    }

    private Response get(String token, String path) {
        return as(token).when().get(BASE + path);
    }

    private Response uploadAs(String token, String id) {
        return as(token).multiPart("file", "draft.pdf", pdf(300), "application/pdf")
                .when().post(BASE + "/agreements/" + id + "/documents");
    }

    /** Everything a refused request could have changed about an agreement. */
    private String snapshot(String id) {
        return etagOrZero(id) + "/" + count("SELECT count(*) FROM agreement") + "/"
                + count("SELECT count(*) FROM audit_entry WHERE aggregate_id = '" + id + "'") + "/"
                + count("SELECT count(*) FROM agreement_document WHERE agreement_id = '" + id + "'") + "/"
                + count("SELECT count(*) FROM outbox_event WHERE record_key = '" + id + "'");
    }

    private String notificationSnapshot() {
        return count("SELECT version FROM delegue_notification WHERE id = '" + notificationId + "'") + "/"
                + count("SELECT count(*) FROM delegue_notification WHERE id = '" + notificationId
                        + "' AND read_at IS NULL")
                + "/" + count("SELECT count(*) FROM audit_entry WHERE aggregate_id = '" + notificationId + "'");
    }

    private static void passes(Response r, String what) {
        assertThat(r.statusCode()).as(what + ": " + r.asString()).isNotIn(401, 403);
        assertThat(r.statusCode()).as(what + " (the fixture fits: 2xx)" + ": " + r.asString()).isBetween(200, 299);
    }

    private static void forbidden(Response r, String what) {
        assertThat(r.statusCode()).as(what + ": " + r.asString()).isEqualTo(403);
        assertThat(r.contentType()).as(what).startsWith("application/problem+json");
    }

    private static void hiddenOrForbidden(Response r, String what) {
        assertThat(r.statusCode()).as(what + ": " + r.asString()).isIn(403, 404);
    }

    private static void unauthenticated(Response r, String what) {
        assertThat(r.statusCode()).as(what + ": " + r.asString()).isEqualTo(401);
    }

    private String draft() {
        return create(mine, false, null).path("id");
    }

    private String approved() {
        String id = draft();
        assertThat(submit(mine.cilToken(), id).<String> path("status")).isEqualTo("APPROVED");
        return id;
    }

    private String pendingUeslApproval() {
        String id = create(mine, true, "[{\"kind\":\"SUBVENTION\",\"amount\":250000}]").path("id");
        assertThat(upload(mine.cilToken(), id, "draft.pdf", "application/pdf", pdf(200)).statusCode()).isEqualTo(201);
        assertThat(submit(mine.cilToken(), id).<String> path("status")).isEqualTo("PENDING_UESL_APPROVAL");
        return id;
    }

    private static final String REVISION = "{\"object\":\"Revised object\",\"durationMonths\":24,\"exclusivity\":false}";
    private static final String GRANT = "{\"granted\":true,\"reasons\":\"No other CIL present\"}";
    private static final String OPINION = "{\"favourable\":true,\"opinion\":\"Consistent with the programme\"}";
    private static final String SIGNATURE = "{\"signedOn\":\"2026-03-15\"}";
    private static final String ENDING = "{\"endedOn\":\"2029-03-14\",\"reason\":\"Term reached\"}";

    // ---- the matrix -----------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} × {1}")
    @MethodSource("cells")
    void cell(String operation, String role) {
        fixtures();
        if (NO_TOKEN.equals(role)) {
            noOrInvalidToken(operation);
            return;
        }
        Cell cell = MATRIX.get(operation).get(ROLES.indexOf(role));
        switch (operation) {
            case WRITE -> write(cell, role);
            case READ -> read(cell, role);
            case DECIDE -> decide(cell, role);
            case SIGN -> signAndEnd(cell, role);
            case NOTIFY -> notifications(cell, role);
            case UESL_DECISION -> ueslDecision(cell, role);
            default -> throw new IllegalArgumentException(operation);
        }
    }

    /** Create, revise, submit, upload, each request against {@code id} (create builds a new draft of mine). */
    private List<Response> writeRequests(String token, String id) {
        List<Response> all = new ArrayList<>();
        all.add(json(token, "POST", "/agreements", agreementJson(mine, false, null), null));
        all.add(uploadAs(token, id));
        all.add(json(token, "PUT", "/agreements/" + id, REVISION, etagOrZero(id)));
        all.add(postNoBody(token, "/agreements/" + id + "/submit", etagOrZero(id)));
        return all;
    }

    private void write(Cell cell, String role) {
        String token = ownToken(role);
        if (cell == Cell.REFUSED) {
            String id = draft();
            String before = snapshot(id);
            writeRequests(token, id).forEach(r -> forbidden(r, role + " writes"));
            assertThat(snapshot(id)).isEqualTo(before);
            return;
        }
        // allowed (or own tenant): the caller creates its draft, documents it, revises it, submits it
        Response created = json(token, "POST", "/agreements", agreementJson(mine, false, null), null);
        passes(created, role + " creates");
        String id = created.path("id");
        passes(uploadAs(token, id), role + " uploads");
        passes(json(token, "PUT", "/agreements/" + id, REVISION, etagOrZero(id)), role + " revises");
        passes(postNoBody(token, "/agreements/" + id + "/submit", etagOrZero(id)), role + " submits");
        if (cell == Cell.OWN) {
            String theirs = draft();
            String before = snapshot(theirs);
            Response create = json(otherToken(role), "POST", "/agreements", agreementJson(mine, false, null), null);
            forbidden(create, "another CIL creates for mine");
            writeRequests(otherToken(role), theirs).stream().skip(1)
                    .forEach(r -> hiddenOrForbidden(r, "another tenant writes"));
            assertThat(snapshot(theirs)).isEqualTo(before);
        }
    }

    private static final List<Function<String, String>> READ_PATHS = List.of(
            id -> "/agreements/" + id,
            id -> "/agreements/" + id + "/history",
            id -> "/agreements/" + id + "/documents",
            id -> "/agreements/" + id + "/documents/1/content");

    private void read(Cell cell, String role) {
        String token = ownToken(role);
        String list = "/agreements?cilId=" + mine.cil() + "&size=100";
        String export = "/agreements/export?format=csv&cilId=" + mine.cil();
        if (cell == Cell.REFUSED) {
            forbidden(get(token, list), role + " lists");
            forbidden(get(token, export), role + " exports");
            READ_PATHS.forEach(p -> forbidden(get(token, p.apply(readId)), role + " reads " + p.apply(readId)));
            return;
        }
        Response page = get(token, list);
        passes(page, role + " lists");
        assertThat(page.<List<String>> path("items.id")).contains(readId);
        Response exported = get(token, export);
        passes(exported, role + " exports");
        assertThat(exported.asString()).contains(readId);
        READ_PATHS.forEach(p -> passes(get(token, p.apply(readId)), role + " reads " + p.apply(readId)));
        if (cell == Cell.OWN) {
            String intruder = otherToken(role);
            Response theirs = get(intruder, list);
            passes(theirs, "another tenant lists");
            assertThat(theirs.<List<String>> path("items.id")).doesNotContain(readId);
            Response theirExport = get(intruder, export);
            passes(theirExport, "another tenant exports");
            assertThat(theirExport.asString()).doesNotContain(readId);
            READ_PATHS.forEach(p -> hiddenOrForbidden(get(intruder, p.apply(readId)), "another tenant reads"));
        }
    }

    private List<Response> decideRequests(String token, String id) {
        return List.of(json(token, "POST", "/agreements/" + id + "/exclusivity-approval", GRANT, etagOrZero(id)),
                json(token, "POST", "/agreements/" + id + "/investment-opinion", OPINION, etagOrZero(id)));
    }

    private void decide(Cell cell, String role) {
        String id = pendingUeslApproval();
        String token = ownToken(role);
        if (cell == Cell.REFUSED) {
            String before = snapshot(id);
            decideRequests(token, id).forEach(r -> forbidden(r, role + " decides"));
            assertThat(snapshot(id)).isEqualTo(before);
            return;
        }
        decideRequests(token, id).forEach(r -> passes(r, role + " decides"));
        assertThat(status(id)).isEqualTo("APPROVED");
    }

    private List<Response> signRequests(String token, String id) {
        return List.of(json(token, "POST", "/agreements/" + id + "/sign", SIGNATURE, etagOrZero(id)),
                json(token, "POST", "/agreements/" + id + "/end", ENDING, etagOrZero(id)));
    }

    private void signAndEnd(Cell cell, String role) {
        String id = approved();
        String token = ownToken(role);
        if (cell == Cell.REFUSED) {
            String before = snapshot(id);
            signRequests(token, id).forEach(r -> forbidden(r, role + " signs or ends"));
            assertThat(snapshot(id)).isEqualTo(before);
            return;
        }
        // a party signs its own side; the other side's signature is recorded first (by the UESL, for it).
        String otherSide = CIL.equals(role) ? "AUTHORITY" : COLLECTIVITE.equals(role) ? "PARTNER" : null;
        if (otherSide != null) {
            passes(json(uesl, "POST", "/agreements/" + id + "/sign",
                    "{\"signedOn\":\"2026-03-10\",\"side\":\"" + otherSide + "\"}", etagOrZero(id)),
                    "the other side signs first");
        }
        signRequests(token, id).forEach(r -> passes(r, role + " signs then ends"));
        assertThat(status(id)).isEqualTo("ENDED");
        if (cell == Cell.OWN) {
            String theirs = approved();
            String before = snapshot(theirs);
            signRequests(otherToken(role), theirs).forEach(r -> hiddenOrForbidden(r, "another tenant signs or ends"));
            assertThat(snapshot(theirs)).isEqualTo(before);
        }
    }

    private void ueslDecision(Cell cell, String role) {
        String id = json(uesl, "POST", "/agreements", """
                {"partyType":"APAGL","collectiviteId":"%s","object":"GRL","durationMonths":12}"""
                .formatted(mine.epci()), null).then().statusCode(201).extract().path("id");
        String body = "{\"staysOut\":true,\"decidedOn\":\"2026-01-10\",\"reasons\":\"APAGL's own policy\"}";
        Response r = json(ownToken(role), "POST", "/agreements/" + id + "/uesl-decision", body, etagOrZero(id));
        if (cell == Cell.REFUSED) {
            forbidden(r, role + " records a UESL decision");
            assertThat(count("SELECT count(*) FROM agreement_uesl_decision WHERE agreement_id = '" + id + "'"))
                    .isZero();
            return;
        }
        passes(r, role + " records a UESL decision");
    }

    private List<Response> notificationRequests(String token) {
        String etag = given().auth().oauth2(mine.delegueToken()).when().get(BASE + "/notifications/" + notificationId)
                .then().statusCode(200).extract().header("ETag");
        return List.of(get(token, "/notifications"), get(token, "/notifications/" + notificationId),
                postNoBody(token, "/notifications/" + notificationId + "/read", etag));
    }

    private void notifications(Cell cell, String role) {
        String token = ownToken(role);
        if (cell == Cell.REFUSED) {
            String before = notificationSnapshot();
            notificationRequests(token).forEach(r -> forbidden(r, role + " reads the délégué inbox"));
            assertThat(notificationSnapshot()).isEqualTo(before);
            return;
        }
        // the délégué of the region reads its inbox, the notification, and marks it read
        Response inbox = get(token, "/notifications?size=100");
        passes(inbox, "délégué lists");
        assertThat(inbox.<List<String>> path("items.id")).contains(notificationId);
        notificationRequests(token).forEach(r -> passes(r, "délégué reads or marks read"));
        assertThat(count("SELECT count(*) FROM delegue_notification WHERE id = '" + notificationId
                + "' AND read_at IS NOT NULL")).isEqualTo(1);
        // another region's délégué neither sees nor marks it
        String before = notificationSnapshot();
        List<Response> theirs = notificationRequests(otherToken(role));
        passes(theirs.get(0), "another délégué lists");
        assertThat(theirs.get(0).<List<String>> path("items.id")).doesNotContain(notificationId);
        theirs.stream().skip(1).forEach(r -> hiddenOrForbidden(r, "another délégué reads or marks"));
        assertThat(notificationSnapshot()).isEqualTo(before);
    }

    private void noOrInvalidToken(String operation) {
        for (String token : invalidTokens()) {
            String label = token == null ? "no token" : "invalid token";
            switch (operation) {
                case WRITE -> {
                    String id = readId;
                    String before = snapshot(id);
                    writeRequests(token, id).forEach(r -> unauthenticated(r, label + " writes"));
                    assertThat(snapshot(id)).isEqualTo(before);
                }
                case READ -> {
                    unauthenticated(get(token, "/agreements"), label + " lists");
                    unauthenticated(get(token, "/agreements/export"), label + " exports");
                    READ_PATHS.forEach(p -> unauthenticated(get(token, p.apply(readId)), label + " reads"));
                }
                case DECIDE, SIGN -> {
                    String id = notifiedAgreementId;
                    String before = snapshot(id);
                    (operation.equals(DECIDE) ? decideRequests(token, id) : signRequests(token, id))
                            .forEach(r -> unauthenticated(r, label + " " + operation));
                    assertThat(snapshot(id)).isEqualTo(before);
                }
                case NOTIFY -> {
                    String before = notificationSnapshot();
                    notificationRequests(token).forEach(r -> unauthenticated(r, label + " reads the inbox"));
                    assertThat(notificationSnapshot()).isEqualTo(before);
                }
                case UESL_DECISION -> {
                    String before = snapshot(readId);
                    unauthenticated(json(token, "POST", "/agreements/" + readId + "/uesl-decision",
                            "{\"staysOut\":true,\"decidedOn\":\"2026-01-10\",\"reasons\":\"x\"}", "\"0\""),
                            label + " records a UESL decision");
                    assertThat(snapshot(readId)).isEqualTo(before);
                }
                default -> throw new IllegalArgumentException(operation);
            }
            if (token == null) {
                Response r = get(null, "/agreements");
                assertThat(r.contentType()).startsWith("application/problem+json");
            }
        }
    }
}
