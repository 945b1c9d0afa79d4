package io.authstream.opscli;

import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.serde.AvroDeserializer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * When each source last delivered an event: the newest records of {@code auth.events.raw}, where
 * every producer (gateway routes, logs source) writes, decoded, and their {@code receivedAt} by
 * {@code source}. No consumer group; only the last {@code n} records of each partition are read.
 */
final class LastEvents {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final Connection connection;

    LastEvents(Connection connection) {
        this.connection = connection;
    }

    Map<String, Instant> bySource(int n) {
        Map<String, Object> config = new HashMap<>(connection.client());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "authstream-cli");
        config.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        Map<String, Instant> last = new TreeMap<>();
        String topic = Topics.AUTH_EVENTS_RAW.name();
        try (KafkaConsumer<byte[], byte[]> consumer =
                        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                AvroDeserializer<AuthEvent> avro = new AvroDeserializer<>(AuthEvent.class, connection.serde())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
            Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions, TIMEOUT);
            for (TopicPartition tp : partitions) {
                consumer.seek(tp, Math.max(begins.get(tp), ends.get(tp) - n));
            }
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        AuthEvent event = avro.deserialize(topic, record.value());
                        last.merge(event.getSource(), event.getReceivedAt(), (a, b) -> a.isAfter(b) ? a : b);
                    } catch (RuntimeException undecodable) {
                        // Not an AuthEvent of the registry: not an event from a source.
                    }
                }
            }
        }
        return last;
    }
}
