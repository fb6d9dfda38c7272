package fr.actionlogement.territorial.buildingblocks.events;

import java.util.Map;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.common.annotation.Identifier;

/**
 * The connection settings every Kafka client of a service shares: the {@code kafka.*} configuration (bootstrap
 * servers, and on a secured cluster {@code security.protocol}, SASL and TLS settings), as Quarkus gives it to the
 * SmallRye channels. The outbox relay, the dead-letter replay and the admin clients start from these, so a cluster
 * that requires TLS and SCRAM is configured once, in {@code KAFKA_*} environment variables, for all of them.
 */
@ApplicationScoped
public class KafkaClients {

    private final Map<String, Object> defaults;

    KafkaClients(@Identifier("default-kafka-broker") Map<String, Object> defaults) {
        this.defaults = defaults;
    }

    /** A fresh copy of the shared settings, to which a client adds its own. */
    public Properties properties() {
        Properties p = new Properties();
        defaults.forEach((key, value) -> {
            // Quarkus adds the application name as a default group id; only consumers want one, and set their own.
            if (!"group.id".equals(key) && value != null) {
                p.put(key, String.valueOf(value));
            }
        });
        return p;
    }
}
