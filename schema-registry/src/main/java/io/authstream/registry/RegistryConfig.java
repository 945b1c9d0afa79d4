package io.authstream.registry;

import io.authstream.config.Setting;
import io.authstream.config.Settings;
import io.authstream.config.SettingsDef;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the registry, named as Confluent's registry names them
 * ({@code listeners}, {@code kafkastore.bootstrap.servers}, {@code kafkastore.topic}), so one
 * properties file or one set of {@code SCHEMA_REGISTRY_*} variables configures either.
 *
 * @param host address to listen on
 * @param port port to listen on; 0 picks a free one
 * @param storeClientConfig Kafka client settings for the store ({@code bootstrap.servers} at least)
 * @param storeTopic the compacted topic holding the schemas
 * @param storeTimeout how long to wait for Kafka when starting and on each write
 * @param basicAuthUserInfo {@code user:password} required from clients, or empty for none
 * @param defaultCompatibility level of subjects with no level of their own until {@code PUT /config}
 */
public record RegistryConfig(
        String host,
        int port,
        Map<String, Object> storeClientConfig,
        String storeTopic,
        Duration storeTimeout,
        Optional<String> basicAuthUserInfo,
        Compatibility defaultCompatibility) {

    public static final String LISTENERS = "listeners";
    public static final String KAFKASTORE_BOOTSTRAP_SERVERS = "kafkastore.bootstrap.servers";
    public static final String KAFKASTORE_TOPIC = "kafkastore.topic";
    public static final String KAFKASTORE_TIMEOUT_MS = "kafkastore.timeout.ms";
    public static final String BASIC_AUTH_USER_INFO = "authentication.basic.user.info";
    public static final String COMPATIBILITY_LEVEL = "schema.compatibility.level";

    public RegistryConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(LISTENERS + ": port must be 0-65535, got " + port);
        }
        if (!storeClientConfig.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException(KAFKASTORE_BOOTSTRAP_SERVERS + " is required");
        }
        if (storeTopic == null || storeTopic.isBlank()) {
            throw new IllegalArgumentException(KAFKASTORE_TOPIC + " must not be empty");
        }
        basicAuthUserInfo.ifPresent(info -> {
            if (!info.contains(":")) {
                throw new IllegalArgumentException(BASIC_AUTH_USER_INFO + " must be user:password");
            }
        });
        storeClientConfig = Map.copyOf(storeClientConfig);
    }

    /** A registry on {@code host:port} storing its schemas on the cluster at {@code bootstrapServers}. */
    public static RegistryConfig of(String host, int port, String bootstrapServers) {
        return new RegistryConfig(
                host,
                port,
                Map.of("bootstrap.servers", bootstrapServers),
                "_schemas",
                Duration.ofSeconds(30),
                Optional.empty(),
                Compatibility.BACKWARD);
    }

    public static final Setting<URI> LISTENER = Setting.of(
                    LISTENERS, "http://host:port", RegistryConfig::listener, "Where the registry listens.")
            .defaultValue("http://127.0.0.1:8081");
    public static final Setting<String> STORE_BOOTSTRAP_SERVERS = Setting.text(
                    KAFKASTORE_BOOTSTRAP_SERVERS, "Kafka cluster holding the schemas (required).")
            .required("broker:9092");
    public static final Setting<String> STORE_TOPIC = Setting.text(
                    KAFKASTORE_TOPIC, "The compacted topic holding the schemas.")
            .defaultValue("_schemas");
    public static final Setting<Duration> STORE_TIMEOUT = Setting.millis(
                    KAFKASTORE_TIMEOUT_MS, 1, 600_000, "How long to wait for Kafka when starting and on each write.")
            .defaultValue(30_000);
    public static final Setting<Compatibility> DEFAULT_COMPATIBILITY = Setting.of(
                    COMPATIBILITY_LEVEL,
                    "BACKWARD | FORWARD | FULL | NONE (and _TRANSITIVE)",
                    RegistryConfig::compatibility,
                    "Level of subjects with no level of their own until PUT /config.")
            .defaultValue("BACKWARD");
    public static final Setting<String> USER_INFO = Setting.text(
                    BASIC_AUTH_USER_INFO, "user:password clients must send (HTTP Basic); none when unset.")
            .check(v -> v.contains(":"), "user:password")
            .secret();

    /** Confluent's names; every other {@code kafkastore.<client setting>} goes to the store's Kafka clients. */
    public static final SettingsDef DEFINITION = SettingsDef.of(
                    "schema registry",
                    List.of(
                            LISTENER,
                            STORE_BOOTSTRAP_SERVERS,
                            STORE_TOPIC,
                            STORE_TIMEOUT,
                            DEFAULT_COMPATIBILITY,
                            USER_INFO))
            .passThrough("kafkastore.", "store's Kafka client", Map.of());

    /**
     * Reads Confluent-named properties (see {@link #DEFINITION}), e.g. {@code listeners=http://host:port},
     * {@code kafkastore.bootstrap.servers}, {@code kafkastore.security.protocol}.
     */
    public static RegistryConfig fromProperties(Map<String, String> props) {
        Settings settings = DEFINITION.read(props);
        URI listener = settings.get(LISTENER);
        Map<String, Object> client = new HashMap<>(settings.passThrough("kafkastore."));
        client.put("bootstrap.servers", settings.get(STORE_BOOTSTRAP_SERVERS));
        return new RegistryConfig(
                listener.getHost(),
                listener.getPort() < 0 ? 8081 : listener.getPort(),
                client,
                settings.get(STORE_TOPIC),
                settings.get(STORE_TIMEOUT),
                settings.optional(USER_INFO),
                settings.get(DEFAULT_COMPATIBILITY));
    }

    private static Compatibility compatibility(String text) {
        try {
            return Compatibility.parse(text);
        } catch (RegistryException e) {
            throw new IllegalArgumentException("one of " + Arrays.toString(Compatibility.values()));
        }
    }

    private static URI listener(String text) {
        URI listener;
        try {
            listener = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("an http://host:port URL");
        }
        if (!"http".equals(listener.getScheme()) || listener.getHost() == null) {
            throw new IllegalArgumentException("an http://host:port URL");
        }
        return listener;
    }

    public RegistryConfig withStoreTopic(String topic) {
        return new RegistryConfig(
                host, port, storeClientConfig, topic, storeTimeout, basicAuthUserInfo, defaultCompatibility);
    }

    public RegistryConfig withBasicAuth(String userInfo) {
        return new RegistryConfig(
                host, port, storeClientConfig, storeTopic, storeTimeout, Optional.of(userInfo), defaultCompatibility);
    }

    @Override
    public String toString() {
        // basicAuthUserInfo is a secret: never print it.
        return "RegistryConfig[listen=" + host + ":" + port + ", store=" + storeClientConfig.get("bootstrap.servers")
                + "/" + storeTopic + ", auth=" + (basicAuthUserInfo.isPresent() ? "basic" : "none")
                + ", compatibility=" + defaultCompatibility + "]";
    }
}
