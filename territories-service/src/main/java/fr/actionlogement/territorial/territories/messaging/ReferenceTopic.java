package fr.actionlogement.territorial.territories.messaging;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

import fr.actionlogement.territorial.buildingblocks.events.KafkaClients;
import fr.actionlogement.territorial.territories.config.TerritoriesConfig;

/**
 * Creates the reference topic as a compacted topic before anything is published to it: a consumer rebuilds its
 * read model from the latest TerritoryRegistered of each territory id (a broker with auto-creation would otherwise
 * create it with the delete policy). The start-up tasks call it before they load a data year, the first thing that
 * writes to that topic.
 */
@ApplicationScoped
public class ReferenceTopic {

    private static final Logger LOG = Logger.getLogger(ReferenceTopic.class);

    private final TerritoriesConfig config;
    private final KafkaClients kafka;

    ReferenceTopic(TerritoriesConfig config, KafkaClients kafka) {
        this.config = config;
        this.kafka = kafka;
    }

    public void ensureCompacted() {
        Properties p = kafka.properties();
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        String topic = config.topics().reference();
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);
            if (existing.contains(topic)) {
                return;
            }
            NewTopic t = new NewTopic(topic, config.reference().topicPartitions(),
                    config.reference().topicReplicationFactor())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            admin.createTopics(List.of(t)).all().get(15, TimeUnit.SECONDS);
            LOG.infof("Created compacted topic %s", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warnf("Could not create topic %s (%s); create it with cleanup.policy=compact", topic,
                        e.getCause());
            }
        } catch (Exception e) {
            LOG.warnf("Could not create topic %s (%s); create it with cleanup.policy=compact", topic, e.toString());
        }
    }
}
