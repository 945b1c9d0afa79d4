package io.authstream.opscli;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads every partition of a topic without a consumer group (nothing is committed, no group is
 * left behind): from the beginning, the end, or the first record at or after a time, up to the
 * end offsets taken when it starts, or for ever when following. Read committed: what an aborted
 * transaction wrote is never shown.
 */
final class TopicReader {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Where to start in each partition: at {@code since} when set, else the beginning or the end. */
    record Start(boolean fromEnd, Instant since) {
        static final Start BEGINNING = new Start(false, null);
        static final Start END = new Start(true, null);

        static Start since(Instant since) {
            return new Start(false, since);
        }
    }

    private final Map<String, Object> consumerConfig;

    TopicReader(Map<String, Object> clientConfig) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "authstream-cli");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumerConfig = config;
    }

    /** Whether the topic exists (its partitions are known to the cluster). */
    boolean exists(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<PartitionInfo> partitions = consumer.listTopics(TIMEOUT).get(topic);
            return partitions != null && !partitions.isEmpty();
        }
    }

    /**
     * Waits until no transaction is open on {@code topic} (its last stable offsets equal its high
     * watermarks), at most {@code timeout}: a transaction's commit markers are written after the
     * commit returns, so what was committed a moment ago may not be readable yet.
     *
     * @return whether none is open
     */
    boolean awaitStable(String topic, Duration timeout) {
        Map<String, Object> uncommitted = new HashMap<>(consumerConfig);
        uncommitted.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> committed = consumer();
                KafkaConsumer<byte[], byte[]> all =
                        new KafkaConsumer<>(uncommitted, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = committed.partitionsFor(topic, TIMEOUT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                if (committed.endOffsets(partitions, TIMEOUT).equals(all.endOffsets(partitions, TIMEOUT))) {
                    return true;
                }
                if (System.nanoTime() > deadline) {
                    return false;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    /**
     * Hands each record to {@code each} in partition order (partitions interleaved), until it
     * returns false, the end offsets taken at the start are reached (unless {@code follow}), or
     * the thread is interrupted.
     */
    void read(String topic, Start start, boolean follow, Predicate<ConsumerRecord<byte[], byte[]>> each) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<PartitionInfo> infos = consumer.listTopics(TIMEOUT).get(topic);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("no topic " + topic + " on this cluster");
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
                    .toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, TIMEOUT);
            Map<TopicPartition, OffsetAndTimestamp> atTime = Map.of();
            if (start.since() != null) {
                Map<TopicPartition, Long> query = new HashMap<>();
                partitions.forEach(p -> query.put(p, start.since().toEpochMilli()));
                atTime = new HashMap<>(consumer.offsetsForTimes(query, TIMEOUT));
            }
            Map<TopicPartition, Long> remaining = new HashMap<>();
            for (TopicPartition partition : partitions) {
                long position;
                if (start.since() != null) {
                    OffsetAndTimestamp found = atTime.get(partition);
                    position = found == null ? end.get(partition) : found.offset();
                } else {
                    position = start.fromEnd() ? end.get(partition) : beginning.get(partition);
                }
                consumer.seek(partition, position);
                if (position < end.get(partition)) {
                    remaining.put(partition, end.get(partition));
                }
            }
            while ((follow || !remaining.isEmpty()) && !Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (!follow && record.offset() >= end.get(partition)) {
                        continue;
                    }
                    if (!each.test(record)) {
                        return;
                    }
                }
                if (!follow) {
                    remaining.entrySet().removeIf(e -> consumer.position(e.getKey(), TIMEOUT) >= e.getValue());
                }
            }
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
