package fr.actionlogement.territorial.buildingblocks.export;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import fr.actionlogement.territorial.buildingblocks.problem.ProblemException;
import fr.actionlogement.territorial.buildingblocks.security.CurrentUser;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * The limits every streamed export shares (observations today, conventions and agreements tomorrow; see
 * docs/api-conventions.md, "Exports"), so a slow reader or a crowd of exports never takes a service's connection
 * pool:
 * <ul>
 * <li>at most {@code territorial.export.max-concurrent-per-caller} exports of one caller at once, and
 * {@code territorial.export.max-concurrent} in all: the next is refused with 429 problem+json and {@code Retry-After}
 * before any query runs;</li>
 * <li>an export lasts at most {@code territorial.export.max-duration}: then its connection is reset, so the client
 * sees a cut answer (never a short one that looks complete) and the database connection goes back to the pool;</li>
 * <li>every SQL statement the export runs is bounded by {@code territorial.export.statement-timeout}
 * ({@link ExportStatementTimeout}).</li>
 * </ul>
 */
@ApplicationScoped
public class Exports {

    private static final Logger LOG = Logger.getLogger(Exports.class);
    /** The statement timeout of the export running on this thread, read by {@link ExportStatementTimeout}. */
    static final ThreadLocal<Duration> STATEMENT_TIMEOUT = new ThreadLocal<>();

    @ConfigProperty(name = "territorial.export.max-concurrent-per-caller", defaultValue = "2")
    int maxPerCaller;

    @ConfigProperty(name = "territorial.export.max-concurrent", defaultValue = "5")
    int maxInAll;

    @ConfigProperty(name = "territorial.export.max-duration", defaultValue = "10m")
    Duration maxDuration;

    @ConfigProperty(name = "territorial.export.statement-timeout", defaultValue = "60s")
    Duration statementTimeout;

    @Inject
    Vertx vertx;

    @Inject
    CurrentVertxRequest currentRequest;

    @Inject
    MeterRegistry metrics;

    @Inject
    CurrentUser user;

    private final Map<String, Integer> running = new ConcurrentHashMap<>();
    private final AtomicInteger inAll = new AtomicInteger();

    /**
     * Admits one export of the caller (its token's subject), or throws a 429 problem, then wraps its body with the
     * limits above. Call it in the resource method, on the request, before building the response.
     *
     * @param body writes the export; its statements are bounded by the statement timeout
     */
    public StreamingOutput stream(StreamingOutput body) {
        Runnable release = enter(user.subject());
        RoutingContext request = currentRequest.getCurrent();
        // Whatever ends the exchange (the body written, the caller gone, the response never written) frees the place.
        request.addEndHandler(ended -> release.run());
        return out -> {
            AtomicBoolean cut = new AtomicBoolean();
            long timer = vertx.setTimer(Math.max(1, maxDuration.toMillis()), t -> {
                if (!request.response().ended()) {
                    cut.set(true);
                    metrics.counter("territorial.export.cut").increment();
                    LOG.warnf("Export %s cut after its maximum duration of %s", request.request().path(), maxDuration);
                    request.response().reset();
                }
            });
            STATEMENT_TIMEOUT.set(statementTimeout);
            try {
                body.write(out);
            } finally {
                STATEMENT_TIMEOUT.remove();
                vertx.cancelTimer(timer);
                release.run();
            }
        };
    }

    private Runnable enter(String caller) {
        if (inAll.incrementAndGet() > maxInAll) {
            inAll.decrementAndGet();
            metrics.counter("territorial.export.refused", "limit", "in-all").increment();
            throw ProblemException.tooManyRequests("At most " + maxInAll
                    + " exports run at once on this service; retry in a moment", 5);
        }
        AtomicBoolean admitted = new AtomicBoolean();
        running.compute(caller, (k, n) -> {
            int current = n == null ? 0 : n;
            if (current >= maxPerCaller) {
                return n;
            }
            admitted.set(true);
            return current + 1;
        });
        if (!admitted.get()) {
            inAll.decrementAndGet();
            metrics.counter("territorial.export.refused", "limit", "per-caller").increment();
            throw ProblemException.tooManyRequests("At most " + maxPerCaller
                    + " exports of one caller at once; retry when one has ended", 5);
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                running.computeIfPresent(caller, (k, n) -> n <= 1 ? null : n - 1);
                inAll.decrementAndGet();
            }
        };
    }
}
