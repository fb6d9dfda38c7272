package fr.actionlogement.territorial.observatory.benchmark;

import static fr.actionlogement.territorial.observatory.Fixtures.API;
import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntConsumer;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.observatory.persistence.AggregateQuery;
import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 13's observatory figures through the real endpoints (HTTP, token check, transaction, the service's code),
 * against the tests' real PostgreSQL. A harness, not a test (excluded from the build; it measures and prints):
 *
 * <pre>
 * ./mvnw -B -ntp -pl observatory-service test -Dtest=EndpointBenchmark [-Dbenchmark.importRows=1000000 -Dbenchmark.queryRows=10000000 -Dbenchmark.iterations=100]
 * </pre>
 *
 * 1. POST /observations/imports of a generated CSV of {@code importRows} rows, next to COPY of the same file into a
 * table of its shape with the same unique index (same server, same connection settings).
 * 2. Fills the observations to {@code queryRows} (generate_series, not timed), then GET /aggregates: a mix of
 * région, département, EPCI and commune ten-year windows, then région ten-year windows alone, each next to the
 * statement the service runs, executed over JDBC in a loop (p50/p99), and the région's un-aggregated statement.
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "observatory"))
class EndpointBenchmark {

    static final List<String> VISIBLE = List.of("SHARED", "PUBLIC"); // what the UESL sees in aggregates

    /**
     * Timed calls go through the JDK's client on one kept-alive connection: RestAssured's own cost per call
     * (several ms) was measured as the service's before.
     */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Requests before the timed ones: the JIT compiles the request path only after a few thousand calls. */
    private static final int WARM_UP = 2_000;

    @Inject
    DataSource dataSource;

    @TestHTTPResource("/")
    URL base;

    @Test
    void figures() throws Exception {
        long importRows = Long.getLong("benchmark.importRows", 1_000_000);
        long queryRows = Long.getLong("benchmark.queryRows", 10_000_000);
        int iterations = ObservatoryBenchmark.ITERATIONS;
        String token = TestTokens.uesl();
        try (Connection c = dataSource.getConnection()) {
            ObservatoryBenchmark.territories(c);
            Path csv = Files.createTempFile("observations", ".csv");
            try {
                ObservatoryBenchmark.writeCsv(csv, importRows);
                double copySeconds = ObservatoryBenchmark.copyBaseline(c, csv);
                long t = System.nanoTime();
                given().auth().oauth2(token).contentType("text/csv").body(csv.toFile())
                        .when().post(API + "/observations/imports?visibility=SHARED&maxRejected=0")
                        .then().statusCode(201);
                double importSeconds = (System.nanoTime() - t) / 1e9;
                System.out.printf("BENCHMARK POST /observations/imports : %,10.0f rows/s (%,d rows in %.1f s)%n",
                        importRows / importSeconds, importRows, importSeconds);
                System.out.printf("BENCHMARK PostgreSQL COPY, same file  : %,10.0f rows/s (%.1f s)%n",
                        importRows / copySeconds, copySeconds);
                System.out.printf("BENCHMARK import / COPY = %.2f (target >= 0.5)%n", copySeconds / importSeconds);
            } finally {
                Files.deleteIfExists(csv);
            }
            ObservatoryBenchmark.fill(c, queryRows);

            Random random = new Random(42);
            String[] levels = { "REGION:R", "DEPARTEMENT:D", "EPCI:E", "COMMUNE:" };
            int[] counts = { ObservatoryBenchmark.REGIONS,
                    ObservatoryBenchmark.REGIONS * ObservatoryBenchmark.DEPTS_PER_REGION,
                    ObservatoryBenchmark.REGIONS * ObservatoryBenchmark.DEPTS_PER_REGION
                            * ObservatoryBenchmark.EPCI_PER_DEPT,
                    ObservatoryBenchmark.COMMUNES };
            List<AggregateQuery.Request> mix = new ArrayList<>();
            List<AggregateQuery.Request> regions = new ArrayList<>();
            for (int i = 0; i < iterations; i++) {
                int level = i % 4;
                mix.add(request(levels[level] + random.nextInt(counts[level]), random));
                regions.add(request("REGION:R" + random.nextInt(ObservatoryBenchmark.REGIONS), random));
            }
            compare(c, token, "mix of levels", mix);
            compare(c, token, "région ten-year window", regions);
            long[] unaggregated = new long[Math.min(iterations, 20)];
            for (int i = 0; i < unaggregated.length; i++) {
                AggregateQuery.Request r = regions.get(i);
                long t = System.nanoTime();
                ObservatoryBenchmark.read(c, AggregateQuery.observationSql(r, "SUM"), r, false);
                unaggregated[i] = System.nanoTime() - t;
            }
            System.out.printf("BENCHMARK région ten-year window, un-aggregated SQL (before the rollup): p50 %.1f ms"
                    + "  p99 %.1f ms (%d queries)%n", ObservatoryBenchmark.percentile(unaggregated, 50),
                    ObservatoryBenchmark.percentile(unaggregated, 99), unaggregated.length);
        }
    }

    private static AggregateQuery.Request request(String territory, Random random) {
        int fromYear = 2000 + random.nextInt(25);
        String pub = random.nextBoolean()
                ? ObservatoryBenchmark.PUBLICS[random.nextInt(ObservatoryBenchmark.PUBLICS.length)]
                : null;
        return new AggregateQuery.Request(territory,
                ObservatoryBenchmark.INDICATORS[random.nextInt(ObservatoryBenchmark.INDICATORS.length)], pub, 'M',
                AggregateQuery.Granularity.YEAR, LocalDate.of(fromYear, 1, 1), LocalDate.of(fromYear + 10, 1, 1),
                VISIBLE);
    }

    private void compare(Connection c, String token, String name, List<AggregateQuery.Request> requests)
            throws Exception {
        String aggregates = base.toString().replaceAll("/$", "") + API + "/aggregates";
        IntConsumer http = i -> {
            AggregateQuery.Request r = requests.get(i);
            URI uri = URI.create(aggregates + "?territoryId=" + r.territoryId() + "&indicator=" + r.indicator()
                    + (r.publicPrioritaire() == null ? "" : "&publicPrioritaire=" + r.publicPrioritaire())
                    + "&granularity=YEAR&periodType=MONTH&from=" + r.from().getYear() + "&to="
                    + (r.to().getYear() - 1));
            try {
                HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(uri)
                        .header("Authorization", "Bearer " + token).header("Accept", "application/json").build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(uri + " answered " + response.statusCode());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        };
        for (int i = 0; i < WARM_UP; i++) { // warm-up: JIT, plans, caches
            http.accept(i % requests.size());
            ObservatoryBenchmark.raw(c, requests.get(i % requests.size()));
        }
        long[] service = new long[requests.size()];
        long[] raw = new long[requests.size()];
        for (int i = 0; i < requests.size(); i++) {
            long t = System.nanoTime();
            http.accept(i);
            service[i] = System.nanoTime() - t;
            t = System.nanoTime();
            ObservatoryBenchmark.raw(c, requests.get(i));
            raw[i] = System.nanoTime() - t;
        }
        double s50 = ObservatoryBenchmark.percentile(service, 50);
        double s99 = ObservatoryBenchmark.percentile(service, 99);
        double r50 = ObservatoryBenchmark.percentile(raw, 50);
        double r99 = ObservatoryBenchmark.percentile(raw, 99);
        System.out.printf("BENCHMARK GET /aggregates, %s: p50 %.1f ms  p99 %.1f ms (%d queries)%n", name, s50, s99,
                requests.size());
        System.out.printf("BENCHMARK   its SQL over JDBC          : p50 %.1f ms  p99 %.1f ms%n", r50, r99);
        System.out.printf("BENCHMARK   service / raw SQL: p50 %.2f  p99 %.2f (target <= 1.5%s)%n", s50 / r50, s99 / r99,
                name.startsWith("région") ? "; p99 < 300 ms" : "");
    }
}
