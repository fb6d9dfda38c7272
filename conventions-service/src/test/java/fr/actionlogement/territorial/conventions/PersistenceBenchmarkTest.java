package fr.actionlogement.territorial.conventions;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Persistence benchmark (not a test; skipped unless {@code -Dbenchmark=true}): GET of a convention by id and a
 * write (a transition with If-Match, alternating submission and return to negotiation), through the HTTP API
 * against the real embedded PostgreSQL, one client at a time. Prints p50/p95/p99 per path.
 *
 * <pre>
 * ./mvnw -B -ntp -pl conventions-service verify -Dbenchmark=true -Dtest=PersistenceBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "conventions"))
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class PersistenceBenchmarkTest extends ConventionsTestBase {

    @Test
    @DisplayName("benchmark: GET by id and a transition with If-Match")
    void getAndTransition() {
        int warmup = Integer.getInteger("benchmark.warmup", 300);
        int reads = Integer.getInteger("benchmark.reads", 2_000);
        int writes = Integer.getInteger("benchmark.writes", 600);
        World w = world();
        String id = negotiated(w, validContent(w));
        String url = BASE + "/" + id;

        for (int i = 0; i < warmup; i++) {
            as(uesl).get(url).then().statusCode(200);
        }
        long[] get = new long[reads];
        for (int i = 0; i < reads; i++) {
            long s = System.nanoTime();
            as(uesl).get(url).then().statusCode(200);
            get[i] = System.nanoTime() - s;
        }

        String tag = etag(id);
        for (int i = 0; i < warmup / 3; i++) {
            tag = step(url, i, tag);
        }
        long[] write = new long[writes];
        for (int i = 0; i < writes; i++) {
            long s = System.nanoTime();
            tag = step(url, i, tag);
            write[i] = System.nanoTime() - s;
        }
        report("GET /conventions/{id}", get);
        report("POST submission | return-to-negotiation with If-Match", write);
    }

    /** Even steps submit for signature, odd ones return to negotiation: the convention stays valid forever. */
    private String step(String url, int i, String tag) {
        String path = i % 2 == 0 ? "/submission" : "/return-to-negotiation";
        return as(uesl).header("If-Match", tag).body(Map.of("reason", "benchmark")).post(url + path).then()
                .statusCode(200).extract().header("ETag");
    }

    private static void report(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "BENCHMARK %s over %d requests: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, mean %.2f ms%n",
                what, sorted.length, ms(sorted, 0.50), ms(sorted, 0.95), ms(sorted, 0.99),
                Arrays.stream(sorted).average().orElse(0) / 1e6);
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
