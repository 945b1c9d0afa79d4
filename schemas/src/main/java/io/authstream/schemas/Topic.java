package io.authstream.schemas;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;

/**
 * One topic of the pipeline: its name, how its keys and values are (de)serialized, and how it is
 * cleaned up. Call sites take serdes from here so a name is never paired with the wrong serde.
 *
 * @param name topic name (a contract with consumers outside this project)
 * @param keySerde serde of the keys
 * @param valueSerde builds the value serde from the serde config ({@code schema.registry.url}, ...)
 * @param compacted whether the topic is log-compacted (latest value per key) instead of time-retained
 * @param retention how long records are kept on a non-compacted topic; empty for the broker default
 * @param appendTime whether the broker stamps records with their append time: retention then
 *     counts from when a record was written, not from the event time its producer set (an alert
 *     about a months-old event must not be deleted at the next retention check)
 * @param description what the topic holds, for the README and tooling
 */
public record Topic<K, V>(
        String name,
        Serde<K> keySerde,
        Function<Map<String, ?>, Serde<V>> valueSerde,
        boolean compacted,
        Optional<Duration> retention,
        boolean appendTime,
        String description) {

    /** The value serde, configured with {@code serdeConfig}. */
    public Serde<V> valueSerde(Map<String, ?> serdeConfig) {
        return valueSerde.apply(serdeConfig);
    }

    /** Topic-level configs that make the broker treat this topic as the catalogue says. */
    public Map<String, String> topicConfigs() {
        Map<String, String> configs = new HashMap<>();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG,
                compacted ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE);
        retention.ifPresent(r -> configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(r.toMillis())));
        if (appendTime) {
            configs.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
        }
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
