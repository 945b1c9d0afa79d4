package io.authstream.streams;

import io.authstream.config.Setting;
import io.authstream.config.Settings;
import io.authstream.config.SettingsDef;
import io.authstream.enrich.EnrichmentSettings;
import io.authstream.normalize.EventLimits;
import io.authstream.normalize.EventTimeBounds;
import io.authstream.schemas.Topics;
import io.authstream.schemas.serde.AvroSerdeConfig;
import io.authstream.streams.deadletter.DeadLetterOnDeserializationError;
import io.authstream.streams.deadletter.DeadLetterOnProcessingError;
import io.authstream.streams.deadletter.DeadLetterOnProductionError;
import io.authstream.streams.deadletter.StreamsDeadLetters;
import io.authstream.streams.http.dashboard.DashboardSettings;
import io.authstream.streams.security.SecuritySettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
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
        Map<String, String> passThrough,
        DashboardSettings dashboard) {

    private static final long DAY_MS = 24L * 3600 * 1000;

    public static final Setting<String> BOOTSTRAP_SERVERS = Setting.text(
                    "KAFKA_BOOTSTRAP_SERVERS", "Kafka bootstrap servers (required).")
            .required("127.0.0.1:9092");
    public static final Setting<String> REGISTRY_URL = Setting.text(
                    "SCHEMA_REGISTRY_URL", "Schema Registry URL(s) (required).")
            .required("http://127.0.0.1:8081");
    public static final Setting<String> REGISTRY_USER_INFO = Setting.text(
                    "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "user:password for the Schema Registry.")
            .secret();
    public static final Setting<String> APPLICATION_ID = Setting.text(
                    "STREAMS_APPLICATION_ID", "Kafka Streams application.id (consumer group, internal topic prefix).")
            .defaultValue("authstream-streams");
    public static final Setting<String> STATE_DIR = Setting.text(
                    "STREAMS_STATE_DIR", "Directory of the RocksDB state stores.")
            .defaultValue("data/streams");
    public static final Setting<String> HTTP_HOST = Setting.text(
                    "STREAMS_HTTP_HOST", "Address of the health/metrics HTTP server.")
            .defaultValue("127.0.0.1");
    public static final Setting<Integer> HTTP_PORT = Setting.port(
                    "STREAMS_HTTP_PORT", "Port of the health/metrics/analytics HTTP server (0 = any free port).")
            .defaultValue(8090);
    public static final Setting<String> ADVERTISED_HOST = Setting.text(
            "STREAMS_ADVERTISED_HOST",
            "Host other instances use to forward analytics queries here (application.server); default STREAMS_HTTP_HOST.");
    public static final Setting<Duration> DEDUP_RETENTION = Setting.millis(
                    "DEDUP_RETENTION_MS",
                    1_000,
                    30 * DAY_MS,
                    "How long an eventId is remembered for deduplication, counted in receive time (when copies arrive).")
            .defaultValue(DAY_MS);
    public static final Setting<Duration> REORDER_GRACE = Setting.millis(
                    "REORDER_GRACE_MS", 0, 3_600_000, "How long events wait for earlier events of their key.")
            .defaultValue(5_000);
    public static final Setting<Duration> REORDER_PUNCTUATE = Setting.millis(
                    "REORDER_PUNCTUATE_MS", 10, 600_000, "How often the wall clock releases events of quiet keys.")
            .defaultValue(1_000);

    public static final Setting<Duration> ANALYTICS_FLUSH = Setting.millis(
                    "ANALYTICS_FLUSH_MS",
                    10,
                    60_000,
                    "How often (wall clock) each task sends its analytics partials (counts per metric and hour, "
                            + "active-user sketches per day) to be combined: how far auth.analytics and the analytics API "
                            + "trail the events.")
            .defaultValue(1_000);

    /** Kafka Streams passes through {@code KAFKA_STREAMS_*}, except what the app decides itself. */
    public static final String PASS_THROUGH = "KAFKA_STREAMS_";

    private static final String DEAD_LETTERS =
            "the app sets: what it cannot read, refuses or fails on goes to auth.events.deadletter";

    public static final SettingsDef DEFINITION = definition();

    // PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG is deprecated for 5.0, where its value is
    // the default; until then the app sets it (and so refuses it as a pass-through).
    @SuppressWarnings("deprecation")
    private static SettingsDef definition() {
        List<Setting<?>> settings = new ArrayList<>(List.of(
                BOOTSTRAP_SERVERS,
                REGISTRY_URL,
                REGISTRY_USER_INFO,
                APPLICATION_ID,
                STATE_DIR,
                HTTP_HOST,
                HTTP_PORT,
                ADVERTISED_HOST,
                DEDUP_RETENTION,
                REORDER_GRACE,
                REORDER_PUNCTUATE,
                ANALYTICS_FLUSH));
        settings.addAll(SecuritySettings.settings());
        settings.addAll(EnrichmentSettings.settings());
        settings.addAll(EventTimeBounds.settings());
        settings.addAll(EventLimits.settings());
        settings.addAll(DashboardSettings.settings());
        return SettingsDef.of("streams-app", settings)
                .ownPrefixes(
                        "STREAMS_",
                        "DEDUP_",
                        "REORDER_",
                        "ANALYTICS_",
                        "SECURITY_",
                        "RULES_",
                        "GEOIP_",
                        "USER_AGENT_",
                        "EVENT_",
                        "DASHBOARD_")
                .passThrough(
                        PASS_THROUGH,
                        "Kafka Streams client",
                        Map.ofEntries(
                                Map.entry(StreamsConfig.APPLICATION_ID_CONFIG, "is STREAMS_APPLICATION_ID"),
                                Map.entry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "is KAFKA_BOOTSTRAP_SERVERS"),
                                Map.entry(StreamsConfig.STATE_DIR_CONFIG, "is STREAMS_STATE_DIR"),
                                Map.entry(
                                        StreamsConfig.APPLICATION_SERVER_CONFIG,
                                        "is STREAMS_ADVERTISED_HOST and the HTTP port"),
                                Map.entry(
                                        StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                                        "is always exactly_once_v2 (dedup, profiles and alerts count on it)"),
                                Map.entry(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DEAD_LETTERS),
                                Map.entry("default.deserialization.exception.handler", DEAD_LETTERS),
                                Map.entry(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DEAD_LETTERS),
                                Map.entry(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DEAD_LETTERS),
                                Map.entry("default.production.exception.handler", DEAD_LETTERS),
                                Map.entry(
                                        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG,
                                        DEAD_LETTERS)));
    }

    public static StreamsAppConfig fromEnvironment(Map<String, String> variables) {
        Settings env = DEFINITION.read(variables);
        Map<String, Object> serde = new HashMap<>();
        serde.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, env.get(REGISTRY_URL));
        env.optional(REGISTRY_USER_INFO)
                .ifPresent(userInfo -> serde.put(AvroSerdeConfig.BASIC_AUTH_USER_INFO, userInfo));
        return new StreamsAppConfig(
                env.get(APPLICATION_ID),
                env.get(BOOTSTRAP_SERVERS),
                env.get(STATE_DIR),
                env.get(HTTP_HOST),
                env.get(HTTP_PORT),
                advertisedHost(env.get(ADVERTISED_HOST), env.get(HTTP_HOST)),
                new AuthTopology.Settings(
                        env.get(DEDUP_RETENTION),
                        env.get(REORDER_GRACE),
                        env.get(REORDER_PUNCTUATE),
                        SecuritySettings.from(env),
                        EventTimeBounds.from(env),
                        EventLimits.from(env),
                        env.get(ANALYTICS_FLUSH)),
                EnrichmentSettings.from(env),
                Map.copyOf(serde),
                env.passThrough(PASS_THROUGH),
                DashboardSettings.from(env));
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
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
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
        props.put(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterOnDeserializationError.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterOnProcessingError.class.getName());
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterOnProductionError.class.getName());
        props.put(StreamsDeadLetters.CONFIG, deadLetters);
        // A dead letter holds its input record whole (the dead-letter topic takes 8 MiB); the topics'
        // own limits still bound every other output, and the input guard keeps those far below them.
        props.putIfAbsent(
                StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                Integer.toString(Topics.DEAD_LETTER_MAX_MESSAGE_BYTES));
        // The 5.0 default, set now so start-up does not warn about it.
        @SuppressWarnings("deprecation")
        String globalHandler = StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG;
        props.put(globalHandler, true);
        return props;
    }

    @Override
    public String toString() {
        return "StreamsAppConfig[applicationId=" + applicationId + ", kafka=" + bootstrapServers + ", stateDir="
                + stateDir + ", http=" + httpHost + ":" + httpPort + ", topology=" + topology + ", enrichment=["
                + enrichment + "], registry=" + serdeConfig.get(AvroSerdeConfig.SCHEMA_REGISTRY_URL) + "]";
    }
}
