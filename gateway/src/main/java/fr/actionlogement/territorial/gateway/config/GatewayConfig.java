package fr.actionlogement.territorial.gateway.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Everything the gateway can be told; defaults here and in application.properties, documented in the README.
 * Each property is overridable by its environment variable, e.g. {@code GATEWAY_SERVICES_TERRITORIES_URL}.
 */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /** Upstream services by context; requests to {@code /api/<context>/**} go to that service unchanged. */
    Map<String, Service> services();

    Proxy proxy();

    @WithName("rate-limit")
    RateLimit rateLimit();

    Dashboard dashboard();

    Health health();

    OpenApi openapi();

    @WithName("access-log")
    AccessLog accessLog();

    interface AccessLog {
        /**
         * One line per request (method, path, status, duration, traceparent) in category
         * {@code fr.actionlogement.territorial.gateway.access}. Written through the asynchronous console handler, so
         * the event loop only queues it; off, nothing is done per request (an ingress that logs requests already).
         */
        @WithDefault("true")
        boolean enabled();
    }

    interface Service {
        /** Base URL, e.g. {@code http://localhost:8081}. */
        String url();

        /** Time allowed for the response headers of one attempt; defaults to {@code gateway.proxy.timeout}. */
        Optional<Duration> timeout();

        /**
         * Per-route timeouts: path prefix to timeout, the longest matching prefix wins (e.g. a CSV export that
         * needs longer than the service's default).
         */
        @WithName("route-timeouts")
        Map<String, Duration> routeTimeouts();
    }

    interface Proxy {
        /** Default time allowed for an upstream's response headers (the body then streams with the idle timeout). */
        @WithDefault("30s")
        Duration timeout();

        @WithName("connect-timeout")
        @WithDefault("2s")
        Duration connectTimeout();

        /** A streaming body that stalls this long is cut. */
        @WithName("idle-timeout")
        @WithDefault("60s")
        Duration idleTimeout();

        /** Extra attempts for GET and HEAD only, when the service refused the connection or answered 502/503. */
        @WithDefault("2")
        int retries();

        @WithName("retry-backoff")
        @WithDefault("100ms")
        Duration retryBackoff();

        /** Larger declared bodies are refused (413) before any byte is forwarded; each service has its own limits too. */
        @WithName("max-body-size")
        @WithDefault("200M")
        io.quarkus.runtime.configuration.MemorySize maxBodySize();

        /** Connections to one service at most, shared out evenly between the event loops (each has its own pool). */
        @WithName("max-connections-per-service")
        @WithDefault("100")
        int maxConnectionsPerService();
    }

    interface RateLimit {
        @WithDefault("true")
        boolean enabled();

        /** Requests allowed per period and per client (token bucket: bursts up to the limit, refilled evenly). */
        @WithDefault("600")
        int limit();

        @WithDefault("1m")
        Duration period();

        /** Overrides by client id ({@code azp}) or token subject, e.g. a partner system's batch client. */
        Map<String, Client> clients();

        @WithName("max-tracked-clients")
        @WithDefault("100000")
        long maxTrackedClients();

        /**
         * Requests one client (token subject) may have in flight at once; the next gets 429 until one ends. Bounds
         * what one client holds of the services' worker threads and connection pools, whatever its request rate.
         */
        @WithName("max-concurrent")
        @WithDefault("20")
        int maxConcurrent();

        /**
         * Requests without a valid token, per client address: counted before any token is verified, so a flood
         * of missing, forged or garbage tokens costs neither verification work nor a call to Keycloak.
         */
        Unauthenticated unauthenticated();

        interface Unauthenticated {
            @WithDefault("60")
            int limit();

            @WithDefault("1m")
            Duration period();
        }

        interface Client {
            int limit();

            Optional<Duration> period();
        }
    }

    interface Dashboard {
        /** The parts of a territory dashboard: each a GET on one service, with its own timeout. */
        Map<String, Part> parts();

        interface Part {
            /** The service (key of {@code gateway.services}) that answers. */
            String service();

            /**
             * Path and query with placeholders {@code {territoryId}} ({@code EPCI:200046977}) and {@code {territoryCode}}
             * ({@code 200046977}), e.g. {@code /api/territories/territories/{territoryId}}.
             */
            String path();

            @WithDefault("2s")
            Duration timeout();
        }
    }

    interface Health {
        /**
         * true: the gateway's readiness is DOWN while any service is unreachable (the local stack waits on it);
         * false: degraded, each service check stays UP and reports the service's state in its data (Kubernetes,
         * so one service's outage does not take the entry point out of rotation).
         */
        @WithName("upstreams-affect-readiness")
        @WithDefault("true")
        boolean upstreamsAffectReadiness();

        @WithDefault("2s")
        Duration timeout();
    }

    interface OpenApi {
        /** Keycloak as the browser reaches it (Swagger UI's login). */
        @WithName("keycloak-url")
        @WithDefault("http://localhost:8180")
        String keycloakUrl();

        @WithDefault("action-logement")
        String realm();

        /** Time allowed to fetch a service's OpenAPI document. */
        @WithDefault("5s")
        Duration timeout();
    }
}
