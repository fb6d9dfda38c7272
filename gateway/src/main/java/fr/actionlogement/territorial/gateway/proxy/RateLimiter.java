package fr.actionlogement.territorial.gateway.proxy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import fr.actionlogement.territorial.gateway.config.GatewayConfig;

/**
 * Per-client token buckets: a client may burst up to its limit, then gets one request per period/limit. Kept in
 * this replica's memory (with N replicas a client gets up to N times the limit; see the README).
 */
@ApplicationScoped
public class RateLimiter {

    private final GatewayConfig.RateLimit config;
    private final Cache<String, Bucket> buckets;

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
            long now = System.nanoTime();
            tokens = Math.min(capacity, tokens + (now - last) / nanosPerToken);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return new Decision(true, capacity, (int) Math.floor(tokens), 0);
            }
            long wait = (long) Math.ceil((1 - tokens) * nanosPerToken / 1_000_000_000d);
            return new Decision(false, capacity, 0, Math.max(1, wait));
        }
    }
}
