package fr.actionlogement.territorial.observatory.benchmark;

import java.io.BufferedWriter;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;

import fr.actionlogement.territorial.observatory.persistence.AggregateQuery;
import fr.actionlogement.territorial.observatory.persistence.CsvObservationImport;
import fr.actionlogement.territorial.testsupport.EmbeddedPostgresServer;

/**
 * Import and aggregate benchmark, against a real PostgreSQL (the embedded server of test-support) with the
 * service's own schema and code. Not a test: it measures and prints, it asserts nothing.
 *
 * <pre>
 * ./mvnw -B -ntp -pl observatory-service -Pbenchmark verify [-Dbenchmark.importRows=1000000 -Dbenchmark.queryRows=10000000]
 * </pre>
 *
 * 1. Writes a CSV of {@code importRows} observations, imports it with {@link CsvObservationImport} (the code behind
 * POST /observations/imports), and COPYs the same file into a table of the file's shape with the same unique index.
 * 2. Fills the observation table up to {@code queryRows} rows, then times {@link AggregateQuery#run} (the code behind
 * GET /aggregates) next to the same SQL statement run directly, over a mix of région, département, EPCI and commune
 * queries.
 */
public final class ObservatoryBenchmark {

    static final String[] PUBLICS = { "JEUNES_SALARIES", "SALARIES_EN_MOBILITE", "SALARIES_PRECAIRES_MODESTES",
            "ACCESSION_SOCIALE_INTERMEDIAIRES" };
    static final String[] INDICATORS = { "DEMANDES_LOGEMENT_SALARIES", "JEUNES_SALARIES_EMBAUCHES",
            "MOBILITES_PROFESSIONNELLES", "DEMANDES_LOGEMENT_SOCIAL_SALARIES" };
    static final int REGIONS = 2;
    static final int DEPTS_PER_REGION = 3;
    static final int EPCI_PER_DEPT = 5;
    static final int COMMUNES_PER_EPCI = 50;
    static final int COMMUNES = REGIONS * DEPTS_PER_REGION * EPCI_PER_DEPT * COMMUNES_PER_EPCI; // 1500
    static final int ITERATIONS = Integer.getInteger("benchmark.iterations", 100);

    public static void main(String[] args) throws Exception {
        long importRows = Long.getLong("benchmark.importRows", 1_000_000);
        long queryRows = Long.getLong("benchmark.queryRows", 10_000_000);
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.startTemporary()) {
            try (Connection admin = DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), pg.password());
                    Statement s = admin.createStatement()) {
                s.execute("CREATE DATABASE observatory_bench");
            }
            String url = pg.jdbcUrl("observatory_bench");
            Flyway.configure().dataSource(url, pg.user(), pg.password())
                    .locations("classpath:db/building-blocks", "classpath:db/migration").load().migrate();
            try (Connection c = DriverManager.getConnection(url, pg.user(), pg.password())) {
                territories(c);
                Path csv = Files.createTempFile("observations", ".csv");
                try {
                    writeCsv(csv, importRows);
                    importVersusCopy(c, csv, importRows);
                } finally {
                    Files.deleteIfExists(csv);
                }
                fill(c, queryRows);
                aggregates(c);
            }
        }
    }

    /** Régions > départements > EPCI > communes, in the read model, with their closure. */
    static void territories(Connection c) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("""
                    INSERT INTO territory (territory_id, kind, code, region_code, departement_code, epci_siren)
                    SELECT 'COMMUNE:' || i, 'COMMUNE', i::text, 'R' || (i / %1$d), 'D' || (i / %2$d), 'E' || (i / %3$d)
                    FROM generate_series(0, %4$d - 1) i""".formatted(
                    DEPTS_PER_REGION * EPCI_PER_DEPT * COMMUNES_PER_EPCI, EPCI_PER_DEPT * COMMUNES_PER_EPCI,
                    COMMUNES_PER_EPCI, COMMUNES));
            s.execute("""
                    INSERT INTO territory (territory_id, kind, code, region_code, departement_code)
                    SELECT DISTINCT 'EPCI:' || epci_siren, 'EPCI', epci_siren, region_code, departement_code FROM territory""");
            s.execute("""
                    INSERT INTO territory (territory_id, kind, code, region_code)
                    SELECT DISTINCT 'DEPARTEMENT:' || departement_code, 'DEPARTEMENT', departement_code, region_code
                    FROM territory WHERE kind = 'EPCI'""");
            s.execute(
                    """
                            INSERT INTO territory (territory_id, kind, code)
                            SELECT DISTINCT 'REGION:' || region_code, 'REGION', region_code FROM territory WHERE kind = 'DEPARTEMENT'""");
            s.execute("""
                    INSERT INTO territory_ancestor (ancestor_id, territory_id)
                    SELECT a, t.territory_id FROM territory t, LATERAL unnest(ARRAY[t.territory_id,
                        CASE WHEN t.kind = 'COMMUNE' THEN 'EPCI:' || t.epci_siren END,
                        CASE WHEN t.kind IN ('COMMUNE', 'EPCI') THEN 'DEPARTEMENT:' || t.departement_code END,
                        CASE WHEN t.kind <> 'REGION' THEN 'REGION:' || t.region_code END]) a
                    WHERE a IS NOT NULL""");
            s.execute("ANALYZE territory; ANALYZE territory_ancestor");
        }
    }

    /** Row i: the commune changes fastest, then the public, the indicator, the month (from January 2000). */
    static String row(long i) {
        long commune = i % COMMUNES;
        int pub = (int) (i / COMMUNES % PUBLICS.length);
        int ind = (int) (i / COMMUNES / PUBLICS.length % 2);
        long month = i / COMMUNES / PUBLICS.length / 2;
        LocalDate p = LocalDate.of(2000, 1, 1).plusMonths(month);
        return "COMMUNE:" + commune + "," + INDICATORS[ind] + "," + PUBLICS[pub] + ","
                + String.format("%04d-%02d", p.getYear(), p.getMonthValue()) + "," + (i % 997) + "." + (i % 100)
                + ",CIL demand file\n";
    }

    static void writeCsv(Path csv, long rows) throws Exception {
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("territoryId,indicator,publicPrioritaire,period,value,source\n");
            for (long i = 0; i < rows; i++) {
                w.write(row(i));
            }
        }
        System.out.printf("%n[benchmark] CSV of %,d rows: %,d bytes%n", rows, Files.size(csv));
    }

    /**
     * Baseline: COPY of the same file into a table of its shape, with the same unique index; dropped afterwards.
     *
     * @return the seconds COPY took, commit included
     */
    static double copyBaseline(Connection c, Path csv) throws Exception {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE copy_baseline (territory_id TEXT, indicator TEXT, public_prioritaire TEXT, period TEXT,
                        value NUMERIC(18, 4), source TEXT)""");
            s.execute("""
                    CREATE UNIQUE INDEX copy_baseline_key ON copy_baseline
                        (indicator, territory_id, public_prioritaire, period, source) INCLUDE (value)""");
        }
        c.commit();
        long t0 = System.nanoTime();
        try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY copy_baseline FROM STDIN WITH (FORMAT csv, HEADER true)", r);
        }
        c.commit();
        double seconds = (System.nanoTime() - t0) / 1e9;
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE copy_baseline");
        }
        c.commit();
        c.setAutoCommit(true);
        return seconds;
    }

    static void importVersusCopy(Connection c, Path csv, long rows) throws Exception {
        double copySeconds = copyBaseline(c, csv);
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO observation_batch (batch_no, import_id, kind, producer, created_by, created_at, visibility)
                VALUES (1, gen_random_uuid(), 'IMPORT', 'UESL', 'benchmark', now(), 'SHARED')""")) {
            ps.executeUpdate();
        }
        c.commit();
        long t1 = System.nanoTime();
        CsvObservationImport.Result result;
        CsvObservationImport importer = new CsvObservationImport(0, 1000);
        try (InputStream in = Files.newInputStream(csv)) {
            result = importer.run(c, in, 1, "SHARED");
        }
        c.commit();
        double importSeconds = (System.nanoTime() - t1) / 1e9;
        if (result.rowsImported() != rows) {
            throw new IllegalStateException("imported " + result.rowsImported() + " of " + rows);
        }
        double importRate = rows / importSeconds;
        double copyRate = rows / copySeconds;
        System.out.printf("[benchmark] import through the service : %,10.0f rows/s (%,d rows in %.1f s)%n", importRate,
                rows, importSeconds);
        System.out.printf("[benchmark] PostgreSQL COPY, same file  : %,10.0f rows/s (%.1f s)%n", copyRate, copySeconds);
        System.out.printf("[benchmark] import / COPY = %.2f (target >= 0.5); import phases (ms): %s%n",
                importRate / copyRate, importer.phases());
        c.setAutoCommit(true);
    }

    /** Tops the observation table up to {@code total} rows with the same generator (not timed). */
    static void fill(Connection c, long total) throws Exception {
        long have;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM observation")) {
            rs.next();
            have = rs.getLong(1);
        }
        long t0 = System.nanoTime();
        long step = 2_000_000;
        long firstMonth = have / COMMUNES / PUBLICS.length / 2 + 1;
        try (Statement s = c.createStatement()) {
            long batch = 1_000_000;
            for (long from = have; from < total; from += step) {
                long to = Math.min(total, from + step);
                batch++;
                s.execute("SET observatory.rollup_deferred = 'on'");
                // every indicator, from the month after the CSV's last one (no key collides with the import)
                s.execute("""
                        INSERT INTO observation (batch_no, territory_id, indicator, public_prioritaire, period_type,
                                                 period_start, value, source, visibility)
                        SELECT %5$d, 'COMMUNE:' || (i %% %1$d),
                               (ARRAY['DEMANDES_LOGEMENT_SALARIES','JEUNES_SALARIES_EMBAUCHES','MOBILITES_PROFESSIONNELLES',
                                      'DEMANDES_LOGEMENT_SOCIAL_SALARIES'])[(i / %1$d / 4 %% 4) + 1],
                               (ARRAY['JEUNES_SALARIES','SALARIES_EN_MOBILITE','SALARIES_PRECAIRES_MODESTES',
                                      'ACCESSION_SOCIALE_INTERMEDIAIRES'])[(i / %1$d %% 4) + 1],
                               'M', (date '2000-01-01' + make_interval(months => (%4$d + i / %1$d / 16)::int))::date,
                               (i %% 997) + (i %% 100) / 100.0, 'CIL demand file',
                               CASE WHEN i %% 10 = 0 THEN 'PUBLIC' ELSE 'SHARED' END
                        FROM generate_series(%2$d, %3$d - 1) i""".formatted(COMMUNES, from - have, to - have, firstMonth,
                        batch));
                // each step is a batch, rolled up at once as the CSV import does (migration V4)
                s.execute("SELECT observation_rollup_batch(" + batch + ")");
                s.execute("SET observatory.rollup_deferred = 'off'");
                System.out.printf("[benchmark] filled %,d / %,d rows%n", to, total);
            }
            s.execute("VACUUM ANALYZE observation");
            s.execute("VACUUM ANALYZE observation_rollup");
        }
        System.out.printf("[benchmark] observation table: %,d rows, loaded in %.0f s%n", total,
                (System.nanoTime() - t0) / 1e9);
    }

    static void aggregates(Connection c) throws Exception {
        Random random = new Random(42);
        List<AggregateQuery.Request> requests = new ArrayList<>();
        String[] levels = { "REGION:R", "DEPARTEMENT:D", "EPCI:E", "COMMUNE:" };
        int[] counts = { REGIONS, REGIONS * DEPTS_PER_REGION, REGIONS * DEPTS_PER_REGION * EPCI_PER_DEPT, COMMUNES };
        for (int i = 0; i < ITERATIONS; i++) {
            int level = i % 4;
            String territory = levels[level] + random.nextInt(counts[level]);
            String indicator = INDICATORS[random.nextInt(INDICATORS.length)];
            String pub = random.nextBoolean() ? PUBLICS[random.nextInt(PUBLICS.length)] : null;
            int fromYear = 2000 + random.nextInt(25);
            requests.add(new AggregateQuery.Request(territory, indicator, pub, 'M', AggregateQuery.Granularity.YEAR,
                    LocalDate.of(fromYear, 1, 1), LocalDate.of(fromYear + 10, 1, 1), List.of("SHARED", "PUBLIC")));
        }
        AggregateQuery service = new AggregateQuery();
        // warm up both paths (plans, caches)
        for (int i = 0; i < 20; i++) {
            service.run(c, requests.get(i));
            raw(c, requests.get(i));
        }
        long[] serviceNanos = new long[ITERATIONS];
        long[] rawNanos = new long[ITERATIONS];
        long points = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            AggregateQuery.Request r = requests.get(i);
            // alternate which goes first, so that neither always gets the warmer cache
            if (i % 2 == 0) {
                long t = System.nanoTime();
                AggregateQuery.Result res = service.run(c, r);
                serviceNanos[i] = System.nanoTime() - t;
                t = System.nanoTime();
                raw(c, r);
                rawNanos[i] = System.nanoTime() - t;
                points += res.series().stream().mapToLong(s -> s.points().size()).sum();
            } else {
                long t = System.nanoTime();
                raw(c, r);
                rawNanos[i] = System.nanoTime() - t;
                t = System.nanoTime();
                service.run(c, r);
                serviceNanos[i] = System.nanoTime() - t;
            }
        }
        double s50 = percentile(serviceNanos, 50), s99 = percentile(serviceNanos, 99);
        double r50 = percentile(rawNanos, 50), r99 = percentile(rawNanos, 99);
        System.out.printf("[benchmark] aggregates through the service: p50 %7.1f ms  p99 %7.1f ms (%d queries, %d points)%n",
                s50, s99, ITERATIONS, points);
        System.out.printf("[benchmark] same SQL run directly        : p50 %7.1f ms  p99 %7.1f ms%n", r50, r99);
        System.out.printf("[benchmark] service / raw SQL: p50 %.2f  p99 %.2f (target <= 1.5)%n%n", s50 / r50, s99 / r99);
        regionTenYears(c, service);
    }

    /**
     * The région ten-year window (issue 13: p99 about 2.3 s on the observations): through the service (now the
     * rollup), its statement run directly, and the un-aggregated statement it replaces, same requests.
     */
    static void regionTenYears(Connection c, AggregateQuery service) throws Exception {
        Random random = new Random(7);
        List<AggregateQuery.Request> requests = new ArrayList<>();
        for (int i = 0; i < ITERATIONS; i++) {
            int fromYear = 2000 + random.nextInt(25);
            requests.add(new AggregateQuery.Request("REGION:R" + random.nextInt(REGIONS),
                    INDICATORS[random.nextInt(INDICATORS.length)],
                    random.nextInt(3) == 0 ? PUBLICS[random.nextInt(PUBLICS.length)] : null, 'M',
                    i % 2 == 0 ? AggregateQuery.Granularity.YEAR : AggregateQuery.Granularity.MONTH,
                    LocalDate.of(fromYear, 1, 1), LocalDate.of(fromYear + 10, 1, 1), List.of("SHARED", "PUBLIC")));
        }
        int unaggregated = Math.min(ITERATIONS, Integer.getInteger("benchmark.unaggregatedIterations", 20));
        for (int i = 0; i < 20; i++) {
            service.run(c, requests.get(i));
            raw(c, requests.get(i));
        }
        long[] serviceNanos = new long[ITERATIONS];
        long[] rawNanos = new long[ITERATIONS];
        long[] unaggregatedNanos = new long[unaggregated];
        for (int i = 0; i < ITERATIONS; i++) {
            AggregateQuery.Request r = requests.get(i);
            long t = System.nanoTime();
            service.run(c, r);
            serviceNanos[i] = System.nanoTime() - t;
            t = System.nanoTime();
            raw(c, r);
            rawNanos[i] = System.nanoTime() - t;
            if (i < unaggregated) {
                t = System.nanoTime();
                read(c, AggregateQuery.observationSql(r, "SUM"), r, false);
                unaggregatedNanos[i] = System.nanoTime() - t;
            }
        }
        double s50 = percentile(serviceNanos, 50), s99 = percentile(serviceNanos, 99);
        double r50 = percentile(rawNanos, 50), r99 = percentile(rawNanos, 99);
        System.out.printf("[benchmark] région ten-year window, service (rollup): p50 %7.1f ms  p99 %7.1f ms (%d queries;"
                + " target p99 < 300 ms)%n", s50, s99, ITERATIONS);
        System.out.printf("[benchmark] same SQL (rollup) run directly          : p50 %7.1f ms  p99 %7.1f ms%n", r50, r99);
        System.out.printf("[benchmark] un-aggregated SQL over the observations : p50 %7.1f ms  p99 %7.1f ms (%d queries)%n",
                percentile(unaggregatedNanos, 50), percentile(unaggregatedNanos, 99), unaggregated);
        System.out.printf("[benchmark] région service / raw SQL: p50 %.2f  p99 %.2f (target <= 1.5)%n%n", s50 / r50,
                s99 / r99);
    }

    static void read(Connection c, String sql, AggregateQuery.Request r, boolean rollup) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            AggregateQuery.bind(c, ps, r, rollup);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rs.getString(1);
                    rs.getObject(2);
                    rs.getBigDecimal(3);
                    rs.getLong(4);
                }
            }
        }
    }

    /** The statement AggregateQuery runs, executed and read with nothing around it. */
    static void raw(Connection c, AggregateQuery.Request r) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(AggregateQuery.sql(r, "SUM"))) {
            AggregateQuery.bind(c, ps, r);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rs.getString(1);
                    rs.getObject(2);
                    rs.getBigDecimal(3);
                    rs.getLong(4);
                }
            }
        }
    }

    static double percentile(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e6;
    }
}
