package fr.actionlogement.territorial.gateway.health;

import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import fr.actionlogement.territorial.gateway.config.GatewayConfig;
import fr.actionlogement.territorial.gateway.proxy.UpstreamCalls;
import fr.actionlogement.territorial.gateway.proxy.Upstreams;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/**
 * One readiness check per service: its own {@code /q/health/ready}. DOWN when the service is unreachable or not
 * ready; with {@code gateway.health.upstreams-affect-readiness=false} the check stays UP and reports "degraded".
 */
public abstract class UpstreamReadiness implements AsyncHealthCheck {

    @Inject
    Upstreams upstreams;

    @Inject
    UpstreamCalls calls;

    @Inject
    GatewayConfig config;

    protected abstract String service();

    @Override
    public Uni<HealthCheckResponse> call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named(service());
        var up = upstreams.get(service());
        if (up.isEmpty()) {
            return Uni.createFrom().item(builder.up().withData("upstream", "not configured").build());
        }
        builder.withData("url", up.get().baseUrl());
        var answer = calls.get(up.get(), "/q/health/ready", Map.of("Accept", "application/json"),
                config.health().timeout())
                .map(a -> a.status() == 200 ? null : "answered " + a.status())
                .otherwise(e -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        return Uni.createFrom().completionStage(answer.toCompletionStage()).map(problem -> {
            if (problem == null) {
                return builder.up().withData("upstream", "UP").build();
            }
            builder.withData("upstream", "DOWN").withData("reason", problem);
            if (config.health().upstreamsAffectReadiness()) {
                return builder.down().build();
            }
            return builder.up().withData("gateway", "degraded").build();
        });
    }
}
