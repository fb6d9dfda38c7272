package fr.actionlogement.territorial.gateway.proxy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import fr.actionlogement.territorial.gateway.config.GatewayConfig;

/**
 * Per-client token buckets: a client may burst up to its limit, then gets one request per period/limit; a bucket per
 * client address for requests without a valid token; and a cap on each client's requests in flight. Kept in this
 * replica's memory (with N replicas a client gets up to N times the limits; see the README).
 */
@ApplicationScoped
public class RateLimiter {

    private final GatewayConfig.RateLimit config;
    private final Cache<String, Bucket> buckets;
    /** Requests in flight by client key; a key leaves the map when its last request ends. */
    private final Map<String, Integer> inFlight = new ConcurrentHashMap<>();

    public RateLimiter(GatewayConfig config) {
        this.config = config.rateLimit();
        this.buckets = Caffeine.newBuilder().maximumSize(this.config.maxTrackedClients())
                .expireAfterAccess(this.config.period().multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS).build();
    }

    public record Decision(boolean allowed, int limit, int remaining, long retryAfterSeconds) {
    }

    /**
     * @param key the bucket key ("sub:...", "ip:...")
     * @param names the client's names an override may be configured under (client id, subject)
     */
    public Decision acquire(String key, String... names) {
        int limit = config.limit();
        Duration period = config.period();
        for (String name : names) {
            GatewayConfig.RateLimit.Client client = name == null ? null : config.clients().get(name);
            if (client != null) {
                limit = client.limit();
                period = client.period().orElse(period);
                break;
            }
        }
        int l = limit;
        Duration p = period;
        Bucket bucket = buckets.get(key + "|" + l + "/" + p, k -> new Bucket(l, p));
        return bucket.take();
    }

    /**
     * Whether a request from this address may be looked at, before its token is verified: nothing is taken, the
     * address's bucket only empties through {@link #chargeUnauthenticated}.
     */
    public Decision unauthenticatedAllowance(String address) {
        return unauthenticatedBucket(address).peek();
    }

    /** Takes one request from the address's bucket: one more request without a valid token. */
    public Decision chargeUnauthenticated(String address) {
        return unauthenticatedBucket(address).take();
    }

    private Bucket unauthenticatedBucket(String address) {
        GatewayConfig.RateLimit.Unauthenticated u = config.unauthenticated();
        return buckets.get("anonymous:" + address + "|" + u.limit() + "/" + u.period(),
                k -> new Bucket(u.limit(), u.period()));
    }

    /**
     * Enters one request of a client: the release to run once (and only once) it ends, or {@code null} when the
     * client already has {@code max-concurrent} requests in flight.
     */
    public Runnable enter(String key) {
        int max = config.maxConcurrent();
        AtomicBoolean admitted = new AtomicBoolean();
        inFlight.compute(key, (k, n) -> {
            int current = n == null ? 0 : n;
            if (current >= max) {
                return n;
            }
            admitted.set(true);
            return current + 1;
        });
        if (!admitted.get()) {
            return null;
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                inFlight.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
            }
        };
    }

    public int maxConcurrent() {
        return config.maxConcurrent();
    }

    public boolean enabled() {
        return config.enabled();
    }

    static final class Bucket {
        private final int capacity;
        private final double nanosPerToken;
        private double tokens;
        private long last;

        Bucket(int capacity, Duration period) {
            this.capacity = Math.max(1, capacity);
            this.nanosPerToken = (double) period.toNanos() / this.capacity;
            this.tokens = this.capacity;
            this.last = System.nanoTime();
        }

        synchronized Decision take() {
            return decide(true);
        }

        synchronized Decision peek() {
            return decide(false);
        }

        private Decision decide(boolean take) {
            long now = System.nanoTime();
            tokens = Math.min(capacity, tokens + (now - last) / nanosPerToken);
            last = now;
            if (tokens >= 1) {
                if (take) {
                    tokens -= 1;
                }
                return new Decision(true, capacity, (int) Math.floor(tokens), 0);
            }
            long wait = (long) Math.ceil((1 - tokens) * nanosPerToken / 1_000_000_000d);
            return new Decision(false, capacity, 0, Math.max(1, wait));
        }
    }
}
