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
    /**
     * Suffix of the key that holds an app's JIT compiler threads, already counted in the app's own figure: a cell
     * where it is large measured the compiler at work as much as the request (see {@link Load#warmUp}).
     */
    static final String JIT = " JIT";

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
            Optional<ProcessHandle> process = stack.process(app.name());
            if (process.isPresent()) {
                out.put(app.name(), millis(process.get().pid(), false));
                out.put(app.name() + JIT, compilerMillis(process.get().pid()));
            }
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

    /** The share of the apps' CPU their JIT compilers took between two samples (0 when the apps spent nothing). */
    static double jitShare(Map<String, Double> spent) {
        double apps = LocalStack.APPS.stream().mapToDouble(a -> spent.getOrDefault(a.name(), 0.0)).sum();
        double jit = LocalStack.APPS.stream().mapToDouble(a -> spent.getOrDefault(a.name() + JIT, 0.0)).sum();
        return apps == 0 ? 0 : jit / apps;
    }

    /** The CPU of a JVM's C1 and C2 compiler threads (named "C1 CompilerThre…", "C2 CompilerThre…" in /proc). */
    private static double compilerMillis(long pid) {
        double total = 0;
        try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).contains("CompilerThre")) {
                        total += millis(task.resolve("stat"), false);
                    }
                } catch (IOException e) {
                    // a thread that ended between the listing and the read
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return total;
    }

    /** What each process spent between two samples, in CPU milliseconds. */
    static Map<String, Double> spent(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> out = new LinkedHashMap<>();
        after.forEach((name, ms) -> out.put(name, Math.max(0, ms - before.getOrDefault(name, ms))));
        return out;
    }

    /** utime + stime of a process or thread; with its reaped children's too when asked (PostgreSQL's backends). */
    private static double millis(Path stat, boolean withReapedChildren) throws IOException {
        String line = Files.readString(stat);
        // Fields after the command name, which is in parentheses and may hold spaces: state is field 3.
        String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
        if (withReapedChildren) {
            ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]); // cutime, cstime
        }
        return ticks * MILLIS_PER_TICK;
    }

    private static double millis(long pid, boolean withReapedChildren) {
        try {
            return millis(Path.of("/proc", String.valueOf(pid), "stat"), withReapedChildren);
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

    /**
     * Waits until the machine's CPUs were less than {@code quietShare} busy over one second (what the previous phase
     * left running: consumers, PostgreSQL's autovacuum and checkpoints), at most {@code atMost}; returns the busy
     * share of the last second, 0 to 1, or -1 where /proc/stat cannot be read.
     */
    static double awaitQuiet(double quietShare, java.time.Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        long[] before = cpuTicks();
        while (true) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
            long[] after = cpuTicks();
            if (before == null || after == null) {
                return -1;
            }
            double total = after[0] - before[0];
            double busy = total <= 0 ? 0 : 1 - (after[1] - before[1]) / total;
            if (busy < quietShare || System.nanoTime() > deadline) {
                return busy;
            }
            before = after;
        }
    }

    /** All CPUs' ticks since boot from /proc/stat's first line: {total, idle + iowait}, or null. */
    private static long[] cpuTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            return new long[] { total, Long.parseLong(f[4]) + Long.parseLong(f[5]) };
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
