package fr.actionlogement.territorial.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.gateway.support.GatewayTestResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/**
 * A form-encoded body is forwarded like any other, whatever its size under the limit: the gateway never parses it
 * (OpenApiFuzzTest, seed 20261130: a form-encoded PUT with a huge attribute answered a plain JSON 400).
 */
@QuarkusTest
@WithTestResource(GatewayTestResource.class)
class FormBodyTest {

    @Test
    @DisplayName("form-encoded bodies of 10 B to 900 KB reach the service untouched; nothing answers a non-problem error")
    void formEncodedBodiesAreForwarded() {
        RestAssuredConfig raw = RestAssuredConfig.config().encoderConfig(
                EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false));
        for (int size : new int[] { 10, 5_000, 100_000, 900_000 }) {
            ExtractableResponse<Response> r = given().config(raw).urlEncodingEnabled(false)
                    .auth().oauth2(TestTokens.uesl()).contentType("application/x-www-form-urlencoded")
                    .accept("application/json").body("text=" + "x".repeat(size))
                    .put("/api/territories/echo/%27%20OR%20%271%27%3D%271").then().extract();
            System.out.printf("FormBodyTest: form-encoded PUT of %d bytes -> %d %s%n", size, r.statusCode(),
                    r.contentType());
            assertThat(r.statusCode()).as("status for %d bytes", size).isEqualTo(200);
            assertThat(r.jsonPath().getLong("bodyBytes")).isEqualTo(size + 5L);
        }
    }
}
