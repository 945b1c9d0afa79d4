package io.authstream.streams;

import io.authstream.enrich.EnrichmentSettings;
import io.authstream.normalize.EventLimits;
import io.authstream.normalize.EventTimeBounds;
import io.authstream.schemas.Topics;
import io.authstream.config.EnvSettings.Key;
import io.authstream.config.EnvSettings;
import io.authstream.schemas.serde.AvroSerdeConfig;
import io.authstream.streams.deadletter.DeadLetterOnDeserializationError;
import io.authstream.streams.deadletter.DeadLetterOnProcessingError;
import io.authstream.streams.deadletter.DeadLetterOnProductionError;
import io.authstream.streams.deadletter.StreamsDeadLetters;
import io.authstream.streams.security.SecuritySettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Settings of the Streams app, from environment variables, validated at start (every problem
 * listed at once, no secret echoed). {@code KAFKA_STREAMS_<NAME>} variables pass through to
 * Kafka Streams as {@code <name>} with {@code _} turned into {@code .}.
 */
public record StreamsAppConfig(
        String applicationId,
        String bootstrapServers,
        String stateDir,
        String httpHost,
        int httpPort,
        String advertisedHost,
        AuthTopology.Settings topology,
        EnrichmentSettings enrichment,
        Map<String, Object> serdeConfig,
        Map<String, String> passThrough) {

    public static final List<Key> KEYS = keys();

    private static List<Key> keys() {
        List<Key> keys = new ArrayList<>(List.of(
            new Key("KAFKA_BOOTSTRAP_SERVERS", null, false, "Kafka bootstrap servers (required)."),
            new Key("SCHEMA_REGISTRY_URL", null, false, "Schema Registry URL(s) (required)."),
            new Key("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", null, true, "user:password for the Schema Registry."),
            new Key("STREAMS_APPLICATION_ID", "authstream-streams", false, "Kafka Streams application.id (consumer group, internal topic prefix)."),
            new Key("STREAMS_STATE_DIR", "data/streams", false, "Directory of the RocksDB state stores."),
            new Key("STREAMS_HTTP_HOST", "127.0.0.1", false, "Address of the health/metrics HTTP server."),
            new Key("STREAMS_HTTP_PORT", "8090", false, "Port of the health/metrics/analytics HTTP server (0 = any free port)."),
            new Key("STREAMS_ADVERTISED_HOST", null, false,
                    "Host other instances use to forward analytics queries here (application.server); default STREAMS_HTTP_HOST."),
            new Key("DEDUP_RETENTION_MS", "86400000", false, "How long an eventId is remembered for deduplication, counted in receive time (when copies arrive)."),
            new Key("REORDER_GRACE_MS", "5000", false, "How long events wait for earlier events of their key."),
            new Key("REORDER_PUNCTUATE_MS", "1000", false, "How often the wall clock releases events of quiet keys."),
            new Key("ANALYTICS_GRACE_MS", "86400000", false, "How late (event time) an event may still change an analytics window.")));
        keys.addAll(SecuritySettings.keys());
        keys.addAll(EnrichmentSettings.keys());
        keys.addAll(EventTimeBounds.keys());
        keys.addAll(EventLimits.keys());
        return List.copyOf(keys);
    }

    public static StreamsAppConfig fromEnvironment(Map<String, String> variables) {
        EnvSettings env = new EnvSettings(variables, KEYS);
        String bootstrap = env.required("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
        String registry = env.required("SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081");
        int httpPort = (int) env.number("STREAMS_HTTP_PORT", 0, 65535);
        Duration retention = Duration.ofMillis(env.number("DEDUP_RETENTION_MS", 1_000, 30L * 24 * 3600 * 1000));
        Duration grace = Duration.ofMillis(env.number("REORDER_GRACE_MS", 0, 3_600_000));
        Duration punctuate = Duration.ofMillis(env.number("REORDER_PUNCTUATE_MS", 10, 600_000));
        SecuritySettings security = SecuritySettings.from(env);
        Duration analyticsGrace = Duration.ofMillis(env.number("ANALYTICS_GRACE_MS", 0, 7L * 24 * 3600 * 1000));
        EnrichmentSettings enrichment = EnrichmentSettings.from(env);
        EventTimeBounds bounds = EventTimeBounds.from(env);
        EventLimits limits = EventLimits.from(env);
        env.failIfProblems("streams-app");
        Map<String, Object> serde = new HashMap<>();
        serde.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry);
        String userInfo = env.value("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO");
        if (userInfo != null) {
            serde.put(AvroSerdeConfig.BASIC_AUTH_USER_INFO, userInfo);
        }
        return new StreamsAppConfig(env.value("STREAMS_APPLICATION_ID"), bootstrap, env.value("STREAMS_STATE_DIR"),
                env.value("STREAMS_HTTP_HOST"), httpPort,
                advertisedHost(env.value("STREAMS_ADVERTISED_HOST"), env.value("STREAMS_HTTP_HOST")),
                new AuthTopology.Settings(retention, grace, punctuate, security, analyticsGrace, bounds, limits), enrichment,
                Map.copyOf(serde),
                Map.copyOf(env.passThrough("KAFKA_STREAMS_")));
    }

    /** Where other instances reach this one: the setting, else the bind address unless it is a wildcard, else the host name. */
    private static String advertisedHost(String advertised, String bind) {
        if (advertised != null) {
            return advertised;
        }
        if (!bind.equals("0.0.0.0") && !bind.equals("::")) {
            return bind;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    /**
     * Kafka Streams properties: exactly-once v2, and every record the app cannot read, refuses or
     * fails on sent to the dead-letter topic with the reason in headers, and skipped (see
     * {@link StreamsDeadLetters}); {@code deadLetters} is the instance the topology uses too.
     */
    public Properties streamsProperties(StreamsDeadLetters deadLetters) {
        Properties props = new Properties();
        props.putAll(passThrough);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterOnDeserializationError.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterOnProcessingError.class.getName());
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterOnProductionError.class.getName());
        props.put(StreamsDeadLetters.CONFIG, deadLetters);
        // A dead letter holds its input record whole (the dead-letter topic takes 8 MiB); the topics'
        // own limits still bound every other output, and the input guard keeps those far below them.
        props.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                Integer.toString(Topics.DEAD_LETTER_MAX_MESSAGE_BYTES));
        // The 5.0 default, set now so start-up does not warn about it.
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        return props;
    }

    @Override
    public String toString() {
        return "StreamsAppConfig[applicationId=" + applicationId + ", kafka=" + bootstrapServers + ", stateDir=" + stateDir + ", http=" + httpHost + ":" + httpPort
                + ", topology=" + topology + ", enrichment=[" + enrichment + "], registry=" + serdeConfig.get(AvroSerdeConfig.SCHEMA_REGISTRY_URL) + "]";
    }
}
