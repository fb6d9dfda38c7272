package fr.actionlogement.territorial.systemtests.performance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import fr.actionlogement.territorial.localstack.LocalStack;

/**
 * The CPU time each process of the stack spends, read from /proc: over a measured stretch of load, divided by its
 * requests, it says what one request costs each of them (the app answering, the services consuming its events,
 * PostgreSQL, the harness's own JVM, which also runs Kafka). A rate alone cannot say where the time goes.
 */
final class CpuMeter {

    /** Linux's USER_HZ: /proc reports CPU time in these ticks on every architecture the stack runs on. */
    private static final double MILLIS_PER_TICK = 10.0;
    static final String POSTGRES = "postgres";
    static final String HARNESS = "harness (load, Kafka)";

    private final LocalStack stack;
    private final long postmaster;

    private CpuMeter(LocalStack stack, long postmaster) {
        this.stack = stack;
        this.postmaster = postmaster;
    }

    static CpuMeter of(LocalStack stack) {
        return new CpuMeter(stack, postmasterPid(stack));
    }

    /** Cumulative CPU milliseconds by process name; PostgreSQL counts its live backends and those it has reaped. */
    Map<String, Double> sample() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (LocalStack.App app : LocalStack.APPS) {
            stack.process(app.name()).ifPresent(p -> out.put(app.name(), millis(p.pid(), false)));
        }
        if (postmaster > 0) {
            double pg = millis(postmaster, true);
            for (ProcessHandle child : ProcessHandle.of(postmaster).map(p -> p.children().toList())
                    .orElse(List.of())) {
                pg += millis(child.pid(), false);
            }
            out.put(POSTGRES, pg);
        }
        out.put(HARNESS, millis(ProcessHandle.current().pid(), false));
        return out;
    }

    /** What each process spent between two samples, in CPU milliseconds. */
    static Map<String, Double> spent(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> out = new LinkedHashMap<>();
        after.forEach((name, ms) -> out.put(name, Math.max(0, ms - before.getOrDefault(name, ms))));
        return out;
    }

    private static double millis(long pid, boolean withReapedChildren) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // Fields after the command name, which is in parentheses and may hold spaces: state is field 3.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
            if (withReapedChildren) {
                ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]); // cutime, cstime
            }
            return ticks * MILLIS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return 0; // a backend that ended between the listing and the read
        }
    }

    /** The PostgreSQL server's first process, named in the first line of postmaster.pid in its data directory. */
    private static long postmasterPid(LocalStack stack) {
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl("postgres"), "postgres", "postgres");
                ResultSet r = c.createStatement().executeQuery("SHOW data_directory")) {
            r.next();
            Path pidFile = Path.of(r.getString(1), "postmaster.pid");
            return Optional.of(Files.readAllLines(pidFile)).filter(l -> !l.isEmpty())
                    .map(l -> Long.parseLong(l.get(0).trim())).orElse(-1L);
        } catch (SQLException | IOException | RuntimeException e) {
            return -1; // another machine's server: its CPU is not ours to read
        }
    }
}
