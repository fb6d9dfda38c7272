package fr.actionlogement.territorial.territories.persistence;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import fr.actionlogement.territorial.buildingblocks.audit.AuditLog;
import fr.actionlogement.territorial.buildingblocks.outbox.Outbox;
import fr.actionlogement.territorial.buildingblocks.persistence.PlainSql;
import fr.actionlogement.territorial.territories.domain.Names;
import fr.actionlogement.territorial.territories.messaging.TerritoryEvents;
import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Persistence benchmark (not a test, skipped unless asked): GET-by-id reads and one write path timed at the service
 * layer against the real PostgreSQL of the tests, each call in its own request context (and transaction for the
 * write), as a request would run it. Prints p50/p95/p99 per path; the machine may be shared, so run it twice.
 *
 * <pre>
 * ./mvnw -B -ntp -pl territories-service verify -Dtest=PersistenceBenchmark -Dbenchmark.persistence=true
 * </pre>
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "territories"))
@EnabledIfSystemProperty(named = "benchmark.persistence", matches = "true")
class PersistenceBenchmark {

    static final String CIL = "399000001";

    @Inject
    CilService cils;
    @Inject
    BasinService basins;
    @Inject
    ConferenceService conferences;
    @Inject
    TerritoryRepository territories;
    @Inject
    PlainSql sql;
    @Inject
    Outbox outbox;
    @Inject
    AuditLog audit;

    @Test
    void run() throws Exception {
        int warmup = Integer.getInteger("benchmark.warmup", 500);
        int n = Integer.getInteger("benchmark.iterations", 3_000);
        if (request(() -> cils.find(CIL)).isEmpty()) {
            QuarkusTransaction.requiringNew().run(() -> cils.register(CIL, "CIL benchmark", null));
        }
        time("GET territory by id", warmup, n, () -> territories.find("COMMUNE:69123").orElseThrow());
        // What GET by id answers: the row, its basins and coverage in one statement, then as three reads.
        time("GET territory with basins and coverage, 1 statement", warmup, n,
                () -> territories.findLinked("COMMUNE:69123").orElseThrow());
        time("GET territory with basins and coverage, 3 statements", warmup, n, () -> {
            var row = territories.find("COMMUNE:69123").orElseThrow();
            return List.of(row, territories.basinsContaining(row.territory().epciSiren(), row.territory().eptSiren()),
                    territories.conventionsCovering(row.territory().id()));
        });
        // The same read as an entity load, the figure behind find's plain-SQL exception (docs/architecture.md).
        time("GET territory by id through Hibernate", warmup, n,
                () -> TerritoryEntity.<TerritoryEntity> findByIdOptional("COMMUNE:69123").orElseThrow().toRow());
        time("GET CIL by id", warmup, n, () -> cils.find(CIL).orElseThrow());
        time("GET basin by id", warmup, n, () -> basins.find("BASSIN:lyon").orElseThrow());
        time("GET conference by id", warmup, n,
                () -> conferences.conference("CT:lyon:protocole-cadre-2013").orElseThrow());
        int[] i = { 0 };
        time("write: rename CIL (+ outbox, audit)", warmup, n, () -> QuarkusTransaction.requiringNew().call(() -> {
            return cils.rename(cils.find(CIL).orElseThrow(), "CIL benchmark " + i[0]++, null);
        }));
        // The same write the way plain JDBC did it before the persistence change (issue 16): read the row and its
        // subsidiaries, one UPDATE guarded by the version, then the same outbox and audit rows.
        time("write: rename CIL as plain SQL (+ outbox, audit)", warmup, n,
                () -> QuarkusTransaction.requiringNew().call(() -> plainRename("CIL benchmark " + i[0]++)));
        List<String> prefixes = List.of("sa", "saint e", "lyo", "mar", "bo", "vill", "le p", "montp", "st", "ai");
        time("name search, count + page of 20", warmup, n, () -> {
            List<TerritoryRepository.Row> rows = new ArrayList<>();
            return territories.search(new TerritoryRepository.Filter(Names.searchWords(prefixes.get(i[0]++ % 10)), null,
                    null, null, null, null, null, null, false), TerritoryRepository.RELEVANCE, 20, 0, rows);
        });
        // The former prefix search through Hibernate (count + first page of entities), to see whether plain SQL pays.
        time("name search through Hibernate", warmup, n, () -> {
            String key = Names.searchKey(prefixes.get(i[0]++ % 10));
            var query = TerritoryEntity.<TerritoryEntity> find("nameKey >= ?1 and nameKey < ?2 and retired = false",
                    Sort.by("nameKey").and("id"), key, key + "~");
            List<TerritoryRepository.Row> rows = query.page(0, 20).stream().map(TerritoryEntity::toRow).toList();
            return query.count() + rows.size();
        });
    }

    private CilService.CilView plainRename(String name) {
        List<String> subs = sql.query("SELECT id FROM cil WHERE parent_cil_id = ? ORDER BY id", rs -> rs.getString(1),
                CIL);
        long version = sql.one("SELECT version FROM cil WHERE id = ?", rs -> rs.getLong(1), CIL).orElseThrow();
        if (sql.update("UPDATE cil SET name = ?, version = version + 1 WHERE id = ? AND version = ?", name, CIL,
                version) != 1) {
            throw new IllegalStateException("concurrent change");
        }
        outbox.publish(TerritoryEvents.cilRegistered(new TerritoryEvents.CilRegistered(CIL, name, null)));
        CilService.CilView view = new CilService.CilView(CIL, name, null, subs, version + 1);
        audit.record("Cil", CIL, "RENAMED", null, view);
        return view;
    }

    private static <T> T request(Callable<T> work) throws Exception {
        ManagedContext context = Arc.container().requestContext();
        context.activate();
        try {
            return work.call();
        } finally {
            context.terminate();
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static void time(String what, int warmup, int n, Callable<?> work) throws Exception {
        for (int i = 0; i < warmup; i++) {
            request(work);
        }
        long[] nanos = new long[n];
        long cpuBefore = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            request(work);
            nanos[i] = System.nanoTime() - s;
        }
        // The calling thread's CPU (the JVM's own work for the call; PostgreSQL's is in its own process).
        double cpuMs = (THREADS.getCurrentThreadCpuTime() - cpuBefore) / 1e6 / n;
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT,
                "BENCHMARK %-48s n=%d p50 %.3f ms, p95 %.3f ms, p99 %.3f ms, max %.3f ms, CPU %.3f ms/call%n", what, n,
                ms(nanos, 0.50), ms(nanos, 0.95), ms(nanos, 0.99), nanos[n - 1] / 1e6, cpuMs);
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
