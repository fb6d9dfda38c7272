package fr.actionlogement.territorial.buildingblocks.input;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.testsupport.OversizedBody;
import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The 1 MB default body limit: refused with 413 problem+json before the body is read, declared or chunked. */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "building_blocks"))
class BodyLimitTest {

    private static final long FIFTY_MB = 50L * 1024 * 1024;

    @TestHTTPResource("/")
    URI base;

    @Test
    @DisplayName("a 50 MB JSON body with Content-Length is refused with 413 problem+json before it is read")
    void declaredOversizedBodyIsRefusedAtOnce() throws Exception {
        OversizedBody.Answer r = send(false);
        System.out.printf("BodyLimitTest: 50 MB declared JSON body -> %s in %d ms after %d bytes sent%n", r.status(),
                r.millis(), r.sent());
        assertThat(r.status()).startsWith("HTTP/1.1 413");
        assertThat(r.head()).containsIgnoringCase("content-type: application/problem+json");
        assertThat(r.body()).contains("/problems/payload-too-large");
        assertThat(r.millis()).isLessThan(2_000);
        assertThat(r.sent()).isLessThan(FIFTY_MB);
    }

    @Test
    @DisplayName("a chunked JSON body is counted as it arrives and refused with 413 once past 1 MB")
    void chunkedOversizedBodyIsRefusedOncePastTheLimit() throws Exception {
        OversizedBody.Answer r = send(true);
        System.out.printf("BodyLimitTest: chunked 50 MB JSON body -> %s in %d ms after %d bytes sent%n", r.status(),
                r.millis(), r.sent());
        assertThat(r.status()).startsWith("HTTP/1.1 413");
        assertThat(r.body()).contains("/problems/payload-too-large");
        assertThat(r.millis()).isLessThan(5_000);
        assertThat(r.sent()).isLessThan(FIFTY_MB);
    }

    @Test
    @DisplayName("bodies under the limit, declared or chunked, still reach the endpoint")
    void smallBodiesPass() {
        given().auth().oauth2(TestTokens.uesl()).contentType(ContentType.JSON).body("{\"text\":\"small\"}")
                .post("/probes").then().statusCode(201);
        // 900 KB of JSON: parsed, then refused by validation (text is at most 50 characters), not by the limit.
        String big = "{\"text\":\"" + "a".repeat(900 * 1024) + "\"}";
        given().auth().oauth2(TestTokens.uesl()).contentType(ContentType.JSON).body(big).post("/probes").then()
                .statusCode(400);
    }

    @Test
    @DisplayName("an upload content type is not buffered by the JSON limit (the endpoint streams it with its own)")
    void uploadsAreNotCapped() {
        // /probes consumes JSON only: 415 from the endpoint, not 413 from the limit.
        given().auth().oauth2(TestTokens.uesl()).contentType("text/csv").body("a".repeat(2 * 1024 * 1024))
                .post("/probes").then().statusCode(415);
    }

    @Test
    @DisplayName("a form-encoded body the endpoint cannot read is refused with a problem+json, whatever its size")
    void formEncodedBodiesAreRefusedAsProblems() {
        // OpenApiFuzzTest, seed 20261130: a form-encoded PUT with a huge attribute answered a plain JSON 400.
        for (int size : new int[] { 10, 5_000, 100_000, 900_000 }) {
            var response = given().auth().oauth2(TestTokens.uesl()).contentType("application/x-www-form-urlencoded")
                    .accept(ContentType.JSON).body("text=" + "x".repeat(size))
                    .put("/probes/%27%20OR%20%271%27%3D%271").then().extract();
            System.out.printf("BodyLimitTest: form-encoded PUT of %d bytes -> %d %s %s%n", size,
                    response.statusCode(), response.contentType(), response.asString());
            assertThat(response.statusCode()).as("status for %d bytes", size).isBetween(400, 499);
            assertThat(response.contentType()).as("content type for %d bytes", size)
                    .startsWith("application/problem+json");
        }
    }

    private OversizedBody.Answer send(boolean chunked) throws Exception {
        return OversizedBody.post(base, "/probes", Map.of(), FIFTY_MB, chunked);
    }
}
