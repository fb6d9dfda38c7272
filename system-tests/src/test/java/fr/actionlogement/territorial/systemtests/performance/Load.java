package fr.actionlogement.territorial.systemtests.performance;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import org.HdrHistogram.Histogram;

/**
 * The harness's load generator. Closed loop: N workers, each sending its next request as soon as the previous one
 * answered (throughput at a given concurrency, as wrk does). Open loop: requests started at a fixed rate whatever
 * the latency (the soak). Latencies go to an HdrHistogram; every status is counted.
 */
final class Load {

    /** One request of one worker; returns the HTTP status. A worker may keep state (e.g. its last ETag). */
    @FunctionalInterface
    interface Step {
        int call(HttpClient http) throws Exception;
    }

    record Result(String name, int concurrency, long requests, double seconds, Map<Integer, Long> statuses,
            long failures, Histogram latency, Map<String, Double> cpuMillis) {

        /** The measured stretch's CPU milliseconds by process, per request (empty without a {@link CpuMeter}). */
        Map<String, Double> cpuPerRequest() {
            Map<String, Double> out = new LinkedHashMap<>();
            cpuMillis.forEach((process, ms) -> out.put(process, requests == 0 ? 0 : ms / requests));
            return out;
        }

        double rps() {
            return requests / seconds;
        }

        double p50Millis() {
            return latency.getValueAtPercentile(50) / 1000.0;
        }

        double p99Millis() {
            return latency.getValueAtPercentile(99) / 1000.0;
        }

        long count5xx() {
            return statuses.entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(Map.Entry::getValue).sum();
        }

        long countNot2xx() {
            return statuses.entrySet().stream().filter(e -> e.getKey() < 200 || e.getKey() >= 300)
                    .mapToLong(Map.Entry::getValue).sum() + failures;
        }
    }

    /** How long a warm-up ran, and the share of the apps' CPU their JIT compilers took over its last slice. */
    record WarmUp(String name, double seconds, double jitShare) {
    }

    /** The JIT counts as done with a path once its compilers take less than this share of the apps' CPU. */
    static final double JIT_SETTLED = 0.05;
    /** The stretch over which that share is measured. */
    static final Duration SLICE = Duration.ofSeconds(5);
    /** A warm-up stops, settled or not, after this many times its least duration. */
    static final int MOST_WARM_UP = 4;

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Load() {
    }

    /** Runs {@code workers} closed loops for the warm-up (not recorded), then for the measured duration. */
    static Result closedLoop(String name, int workers, Duration warmup, Duration measured, IntFunction<Step> stepOf) {
        return closedLoop(name, workers, warmup, measured, null, stepOf);
    }

    /** The same, with the CPU each process of the stack spent over the measured duration when {@code cpu} is given. */
    static Result closedLoop(String name, int workers, Duration warmup, Duration measured, CpuMeter cpu,
            IntFunction<Step> stepOf) {
        List<Step> steps = steps(workers, stepOf);
        run(steps, warmup, null);
        Recording recording = new Recording();
        Map<String, Double> cpuBefore = cpu == null ? Map.of() : cpu.sample();
        long t0 = System.nanoTime();
        run(steps, measured, recording);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> spent = cpu == null ? Map.of() : CpuMeter.spent(cpuBefore, cpu.sample());
        return recording.result(name, workers, seconds, spent);
    }

    /**
     * Warms a path up until the apps' JIT compilers are done with it: closed loops for at least {@code least}, then
     * in {@link #SLICE}s until the compilers took less than {@link #JIT_SETTLED} of the apps' CPU over a slice, or
     * until {@link #MOST_WARM_UP} times {@code least}. A fixed warm-up measured the compiler along with the request
     * on slow paths: at 80 renames a second, C2 was still compiling Hibernate's load and flush a minute into the
     * write.
     */
    static WarmUp warmUp(String name, int workers, Duration least, CpuMeter cpu, IntFunction<Step> stepOf) {
        List<Step> steps = steps(workers, stepOf);
        long t0 = System.nanoTime();
        run(steps, least, null);
        double share;
        do {
            Map<String, Double> before = cpu.sample();
            run(steps, SLICE, null);
            share = CpuMeter.jitShare(CpuMeter.spent(before, cpu.sample()));
        } while (share >= JIT_SETTLED && System.nanoTime() - t0 < least.multipliedBy(MOST_WARM_UP).toNanos());
        WarmUp done = new WarmUp(name, (System.nanoTime() - t0) / 1e9, share);
        System.out.printf("[harness] %s warmed up in %.0f s (the JIT took %.0f %% of the apps' CPU in the last %d s)%n",
                name, done.seconds(), 100 * share, SLICE.toSeconds());
        return done;
    }

    private static List<Step> steps(int workers, IntFunction<Step> stepOf) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            steps.add(stepOf.apply(i));
        }
        return steps;
    }

    private static void run(List<Step> steps, Duration duration, Recording recording) {
        AtomicBoolean stop = new AtomicBoolean();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (Step step : steps) {
                running.add(pool.submit(() -> {
                    Histogram mine = new Histogram(60_000_000L, 3);
                    while (!stop.get()) {
                        long t = System.nanoTime();
                        int status = -1;
                        try {
                            status = step.call(HTTP);
                        } catch (Exception e) {
                            status = -1;
                        }
                        if (recording != null) {
                            recording.record(status, mine, (System.nanoTime() - t) / 1000);
                        }
                    }
                    if (recording != null) {
                        recording.merge(mine);
                    }
                    return null;
                }));
            }
            sleep(duration);
            stop.set(true);
            for (Future<?> f : running) {
                try {
                    f.get(2, TimeUnit.MINUTES);
                } catch (Exception e) {
                    throw new IllegalStateException("a load worker failed", e);
                }
            }
        }
    }

    /**
     * Starts {@code perSecond} requests a second for the duration, each on its own virtual thread, whatever the
     * latency (so a slow system shows as growing latency and errors, not as a politely lower rate).
     */
    static Result openLoop(String name, double perSecond, Duration duration, IntFunction<Step> stepOf) {
        Recording recording = new Recording();
        long interval = (long) (1e9 / perSecond);
        long t0 = System.nanoTime();
        long end = t0 + duration.toNanos();
        AtomicLong started = new AtomicLong();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long next = t0; next < end; next += interval) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    sleep(Duration.ofNanos(wait));
                }
                int index = (int) started.getAndIncrement();
                pool.submit(() -> {
                    Histogram one = new Histogram(60_000_000L, 3);
                    long t = System.nanoTime();
                    int status;
                    try {
                        status = stepOf.apply(index).call(HTTP);
                    } catch (Exception e) {
                        status = -1;
                    }
                    recording.record(status, one, (System.nanoTime() - t) / 1000);
                    recording.merge(one);
                });
            }
        }
        return recording.result(name, 0, (System.nanoTime() - t0) / 1e9);
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static final class Recording {
        private final Histogram all = new Histogram(60_000_000L, 3);
        private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        private final AtomicLong failures = new AtomicLong();
        private final AtomicLong requests = new AtomicLong();

        void record(int status, Histogram into, long micros) {
            requests.incrementAndGet();
            if (status < 0) {
                failures.incrementAndGet();
            } else {
                statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
            }
            into.recordValue(Math.min(micros, 60_000_000L));
        }

        synchronized void merge(Histogram h) {
            all.add(h);
        }

        synchronized Result result(String name, int concurrency, double seconds) {
            return result(name, concurrency, seconds, Map.of());
        }

        synchronized Result result(String name, int concurrency, double seconds, Map<String, Double> cpuMillis) {
            Map<Integer, Long> counts = new TreeMap<>();
            statuses.forEach((s, n) -> counts.put(s, n.get()));
            return new Result(name, concurrency, requests.get(), seconds, counts, failures.get(), all.copy(),
                    cpuMillis);
        }
    }
}
