package fr.actionlogement.territorial.gateway.proxy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import fr.actionlogement.territorial.gateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;

/** The services behind the gateway: where they are, their connection pools (one per event loop), and their timeouts. */
@ApplicationScoped
public class Upstreams {

    public record Upstream(String name, String host, int port, boolean ssl, String prefix, EventLoopClients clients,
            Duration timeout, Map<String, Duration> routeTimeouts) {

        /** The HTTP client of the calling event loop (see {@link EventLoopClients}). */
        public HttpClient client() {
            return clients.current();
        }

        /** The longest configured route prefix matching the path decides; else the service's timeout. */
        public Duration timeoutFor(String path) {
            String best = null;
            for (String p : routeTimeouts.keySet()) {
                if (path.startsWith(p) && (best == null || p.length() > best.length())) {
                    best = p;
                }
            }
            return best == null ? timeout : routeTimeouts.get(best);
        }

        public String baseUrl() {
            return (ssl ? "https://" : "http://") + host + ":" + port;
        }
    }

    private final Map<String, Upstream> byName = new ConcurrentHashMap<>();
    private final GatewayConfig config;

    public Upstreams(Vertx vertx, GatewayConfig config) {
        this.config = config;
        for (Map.Entry<String, GatewayConfig.Service> e : new TreeMap<>(config.services()).entrySet()) {
            URI uri = URI.create(e.getValue().url());
            boolean ssl = "https".equalsIgnoreCase(uri.getScheme());
            int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
            EventLoopClients clients = new EventLoopClients(vertx, new HttpClientOptions()
                    .setConnectTimeout((int) config.proxy().connectTimeout().toMillis())
                    .setKeepAlive(true)
                    .setSsl(ssl)
                    .setDecompressionSupported(false), config.proxy().maxConnectionsPerService());
            byName.put(e.getKey(), new Upstream(e.getKey(), uri.getHost(), port, ssl, "/api/" + e.getKey(), clients,
                    e.getValue().timeout().orElse(config.proxy().timeout()), Map.copyOf(e.getValue().routeTimeouts())));
        }
    }

    public Optional<Upstream> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Map<String, Upstream> all() {
        return new TreeMap<>(byName);
    }

    public GatewayConfig config() {
        return config;
    }

    @PreDestroy
    void close() {
        byName.values().forEach(u -> u.clients().close());
    }
}
