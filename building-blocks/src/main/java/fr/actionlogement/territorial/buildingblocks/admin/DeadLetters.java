package fr.actionlogement.territorial.buildingblocks.admin;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import fr.actionlogement.territorial.buildingblocks.events.CloudEvent;
import fr.actionlogement.territorial.buildingblocks.events.KafkaClients;
import fr.actionlogement.territorial.buildingblocks.inbox.Inbox;
import fr.actionlogement.territorial.buildingblocks.inbox.MalformedEventException;

/**
 * The service's dead-letter topic ({@code <service>.dlq.v1}, where SmallRye's {@code dead-letter-queue} failure
 * strategy puts the records a consumer refused), read and replayed.
 *
 * <p>
 * A replay reads the dead letters not replayed yet (consumer group {@code <service>-dead-letter-replay}, from the
 * group's committed offset up to the end offsets seen when the replay starts), republishes each one's key, value and
 * original headers (the {@code dead-letter-*} headers removed) to its original topic ({@code dead-letter-topic}
 * header), waits for Kafka's acknowledgements, then commits the group's offsets: a dead letter is replayed once.
 * Re-application is idempotent (the inbox skips event ids already applied), so the other consumer groups of that
 * topic skip the copy, and a replay cut short (crash before the commit) is harmless when run again.
 *
 * <p>
 * A dead letter that is not a CloudEvent at all is not republished: no fix on the consumer's side makes it readable,
 * and on a shared topic every consumer group would dead-letter it again. It is reported as discarded and stays in
 * the dead-letter topic for inspection until its retention expires.
 */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    static final String HEADER_PREFIX = "dead-letter-";
    static final String TOPIC_HEADER = "dead-letter-topic";
    static final String PARTITION_HEADER = "dead-letter-partition";
    static final String OFFSET_HEADER = "dead-letter-offset";
    static final String REASON_HEADER = "dead-letter-reason";
    static final String CAUSE_HEADER = "dead-letter-cause";

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final KafkaClients kafka;
    private final String topic;
    private final String replayGroup;
    private final Inbox inbox;

    DeadLetters(KafkaClients kafka,
            @ConfigProperty(name = "quarkus.application.name") String applicationName,
            @ConfigProperty(name = "mp.messaging.connector.smallrye-kafka.dead-letter-queue.topic", defaultValue = "") String topic,
            Inbox inbox) {
        this.kafka = kafka;
        this.topic = topic.isBlank() ? applicationName + ".dlq.v1" : topic;
        this.replayGroup = applicationName + "-dead-letter-replay";
        this.inbox = inbox;
    }

    /** One dead letter: where it came from, why it was refused, and what it is when it is a readable event. */
    public record DeadLetter(String originalTopic, Integer originalPartition, Long originalOffset, String key,
            String reason, String cause, String eventId, String eventType, int dlqPartition, long dlqOffset,
            Instant deadLetteredAt) {
    }

    /** The dead letters not replayed yet (at most {@code limit} of them listed). */
    public record Pending(String topic, String replayGroup, long pending, List<DeadLetter> items) {
    }

    /** What a replay did. */
    public record Replay(String topic, int replayed, Map<String, Integer> replayedByTopic, List<DeadLetter> discarded) {
    }

    public String topic() {
        return topic;
    }

    /** Lists the dead letters the next replay would handle. */
    public Pending pending(int limit) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            Map<TopicPartition, Long> end = positionAtReplayStart(consumer);
            long pending = 0;
            for (TopicPartition tp : end.keySet()) {
                pending += Math.max(0, end.get(tp) - consumer.position(tp, TIMEOUT));
            }
            List<DeadLetter> items = new ArrayList<>();
            readUpTo(consumer, end, record -> {
                if (items.size() < limit) {
                    items.add(describe(record));
                }
                return items.size() < limit;
            });
            return new Pending(topic, replayGroup, pending, items);
        } catch (KafkaException e) {
            throw new DeadLetterUnavailable("Kafka could not be read: " + e.getMessage(), e);
        }
    }

    /** Republishes every dead letter not replayed yet; see the class comment. One replay at a time per replica. */
    public synchronized Replay replay() {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer();
                KafkaProducer<byte[], byte[]> producer = producer()) {
            Map<TopicPartition, Long> end = positionAtReplayStart(consumer);
            Map<String, Integer> byTopic = new TreeMap<>();
            List<DeadLetter> discarded = new ArrayList<>();
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            readUpTo(consumer, end, record -> {
                DeadLetter letter = describe(record);
                if (letter.originalTopic() == null) {
                    discarded.add(letter);
                    LOG.warnf("Dead letter %s-%d@%d has no %s header: not replayed", topic, record.partition(),
                            record.offset(), TOPIC_HEADER);
                } else if (letter.eventId() == null) {
                    discarded.add(letter);
                    LOG.warnf("Dead letter %s-%d@%d from %s is not a CloudEvent: not replayed (%s)", topic,
                            record.partition(), record.offset(), letter.originalTopic(), letter.reason());
                } else {
                    acks.add(producer.send(new ProducerRecord<>(letter.originalTopic(), null, record.key(),
                            record.value(), originalHeaders(record))));
                    byTopic.merge(letter.originalTopic(), 1, Integer::sum);
                }
                return true;
            });
            producer.flush();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            end.forEach((tp, offset) -> commit.put(tp, new OffsetAndMetadata(offset)));
            consumer.commitSync(commit, TIMEOUT);
            int replayed = byTopic.values().stream().mapToInt(Integer::intValue).sum();
            LOG.infof("Replayed %d dead letters of %s (%s), %d discarded", replayed, topic, byTopic, discarded.size());
            return new Replay(topic, replayed, byTopic, discarded);
        } catch (KafkaException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new DeadLetterUnavailable("the replay could not complete, nothing was committed (it is safe to run "
                    + "it again): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadLetterUnavailable("interrupted", e);
        }
    }

    /** Assigns every partition, positioned at the group's committed offset; returns the end offsets of now. */
    private Map<TopicPartition, Long> positionAtReplayStart(KafkaConsumer<byte[], byte[]> consumer) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
        if (infos == null || infos.isEmpty()) {
            return Map.of();
        }
        List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(partitions),
                TIMEOUT);
        Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, TIMEOUT);
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata c = committed.get(tp);
            // retention may have removed what the last replay left behind
            consumer.seek(tp, Math.max(c == null ? 0 : c.offset(), beginning.get(tp)));
        }
        return new LinkedHashMap<>(consumer.endOffsets(partitions, TIMEOUT));
    }

    private interface Visitor {
        /** @return false to stop reading */
        boolean visit(ConsumerRecord<byte[], byte[]> record);
    }

    private void readUpTo(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end, Visitor visitor) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!reached(consumer, end)) {
            if (System.nanoTime() > deadline) {
                throw new KafkaException("the end of " + topic + " was not reached within 60 s");
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                if (record.offset() >= end.getOrDefault(tp, 0L)) {
                    continue; // dead-lettered after the replay started: the next replay's
                }
                if (!visitor.visit(record)) {
                    return;
                }
            }
        }
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey(), TIMEOUT) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private DeadLetter describe(ConsumerRecord<byte[], byte[]> record) {
        String value = record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
        String eventId = null;
        String eventType = null;
        try {
            CloudEvent event = inbox.parse(value);
            eventId = event.id();
            eventType = event.type();
        } catch (MalformedEventException e) {
            // not an event: reported without id and type
        }
        String partition = header(record, PARTITION_HEADER);
        String offset = header(record, OFFSET_HEADER);
        return new DeadLetter(header(record, TOPIC_HEADER), partition == null ? null : Integer.valueOf(partition),
                offset == null ? null : Long.valueOf(offset),
                record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
                header(record, REASON_HEADER), header(record, CAUSE_HEADER), eventId, eventType, record.partition(),
                record.offset(), Instant.ofEpochMilli(record.timestamp()));
    }

    private static RecordHeaders originalHeaders(ConsumerRecord<byte[], byte[]> record) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : record.headers()) {
            if (!h.key().startsWith(HEADER_PREFIX)) {
                headers.add(h);
            }
        }
        return headers;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties p = kafka.properties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, replayGroup);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(TIMEOUT.toMillis()));
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(TIMEOUT.toMillis()));
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, replayGroup);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties p = kafka.properties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(TIMEOUT.toMillis()));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(TIMEOUT.toMillis()));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(TIMEOUT.toMillis() + 5));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, replayGroup);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    /** Kafka could not be reached or did not answer in time: a 503, retried later by the operator. */
    public static class DeadLetterUnavailable extends RuntimeException {
        public DeadLetterUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
