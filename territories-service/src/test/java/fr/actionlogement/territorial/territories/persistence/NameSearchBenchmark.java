package fr.actionlogement.territorial.territories.persistence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import fr.actionlogement.territorial.buildingblocks.persistence.PlainSql;
import fr.actionlogement.territorial.territories.domain.Names;
import fr.actionlogement.territorial.territories.domain.ReferenceTerritory;
import fr.actionlogement.territorial.territories.domain.TerritoryKind;
import fr.actionlogement.territorial.testsupport.EmbeddedPostgresServer;

/**
 * Name-search benchmark (not a test): loads the shipped data year into a real PostgreSQL (embedded server from
 * test-support), then runs the API's search query (every typed word begins a word of the name, ranked by relevance,
 * count + first page of 20) for many user-like queries and prints p50/p95/p99. Target: p99 under 20 ms.
 *
 * <pre>
 * ./mvnw -B -ntp -pl territories-service -Pbenchmark verify
 * </pre>
 */
public final class NameSearchBenchmark {

    public static void main(String[] args) throws Exception {
        int warmup = Integer.getInteger("benchmark.warmup", 2_000);
        int queries = Integer.getInteger("benchmark.queries", 20_000);
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.startTemporary()) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(pg.jdbcUrl("postgres"));
            ds.setUser(pg.user());
            ds.setPassword(pg.password());
            Flyway.configure().dataSource(ds).locations("classpath:db/building-blocks", "classpath:db/migration").load()
                    .migrate();
            long t0 = System.nanoTime();
            ReferenceDataset dataset = ReferenceDataset.read("classpath:reference/decoupage-administratif-6.0.0",
                    new ObjectMapper());
            // One connection for the whole run, as the service's pool would give: no connection set-up per query.
            java.sql.Connection shared = ds.getConnection();
            TerritoryRepository repo = new TerritoryRepository(PlainSql.of(pooled(ds, shared)));
            repo.upsert(dataset.territories());
            try (var c = ds.getConnection(); var s = c.createStatement()) {
                // The steady state: autovacuum sets the visibility map soon after a load.
                s.execute("VACUUM ANALYZE territory");
            }
            System.out.printf(Locale.ROOT, "Loaded %d territories in %d ms%n", dataset.territories().size(),
                    (System.nanoTime() - t0) / 1_000_000);

            List<String> prefixes = prefixes(dataset.territories(), warmup + queries);
            for (int i = 0; i < warmup; i++) {
                search(repo, prefixes.get(i));
            }
            long[] nanos = new long[queries];
            for (int i = 0; i < queries; i++) {
                long s = System.nanoTime();
                search(repo, prefixes.get(warmup + i));
                nanos[i] = System.nanoTime() - s;
            }
            Arrays.sort(nanos);
            System.out.printf(Locale.ROOT,
                    "Name search over %d queries (count + page of 20): p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    queries, ms(nanos, 0.50), ms(nanos, 0.95), ms(nanos, 0.99), nanos[nanos.length - 1] / 1e6);
            System.out.println(ms(nanos, 0.99) < 20 ? "p99 under the 20 ms target" : "p99 OVER the 20 ms target");
        }
    }

    /** A DataSource handing out one connection whose close() does nothing (the run closes it at the end). */
    private static javax.sql.DataSource pooled(PGSimpleDataSource ds, java.sql.Connection shared) {
        java.sql.Connection handle = (java.sql.Connection) java.lang.reflect.Proxy.newProxyInstance(
                NameSearchBenchmark.class.getClassLoader(), new Class<?>[] { java.sql.Connection.class },
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    try {
                        return method.invoke(shared, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(
                NameSearchBenchmark.class.getClassLoader(), new Class<?>[] { javax.sql.DataSource.class },
                (proxy, method, args) -> method.getName().equals("getConnection") ? handle : method.invoke(ds, args));
    }

    private static void search(TerritoryRepository repo, String typed) {
        List<TerritoryRepository.Row> rows = new ArrayList<>();
        repo.search(new TerritoryRepository.Filter(Names.searchWords(typed), null, null, null, null, null, null, null,
                false), TerritoryRepository.RELEVANCE, 20, 0, rows);
    }

    /**
     * What users type: 2 to 12 first letters of real names, in varied case, with or without accents; one in four
     * starts at a later word of the name ("lyon" for Métropole de Lyon) or uses "st" for saint.
     */
    private static List<String> prefixes(List<ReferenceTerritory> territories, int n) {
        List<String> names = territories.stream().filter(t -> t.kind() == TerritoryKind.COMMUNE)
                .map(ReferenceTerritory::name).toList();
        Random random = new Random(42);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = names.get(random.nextInt(names.size()));
            if (random.nextInt(4) == 0) {
                String[] words = name.split("[ '-]+");
                name = String.join(" ", java.util.Arrays.copyOfRange(words, random.nextInt(words.length), words.length));
                name = name.replaceFirst("^Saint ", "St ");
            }
            String p = name.substring(0, Math.min(name.length(), 2 + random.nextInt(11)));
            switch (random.nextInt(3)) {
                case 0 -> out.add(p.toLowerCase(Locale.ROOT));
                case 1 -> out.add(p.toUpperCase(Locale.ROOT).replace('-', ' '));
                default -> out.add(java.text.Normalizer.normalize(p, java.text.Normalizer.Form.NFD)
                        .replaceAll("\\p{M}", ""));
            }
        }
        return out;
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
