package fr.actionlogement.territorial.systemtests.support;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What Kafka says about the flow of events: records waiting in dead-letter topics, and each consumer group's lag
 * (latest offset minus committed offset, per partition; a partition assigned to the group but never committed counts
 * every record it holds).
 */
public final class EventBacklog implements AutoCloseable {

    private final Admin admin;

    public EventBacklog(String bootstrapServers) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        this.admin = Admin.create(p);
    }

    private List<TopicPartition> partitionsOf(Collection<String> topics) throws InterruptedException, ExecutionException {
        List<TopicPartition> partitions = new ArrayList<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((name, d) -> d.partitions()
                .forEach(pi -> partitions.add(new TopicPartition(name, pi.partition()))));
        return partitions;
    }

    /** Records held by each topic (latest minus earliest offset over its partitions). */
    public Map<String, Long> records(Collection<String> topics) {
        Map<String, Long> out = new TreeMap<>();
        try {
            List<TopicPartition> partitions = partitionsOf(topics);
            Map<TopicPartition, Long> latest = offsets(partitions, OffsetSpec.latest());
            Map<TopicPartition, Long> earliest = offsets(partitions, OffsetSpec.earliest());
            for (TopicPartition tp : partitions) {
                out.merge(tp.topic(), latest.get(tp) - earliest.get(tp), Long::sum);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka did not describe " + topics, e.getCause());
        }
    }

    /**
     * The end offset of each topic (sum over its partitions): it only grows, compaction or retention
     * notwithstanding, so the difference between two readings is the number of records published in between.
     */
    public Map<String, Long> endOffsets(Collection<String> topics) {
        Map<String, Long> out = new TreeMap<>();
        try {
            List<TopicPartition> partitions = partitionsOf(topics);
            offsets(partitions, OffsetSpec.latest()).forEach((tp, offset) -> out.merge(tp.topic(), offset, Long::sum));
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka did not describe " + topics, e.getCause());
        }
    }

    public Set<String> consumerGroups() {
        try {
            return admin.listConsumerGroups().all().get().stream().map(ConsumerGroupListing::groupId)
                    .collect(Collectors.toCollection(java.util.TreeSet::new));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka did not list the consumer groups", e.getCause());
        }
    }

    /** Non-zero lags only, keyed {@code group topic-partition}; empty when every group has caught up. */
    public Map<String, Long> lags() {
        Map<String, Long> lags = new TreeMap<>();
        try {
            Set<String> groups = consumerGroups();
            Map<String, ConsumerGroupDescription> described = admin.describeConsumerGroups(groups).all().get();
            for (String group : groups) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get();
                Set<TopicPartition> partitions = new HashSet<>(committed.keySet());
                ConsumerGroupDescription d = described.get(group);
                if (d != null) {
                    for (MemberDescription m : d.members()) {
                        partitions.addAll(m.assignment().topicPartitions());
                    }
                }
                Map<TopicPartition, Long> latest = offsets(partitions, OffsetSpec.latest());
                Map<TopicPartition, Long> earliest = offsets(partitions, OffsetSpec.earliest());
                for (TopicPartition tp : partitions) {
                    OffsetAndMetadata c = committed.get(tp);
                    long from = c == null ? earliest.get(tp) : c.offset();
                    long lag = latest.get(tp) - from;
                    if (lag > 0) {
                        lags.put(group + " " + tp, lag);
                    }
                }
            }
            return lags;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka did not describe the consumer groups", e.getCause());
        }
    }

    private Map<TopicPartition, Long> offsets(Collection<TopicPartition> partitions, OffsetSpec spec)
            throws InterruptedException, ExecutionException {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> request = partitions.stream()
                .collect(Collectors.toMap(Function.identity(), tp -> spec));
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(request).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    @Override
    public void close() {
        admin.close();
    }
}
