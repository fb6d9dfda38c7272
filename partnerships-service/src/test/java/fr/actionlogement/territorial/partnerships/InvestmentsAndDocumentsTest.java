package fr.actionlogement.territorial.partnerships;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.testsupport.KafkaTestClient;
import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "partnerships"))
class InvestmentsAndDocumentsTest extends PartnershipsTestSupport {

    private static final String LARGE_SUBSIDY = "[{\"kind\":\"SUBVENTION\",\"amount\":250000,\"description\":\"40 PLAI\"}]";

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private long documentRows(String id) {
        return count("SELECT count(*) FROM agreement_document WHERE agreement_id = '" + id + "'");
    }

    private long contentRows(String id) {
        return count("SELECT count(*) FROM document_content c JOIN agreement_document d ON d.id = c.document_id "
                + "WHERE d.agreement_id = '" + id + "'");
    }

    @Test
    @DisplayName("R-22 investments above the threshold cannot be submitted without the draft document, and nothing changes")
    void largeInvestmentNeedsDocument() {
        World w = world();
        String id = create(w, false, LARGE_SUBSIDY).path("id");
        long events = count("SELECT count(*) FROM outbox_event WHERE record_key = '" + id + "'");
        var refused = submit(w.cilToken(), id);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.<String> path("rule")).isEqualTo("R-22");
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(status(id)).isEqualTo("DRAFT");
        assertThat(count("SELECT count(*) FROM outbox_event WHERE record_key = '" + id + "'")).isEqualTo(events);
    }

    @Test
    @DisplayName("R-22 with the draft attached the UESL is asked for its opinion (the event carries the document); a favourable opinion approves")
    void opinionRequestedWithDocument() throws Exception {
        World w = world();
        String id = create(w, false, LARGE_SUBSIDY).path("id");
        byte[] pdf = pdf(2048);
        assertThat(upload(w.cilToken(), id, "projet.pdf", "application/pdf", pdf).statusCode()).isEqualTo(201);
        var submitted = submit(w.cilToken(), id);
        assertThat(submitted.<String> path("status")).isEqualTo("PENDING_UESL_APPROVAL");
        assertThat(submitted.<String> path("investmentOpinion")).isEqualTo("PENDING");
        assertThat(submitted.<String> path("exclusivityApproval")).isEqualTo("NOT_REQUIRED");

        var records = new KafkaTestClient(bootstrap).await("partnerships.events.v1",
                r -> id.equals(r.key()) && r.value().contains("InvestmentOpinionRequested"), 1, Duration.ofSeconds(30));
        assertThat(records).hasSize(1);
        assertThat(records.get(0).value()).contains(sha256(pdf), "\"threshold\":100000", "\"amount\":250000.00");

        var early = post(w.cilToken(), id, "sign", "{\"signedOn\":\"2026-03-15\"}");
        assertThat(early.statusCode()).isEqualTo(422);
        assertThat(early.<String> path("rule")).isEqualTo("R-22");
        assertThat(post(w.cilToken(), id, "investment-opinion", "{\"favourable\":true}").statusCode()).isEqualTo(403);
        var approved = post(uesl, id, "investment-opinion", "{\"favourable\":true,\"opinion\":\"Consistent\"}");
        assertThat(approved.<String> path("status")).isEqualTo("APPROVED");
        assertThat(approved.<String> path("investmentOpinion")).isEqualTo("GRANTED");
    }

    @Test
    @DisplayName("R-22 an unfavourable opinion needs reasons and rejects the agreement, which can then not be signed")
    void unfavourableOpinionRejects() {
        World w = world();
        String id = create(w, false, "[{\"kind\":\"PARTICIPATION\",\"amount\":10}]").path("id");
        upload(w.cilToken(), id, "projet.pdf", "application/pdf", pdf(100));
        assertThat(submit(w.cilToken(), id).<String> path("status")).isEqualTo("PENDING_UESL_APPROVAL");
        var noReason = post(uesl, id, "investment-opinion", "{\"favourable\":false}");
        assertThat(noReason.statusCode()).isEqualTo(422);
        assertThat(noReason.<String> path("rule")).isEqualTo("R-22");
        var rejected = post(uesl, id, "investment-opinion",
                "{\"favourable\":false,\"opinion\":\"Equity stake not justified\"}");
        assertThat(rejected.<String> path("status")).isEqualTo("REJECTED");
        var sign = post(w.cilToken(), id, "sign", "{\"signedOn\":\"2026-03-15\"}");
        assertThat(sign.statusCode()).isEqualTo(422);
        assertThat(sign.<String> path("rule")).isEqualTo("R-22");
    }

    @Test
    @DisplayName("R-22 investments at or below their thresholds need no UESL opinion; R-21 and R-22 together need both answers")
    void thresholdsAndCombinedReview() {
        World w = world();
        String small = create(w, false, "[{\"kind\":\"SUBVENTION\",\"amount\":100000},{\"kind\":\"PRET\",\"amount\":300000}]")
                .path("id");
        assertThat(submit(w.cilToken(), small).<String> path("status")).isEqualTo("APPROVED");

        String both = create(w, true, "[{\"kind\":\"PRET\",\"amount\":300000.01}]").path("id");
        upload(w.cilToken(), both, "projet.pdf", "application/pdf", pdf(100));
        assertThat(submit(w.cilToken(), both).<String> path("status")).isEqualTo("PENDING_UESL_APPROVAL");
        assertThat(post(uesl, both, "exclusivity-approval", "{\"granted\":true}").<String> path("status"))
                .isEqualTo("PENDING_UESL_APPROVAL");
        assertThat(post(uesl, both, "investment-opinion", "{\"favourable\":true}").<String> path("status"))
                .isEqualTo("APPROVED");
    }

    @Test
    @DisplayName("R-22 the draft PDF is stored with its SHA-256, versions are kept, and each downloads byte for byte as application/pdf")
    void uploadAndDownloadVersions() throws Exception {
        World w = world();
        String id = create(w, false, null).path("id");
        byte[] v1 = pdf(1000);
        byte[] v2 = pdf(3000);
        var first = upload(w.cilToken(), id, "projet v1.pdf", "application/pdf", v1);
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.<String> path("sha256")).isEqualTo(sha256(v1));
        assertThat(first.<Integer> path("version")).isEqualTo(1);
        assertThat(first.<Integer> path("sizeBytes")).isEqualTo(1000);
        assertThat(first.header("Location")).endsWith("/api/partnerships/agreements/" + id + "/documents/1/content");
        var second = upload(w.cilToken(), id, "projet-v2.pdf", "application/pdf", v2);
        assertThat(second.<Integer> path("version")).isEqualTo(2);

        byte[] downloaded = given().auth().oauth2(w.cilToken()).when()
                .get(BASE + "/agreements/" + id + "/documents/1/content")
                .then().statusCode(200).contentType("application/pdf")
                .header("Content-Disposition", "attachment; filename=\"projet v1.pdf\"").extract().asByteArray();
        assertThat(downloaded).isEqualTo(v1);
        given().auth().oauth2(w.cilToken()).when().get(BASE + "/agreements/" + id + "/documents")
                .then().statusCode(200).body("version", is(List.of(2, 1))).body("[0].sha256", is(sha256(v2)));
        given().auth().oauth2(w.cilToken()).when().get(BASE + "/agreements/" + id)
                .then().body("latestDocument.version", is(2));
        given().auth().oauth2(w.cilToken()).when().get(BASE + "/agreements/" + id + "/documents/9/content")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    @DisplayName("a non-PDF renamed .pdf, a PDF sent as another type, an empty file and a file over the limit are refused with problems and store nothing")
    void badUploadsStoreNothing() {
        World w = world();
        String id = create(w, false, null).path("id");
        String cil = w.cilToken();
        var renamed = upload(cil, id, "projet.pdf", "application/pdf", "PK\u0003\u0004 a zip in disguise".getBytes());
        assertThat(renamed.statusCode()).isEqualTo(415);
        assertThat(renamed.contentType()).startsWith("application/problem+json");
        assertThat(upload(cil, id, "projet.pdf", "text/plain", pdf(100)).statusCode()).isEqualTo(415);
        var empty = upload(cil, id, "projet.pdf", "application/pdf", new byte[0]);
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.<List<String>> path("errors.field")).contains("file");
        var large = upload(cil, id, "projet.pdf", "application/pdf", pdf(64 * 1024 + 1));
        assertThat(large.statusCode()).isEqualTo(413);
        assertThat(large.contentType()).startsWith("application/problem+json");
        var noPart = given().auth().oauth2(cil).multiPart("other", "x.pdf", pdf(10), "application/pdf")
                .when().post(BASE + "/agreements/" + id + "/documents").then().extract();
        assertThat(noPart.statusCode()).isEqualTo(400);
        assertThat(documentRows(id)).isZero();
        assertThat(contentRows(id)).isZero();
        assertThat(count("SELECT count(*) FROM audit_entry WHERE aggregate_id = '" + id + "' AND action = 'DOCUMENT_UPLOADED'"))
                .isZero();
        // Exactly at the limit is accepted.
        assertThat(upload(cil, id, "projet.pdf", "application/pdf", pdf(64 * 1024)).statusCode()).isEqualTo(201);
    }

    @Test
    @DisplayName("R-24 documents are uploaded while the agreement is a DRAFT; an Idempotency-Key retry stores one version")
    void uploadOnlyOnDraftsAndIdempotent() {
        World w = world();
        String id = create(w, false, null).path("id");
        String key = UUID.randomUUID().toString();
        byte[] pdf = pdf(500);
        for (int i = 0; i < 2; i++) {
            given().auth().oauth2(w.cilToken()).header("Idempotency-Key", key)
                    .multiPart("file", "projet.pdf", pdf, "application/pdf")
                    .when().post(BASE + "/agreements/" + id + "/documents").then().statusCode(201).body("version", is(1));
        }
        assertThat(documentRows(id)).isEqualTo(1);
        submit(w.cilToken(), id);
        var late = upload(w.cilToken(), id, "projet.pdf", "application/pdf", pdf(600));
        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(late.<String> path("rule")).isEqualTo("R-24");
        assertThat(documentRows(id)).isEqualTo(1);
        assertThat(upload(TestTokens.collectivite(w.epci()), id, "x.pdf", "application/pdf", pdf(10)).statusCode())
                .isEqualTo(403);
    }
}
