package io.authstream.schemas;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;

/**
 * One topic of the pipeline: its name, how its keys and values are (de)serialized, and how it is
 * cleaned up. The Streams app takes the serdes of what it writes from here
 * ({@code AuthTopology.Serdes.fromCatalogue}), so a topic is never paired with another's serde; the
 * gateway and the connectors write records they encoded themselves (bytes).
 *
 * @param name topic name (a contract with consumers outside this project)
 * @param keySerde serde of the keys
 * @param valueSerde builds the value serde from the serde config ({@code schema.registry.url}, ...)
 * @param compacted whether the topic is log-compacted (latest value per key) instead of time-retained
 * @param retention how long records are kept on a non-compacted topic; empty for the broker default.
 *     A time-retained topic is stamped by the broker with each record's append time, so retention
 *     counts from when a record was written, never from the event time its producer set: a
 *     backfill of years-old events (or an alert about one) is kept for the full retention, where
 *     with event times as record times the next retention check would delete it
 * @param maxMessageBytes the topic's record size limit, when it is not the broker's default
 * @param description what the topic holds, for the README and tooling
 */
public record Topic<K, V>(
        String name,
        Serde<K> keySerde,
        Function<Map<String, ?>, Serde<V>> valueSerde,
        boolean compacted,
        Optional<Duration> retention,
        OptionalInt maxMessageBytes,
        String description) {

    /** The value serde, configured with {@code serdeConfig}. */
    public Serde<V> valueSerde(Map<String, ?> serdeConfig) {
        return valueSerde.apply(serdeConfig);
    }

    /** Topic-level configs that make the broker treat this topic as the catalogue says. */
    public Map<String, String> topicConfigs() {
        Map<String, String> configs = new HashMap<>();
        configs.put(
                TopicConfig.CLEANUP_POLICY_CONFIG,
                compacted ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE);
        retention.ifPresent(r -> configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(r.toMillis())));
        if (!compacted) {
            configs.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
        }
        maxMessageBytes.ifPresent(max -> configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(max)));
        return configs;
    }

    /** A creation request for this topic. */
    public NewTopic newTopic(int partitions, short replicationFactor) {
        return new NewTopic(name, partitions, replicationFactor).configs(topicConfigs());
    }

    @Override
    public String toString() {
        return name;
    }
}
