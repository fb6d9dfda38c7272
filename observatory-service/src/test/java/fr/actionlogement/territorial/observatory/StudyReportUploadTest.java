package fr.actionlogement.territorial.observatory;

import static fr.actionlogement.territorial.observatory.Fixtures.API;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The study report upload: the caller's right and the size limit are decided before the body is read (a request
 * that declares a 30 MB body and sends only its first bytes is answered at once), and the content must be a PDF by
 * its first bytes, whatever the Content-Type says.
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "observatory"))
class StudyReportUploadTest {

    private static final long THIRTY_MB = 30L * 1024 * 1024;

    @Inject
    DataSource dataSource;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @TestHTTPResource("/")
    URI base;

    private String cil;
    private String study;

    @BeforeEach
    void commissionedStudy() throws Exception {
        Fixtures fx = new Fixtures(bootstrap, dataSource);
        Fixtures.Hierarchy h = fx.hierarchy();
        cil = "7" + String.format("%08d", Math.abs(UUID.randomUUID().hashCode()) % 100_000_000);
        fx.presence(cil, h.region(), true);
        fx.awaitCount("SELECT count(*) FROM cil_presence WHERE cil_id = '" + cil + "'", 1);
        study = given().auth().oauth2(TestTokens.cil(cil)).contentType(ContentType.JSON).body("""
                {"title":"Rapport","territoryId":"%s","topics":["ADEQUATION_OFFRE_DEMANDE_ACCESSION"],
                 "publicsPrioritaires":["SALARIES_EN_MOBILITE"],"launchingCilIds":["%s"],
                 "operationalInterest":"Housing for employees moving to the new plant","cost":1000,
                 "financing":[{"partnerType":"CIL","partnerId":"%s","partnerName":"CIL","amount":1000}],
                 "sources":[{"type":"PARTNER_DATA","name":"Pôle emploi"}]}""".formatted(h.commune2(), cil, cil))
                .when().post(API + "/studies").then().statusCode(201).extract().path("id");
        given().auth().oauth2(TestTokens.cil(cil)).contentType(ContentType.JSON).header("If-Match", "\"0\"").body("{}")
                .when().post(API + "/studies/" + study + "/commission").then().statusCode(200);
    }

    @Test
    @DisplayName("a caller without the right is refused (403, or 404 when it may not even see the study) before the body is read: 30 MB declared, 64 KB sent")
    void rightCheckedBeforeTheBodyIsRead() throws Exception {
        String stranger = TestTokens.cil("775685019");
        Answer a = declareAndStall(stranger, "application/pdf", THIRTY_MB);
        System.out.printf("StudyReportUploadTest: 30 MB declared by another CIL -> %s in %d ms%n", a.status, a.millis);
        assertThat(a.status).matches("HTTP/1.1 40[34] .*");
        assertThat(a.head).containsIgnoringCase("content-type: application/problem+json");
    }

    @Test
    @DisplayName("a declared length over the limit is refused (413) before the body is read; the report is unchanged")
    void sizeCheckedBeforeTheBodyIsRead() throws Exception {
        Answer a = declareAndStall(TestTokens.cil(cil), "application/pdf", THIRTY_MB);
        System.out.printf("StudyReportUploadTest: 30 MB declared by the study's CIL -> %s in %d ms%n", a.status,
                a.millis);
        assertThat(a.status).startsWith("HTTP/1.1 413");
        assertThat(a.body).contains("/problems/payload-too-large");
        given().auth().oauth2(TestTokens.cil(cil)).when().get(API + "/studies/" + study).then().statusCode(200)
                .body("reportAttached", equalTo(false));
    }

    @Test
    @DisplayName("the content is sniffed: not a PDF is 415 whatever the Content-Type; a PDF sent as octet-stream is stored as application/pdf")
    void contentIsSniffed() {
        given().auth().oauth2(TestTokens.cil(cil)).contentType("application/pdf").header("If-Match", "\"1\"")
                .body("GIF89a not a report".getBytes(StandardCharsets.US_ASCII)).when()
                .put(API + "/studies/" + study + "/report").then().statusCode(415)
                .contentType("application/problem+json").body("type", equalTo("/problems/unsupported-media-type"));
        given().auth().oauth2(TestTokens.cil(cil)).contentType("application/pdf").header("If-Match", "\"1\"")
                .body("<html><script>alert(1)</script></html>".getBytes(StandardCharsets.US_ASCII)).when()
                .put(API + "/studies/" + study + "/report").then().statusCode(415);
        given().auth().oauth2(TestTokens.cil(cil)).when().get(API + "/studies/" + study).then()
                .body("reportAttached", equalTo(false));

        given().auth().oauth2(TestTokens.cil(cil)).contentType("application/octet-stream").header("If-Match", "\"1\"")
                .body("%PDF-1.7 rapport".getBytes(StandardCharsets.US_ASCII)).when()
                .put(API + "/studies/" + study + "/report").then().statusCode(200);
        given().auth().oauth2(TestTokens.cil(cil)).when().get(API + "/studies/" + study + "/report").then()
                .statusCode(200).contentType("application/pdf");
    }

    private record Answer(String status, String head, String body, long millis) {
    }

    /**
     * Declares {@code length} bytes, sends the first 64 KB and stops: an endpoint that read the body before deciding
     * would wait for the rest, and the read below would time out.
     */
    private Answer declareAndStall(String token, String contentType, long length) throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            long start = System.nanoTime();
            out.write(("PUT " + API + "/studies/" + study + "/report HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + token + "\r\nContent-Type: " + contentType + "\r\nIf-Match: \"1\"\r\nContent-Length: " + length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            System.arraycopy("%PDF-1.4".getBytes(StandardCharsets.US_ASCII), 0, chunk, 0, 8);
            out.write(chunk);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            String text = "";
            int n;
            while ((n = in.read(buf)) > 0) {
                answer.write(buf, 0, n);
                text = answer.toString(StandardCharsets.UTF_8);
                int end = text.indexOf("\r\n\r\n");
                if (end > 0 && text.indexOf('}', end) > 0) {
                    break;
                }
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            return new Answer(head.lines().findFirst().orElse(""), head, end < 0 ? "" : text.substring(end + 4),
                    millis);
        }
    }
}
