package fr.actionlogement.territorial.observatory.benchmark;

import static fr.actionlogement.territorial.observatory.Fixtures.API;
import static io.restassured.RestAssured.given;

import java.util.Arrays;
import java.util.UUID;
import java.util.function.IntConsumer;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.observatory.Fixtures;
import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * GET-by-id and write latencies through the whole service (HTTP, security, persistence), against the real
 * PostgreSQL of the tests. A harness, not a test (excluded from the build; it measures and prints):
 *
 * <pre>
 * ./mvnw -B -ntp -pl observatory-service test -Dtest=ApiLatencyBenchmark [-Dbenchmark.iterations=300]
 * </pre>
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "observatory"))
class ApiLatencyBenchmark {

    static final int ITERATIONS = Integer.getInteger("benchmark.iterations", 300);
    static final int WARM_UP = 50;

    @Inject
    DataSource dataSource;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void latencies() {
        Fixtures fx = new Fixtures(bootstrap, dataSource);
        Fixtures.Hierarchy h = fx.hierarchy();
        String cil = "7" + String.format("%08d", Math.abs(UUID.randomUUID().hashCode()) % 100_000_000);
        fx.presence(cil, h.epci(), true);
        fx.awaitCount("SELECT count(*) FROM cil_presence WHERE cil_id = '" + cil + "'", 1);
        String token = TestTokens.cil(cil);

        String study = given().auth().oauth2(token).contentType(ContentType.JSON).body(study(h.epci(), cil, "Étude 0"))
                .when().post(API + "/studies").then().statusCode(201).extract().path("id");
        long[] version = { 0 };
        report("GET /studies/{id}", i -> given().auth().oauth2(token).when().get(API + "/studies/" + study).then()
                .statusCode(200));
        report("PUT /studies/{id}", i -> {
            given().auth().oauth2(token).contentType(ContentType.JSON).header("If-Match", "\"" + version[0] + "\"")
                    .body(study(h.epci(), cil, "Étude " + i)).when().put(API + "/studies/" + study).then()
                    .statusCode(200);
            version[0]++;
        });

        int observation = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(observation(h.commune1(), "1")).when().post(API + "/observations").then().statusCode(201)
                .extract().path("id");
        long[] obsVersion = { 0 };
        report("GET /observations/{id}", i -> given().auth().oauth2(token).when()
                .get(API + "/observations/" + observation).then().statusCode(200));
        report("PUT /observations/{id}", i -> {
            given().auth().oauth2(token).contentType(ContentType.JSON).header("If-Match", "\"" + obsVersion[0] + "\"")
                    .body("{\"value\":" + i + ",\"source\":\"CIL demand file\"}").when()
                    .put(API + "/observations/" + observation).then().statusCode(200);
            obsVersion[0]++;
        });
        int[] month = { 0 };
        report("POST /observations", i -> {
            month[0]++;
            given().auth().oauth2(token).contentType(ContentType.JSON)
                    .body(observation(h.commune2(), "1").replace("2024-03",
                            String.format("%04d-%02d", 2001 + month[0] / 12, 1 + month[0] % 12)))
                    .when().post(API + "/observations").then().statusCode(201);
        });
    }

    private static void report(String name, IntConsumer call) {
        for (int i = 0; i < WARM_UP; i++) {
            call.accept(i);
        }
        long[] nanos = new long[ITERATIONS];
        for (int i = 0; i < ITERATIONS; i++) {
            long start = System.nanoTime();
            call.accept(WARM_UP + i);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.printf("BENCHMARK %-26s n=%d p50=%.2f ms p90=%.2f ms p99=%.2f ms%n", name, ITERATIONS,
                nanos[ITERATIONS / 2] / 1e6, nanos[ITERATIONS * 9 / 10] / 1e6, nanos[ITERATIONS * 99 / 100] / 1e6);
    }

    private static String study(String territoryId, String cil, String title) {
        return """
                {"title":"%s","territoryId":"%s","scale":"Métropole","topics":["ACCES_LOCATIF_SOCIAL"],
                 "publicsPrioritaires":["JEUNES_SALARIES"],"launchingCilIds":["%s"],
                 "operationalInterest":"Small dwellings for apprentices","cost":60000,
                 "financing":[{"partnerType":"CIL","partnerId":"%s","partnerName":"CIL","amount":30000}],
                 "sources":[{"type":"PROVIDER","name":"Cabinet Habitat Conseil"}]}"""
                .formatted(title, territoryId, cil, cil);
    }

    private static String observation(String territory, String value) {
        return """
                {"territoryId":"%s","indicator":"DEMANDES_LOGEMENT_SALARIES","publicPrioritaire":"JEUNES_SALARIES",
                 "period":"2024-03","value":%s,"source":"CIL demand file"}""".formatted(territory, value);
    }
}
