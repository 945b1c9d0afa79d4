package io.authstream.streams;

import io.authstream.schemas.Topics;
import io.authstream.schemas.serde.AvroSerdeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/**
 * Settings of the Streams app, from environment variables, validated at start (every problem
 * listed at once, no secret echoed). {@code KAFKA_STREAMS_<NAME>} variables pass through to
 * Kafka Streams as {@code <name>} with {@code _} turned into {@code .}.
 */
public record StreamsAppConfig(
        String applicationId,
        String bootstrapServers,
        String stateDir,
        AuthTopology.Settings topology,
        Map<String, Object> serdeConfig,
        Map<String, String> passThrough) {

    public record Key(String name, String defaultValue, String description) {}

    public static final List<Key> KEYS = List.of(
            new Key("KAFKA_BOOTSTRAP_SERVERS", null, "Kafka bootstrap servers (required)."),
            new Key("SCHEMA_REGISTRY_URL", null, "Schema Registry URL(s) (required)."),
            new Key("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", null, "user:password for the Schema Registry (secret)."),
            new Key("STREAMS_APPLICATION_ID", "authstream-streams", "Kafka Streams application.id (consumer group, internal topic prefix)."),
            new Key("STREAMS_STATE_DIR", "data/streams", "Directory of the RocksDB state stores."),
            new Key("DEDUP_RETENTION_MS", "86400000", "How long an eventId is remembered for deduplication (event time)."),
            new Key("REORDER_GRACE_MS", "5000", "How long events wait for earlier events of their key."),
            new Key("REORDER_PUNCTUATE_MS", "1000", "How often the wall clock releases events of quiet keys."));

    public static StreamsAppConfig fromEnvironment(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        String bootstrap = value(env, "KAFKA_BOOTSTRAP_SERVERS");
        if (bootstrap == null) {
            problems.add("KAFKA_BOOTSTRAP_SERVERS is required (e.g. 127.0.0.1:9092)");
        }
        String registry = value(env, "SCHEMA_REGISTRY_URL");
        if (registry == null) {
            problems.add("SCHEMA_REGISTRY_URL is required (e.g. http://127.0.0.1:8081)");
        }
        Duration retention = Duration.ofMillis(number(env, "DEDUP_RETENTION_MS", 1_000, 30L * 24 * 3600 * 1000, problems));
        Duration grace = Duration.ofMillis(number(env, "REORDER_GRACE_MS", 0, 3_600_000, problems));
        Duration punctuate = Duration.ofMillis(number(env, "REORDER_PUNCTUATE_MS", 10, 600_000, problems));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid streams-app settings:\n  - " + String.join("\n  - ", problems));
        }
        Map<String, Object> serde = new HashMap<>();
        serde.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry);
        String userInfo = value(env, "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO");
        if (userInfo != null) {
            serde.put(AvroSerdeConfig.BASIC_AUTH_USER_INFO, userInfo);
        }
        Map<String, String> passThrough = new HashMap<>();
        env.forEach((name, v) -> {
            if (name.startsWith("KAFKA_STREAMS_")) {
                passThrough.put(name.substring("KAFKA_STREAMS_".length()).toLowerCase(Locale.ROOT).replace('_', '.'), v);
            }
        });
        return new StreamsAppConfig(value(env, "STREAMS_APPLICATION_ID"), bootstrap, value(env, "STREAMS_STATE_DIR"),
                new AuthTopology.Settings(retention, grace, punctuate), Map.copyOf(serde), Map.copyOf(passThrough));
    }

    /**
     * Kafka Streams properties: exactly-once v2, and poison records (undeserializable, unknown
     * schema) logged, sent to the dead-letter topic with the reason in headers, and skipped.
     */
    public Properties streamsProperties() {
        Properties props = new Properties();
        props.putAll(passThrough);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class.getName());
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.AUTH_EVENTS_DEADLETTER.name());
        return props;
    }

    @Override
    public String toString() {
        return "StreamsAppConfig[applicationId=" + applicationId + ", kafka=" + bootstrapServers + ", stateDir=" + stateDir
                + ", topology=" + topology + ", registry=" + serdeConfig.get(AvroSerdeConfig.SCHEMA_REGISTRY_URL) + "]";
    }

    private static String value(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return KEYS.stream().filter(k -> k.name().equals(name)).findFirst().map(Key::defaultValue).orElse(null);
        }
        return value.trim();
    }

    private static long number(Map<String, String> env, String name, long min, long max, List<String> problems) {
        String value = value(env, name);
        try {
            long parsed = Long.parseLong(value);
            if (parsed < min || parsed > max) {
                problems.add(name + " must be between " + min + " and " + max + ", got " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(name + " must be a whole number, got '" + value + "'");
            return min;
        }
    }
}
