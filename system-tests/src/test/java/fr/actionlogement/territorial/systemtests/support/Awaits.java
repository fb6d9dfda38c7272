package fr.actionlogement.territorial.systemtests.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Cross-service effects travel by Kafka, so a journey waits for them by polling the public API with a deadline. Each
 * wait is recorded (what, how long) so that the run prints its figures.
 */
public final class Awaits {

    /** Long enough for a consumer still reading the 36,000 reference records of a fresh stack on a loaded machine. */
    public static final Duration FIRST_READ_MODEL = Duration.ofMinutes(5);
    /** An event of a warm system, through outbox relay, Kafka and the consumer's inbox. */
    public static final Duration EVENT = Duration.ofSeconds(90);

    public record Figure(String journey, String effect, long millis) {
    }

    private static final List<Figure> FIGURES = new ArrayList<>();
    private static final ThreadLocal<String> JOURNEY = ThreadLocal.withInitial(() -> "-");

    private Awaits() {
    }

    /** Names the journey the next waits belong to (for the figures). */
    public static void journey(String name) {
        JOURNEY.set(name);
    }

    /** Polls {@code probe} until {@code done} holds, or fails after {@code deadline}; returns the last value. */
    public static <T> T until(String effect, Duration deadline, Callable<T> probe, Predicate<? super T> done) {
        long t0 = System.nanoTime();
        Object[] last = new Object[1];
        try {
            T value = Awaitility.await(effect).atMost(deadline).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(250))
                    // A connection refused or reset is worth retrying; a failed assertion is not.
                    .ignoreExceptionsInstanceOf(java.io.UncheckedIOException.class).until(() -> {
                        T v = probe.call();
                        last[0] = v;
                        return v;
                    }, done);
            record(effect, t0);
            return value;
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("Not seen within " + deadline + ": " + effect + "; last seen: " + describe(last[0]),
                    e);
        }
    }

    /** Polls a read until it answers 200 and the body satisfies {@code done}. */
    public static Reply untilReply(String effect, Duration deadline, Callable<Reply> read, Predicate<Reply> done) {
        return until(effect, deadline, read, r -> r.status() == 200 && done.test(r));
    }

    private static String describe(Object last) {
        if (last instanceof Reply r) {
            return r.status() + " " + r.text();
        }
        return String.valueOf(last);
    }

    private static synchronized void record(String effect, long t0) {
        long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        FIGURES.add(new Figure(JOURNEY.get(), effect, ms));
        System.out.printf("[await] %-28s %6d ms  %s%n", JOURNEY.get(), ms, effect);
    }

    public static synchronized List<Figure> figures() {
        return List.copyOf(FIGURES);
    }
}
