package fr.actionlogement.territorial.gateway.support;

import java.util.HashMap;
import java.util.Map;

import fr.actionlogement.territorial.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The gateway's test world: token verification against {@link TestTokens}' key (no database, no Kafka) and the
 * fake upstreams. Every @QuarkusTest class of the module uses it with no args, so Quarkus boots once.
 */
public class GatewayTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String RATE_LIMITED_CLIENT = "rate-limited-partner";
    /** gateway.proxy.max-body-size in the tests: above StreamingTest's 50 MB upload. */
    public static final long MAX_BODY_MB = 60;

    @Override
    public Map<String, String> start() {
        FakeUpstreams up = FakeUpstreams.get();
        Map<String, String> config = new HashMap<>(TestTokens.verificationConfig());
        config.put("gateway.services.territories.url", "http://127.0.0.1:" + up.territoriesPort);
        config.put("gateway.services.conventions.url", "http://127.0.0.1:" + up.conventionsPort);
        config.put("gateway.services.partnerships.url", "http://127.0.0.1:" + up.partnershipsPort);
        config.put("gateway.services.observatory.url", "http://127.0.0.1:" + up.deadPort);
        // Generous for a loaded 2-core machine; the slow route sleeps far longer.
        config.put("gateway.services.territories.timeout", "3s");
        config.put("gateway.services.territories.route-timeouts.\"/api/territories/download\"", "60s");
        config.put("gateway.services.territories.route-timeouts.\"/api/territories/upload\"", "60s");
        config.put("gateway.services.territories.route-timeouts.\"/api/territories/slow-export\"", "20s");
        config.put("gateway.proxy.retry-backoff", "10ms");
        config.put("gateway.proxy.max-body-size", MAX_BODY_MB + "M");
        config.put("gateway.rate-limit.limit", "100000");
        config.put("gateway.rate-limit.clients." + RATE_LIMITED_CLIENT + ".limit", "3");
        config.put("gateway.rate-limit.clients." + RATE_LIMITED_CLIENT + ".period", "1h");
        config.put("gateway.dashboard.parts.territory.timeout", "5s");
        config.put("gateway.dashboard.parts.conference.timeout", "5s");
        config.put("gateway.dashboard.parts.conventions.timeout", "5s");
        config.put("gateway.dashboard.parts.partnerships.timeout", "1s");
        config.put("gateway.dashboard.parts.needs.timeout", "1s");
        config.put("gateway.openapi.keycloak-url", "http://keycloak.test:8180");
        config.put("gateway.health.timeout", "5s");
        return config;
    }

    @Override
    public void stop() {
        // The fake upstreams are daemon threads of this JVM.
    }
}
