package fr.actionlogement.territorial.testsupport;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a {@code @QuarkusTest} a real PostgreSQL database of its own (init arg {@code database}), the real Kafka
 * broker, and token verification against {@link TestTokens}' signing key. Dev Services stay off: they need Docker.
 *
 * <pre>
 * &#64;WithTestResource(value = RealInfrastructureResource.class,
 *         initArgs = &#64;ResourceArg(name = "database", value = "conventions"))
 * </pre>
 */
public class RealInfrastructureResource implements QuarkusTestResourceLifecycleManager {

    private String database = "app";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        RealInfrastructure infra = RealInfrastructure.get();
        infra.createDatabase(database);
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.jdbc.url", infra.jdbcUrl(database));
        config.put("quarkus.datasource.username", infra.user());
        config.put("quarkus.datasource.password", infra.password());
        config.put("kafka.bootstrap.servers", infra.kafkaBootstrapServers());
        config.put("quarkus.devservices.enabled", "false");
        config.putAll(TestTokens.verificationConfig());
        return config;
    }

    @Override
    public void stop() {
        // The servers are shared by every test class of the JVM and stop with it.
    }
}
