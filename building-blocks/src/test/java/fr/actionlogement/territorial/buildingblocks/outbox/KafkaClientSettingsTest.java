package fr.actionlogement.territorial.buildingblocks.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import fr.actionlogement.territorial.buildingblocks.events.KafkaClients;
import fr.actionlogement.territorial.testsupport.RealInfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "building_blocks"))
class KafkaClientSettingsTest {

    @Inject
    OutboxRelay relay;
    @Inject
    KafkaClients kafka;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    @DisplayName("the relay's producer takes every kafka.* setting the channels use (a secured cluster is configured once)")
    void relayUsesTheSharedKafkaSettings() {
        // kafka.client.dns.lookup stands in for security.protocol and SASL settings: set in the test configuration.
        assertThat(kafka.properties()).containsEntry("bootstrap.servers", bootstrap)
                .containsEntry("client.dns.lookup", "use_all_dns_ips").doesNotContainKey("group.id");
        assertThat(relay.producerProperties()).containsEntry("bootstrap.servers", bootstrap)
                .containsEntry("client.dns.lookup", "use_all_dns_ips").containsEntry("acks", "all");
    }
}
