package io.authstream.registry;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
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
        return new RegistryConfig(host, port, Map.of("bootstrap.servers", bootstrapServers), "_schemas",
                Duration.ofSeconds(30), Optional.empty(), Compatibility.BACKWARD);
    }

    /**
     * Reads Confluent-named properties: {@code listeners=http://host:port},
     * {@code kafkastore.bootstrap.servers}, optional {@code kafkastore.topic} (default
     * {@code _schemas}), {@code kafkastore.timeout.ms}, {@code schema.compatibility.level},
     * {@code authentication.basic.user.info}; every {@code kafkastore.<client setting>} other
     * than those is passed to the store's Kafka clients (e.g. {@code kafkastore.security.protocol}).
     */
    public static RegistryConfig fromProperties(Map<String, String> props) {
        URI listener = URI.create(props.getOrDefault(LISTENERS, "http://127.0.0.1:8081"));
        if (!"http".equals(listener.getScheme()) || listener.getHost() == null) {
            throw new IllegalArgumentException(LISTENERS + " must look like http://host:port, got " + listener);
        }
        Map<String, Object> client = new HashMap<>();
        props.forEach((key, value) -> {
            if (key.startsWith("kafkastore.") && !key.equals(KAFKASTORE_TOPIC) && !key.equals(KAFKASTORE_TIMEOUT_MS)) {
                client.put(key.substring("kafkastore.".length()), value);
            }
        });
        String timeout = props.getOrDefault(KAFKASTORE_TIMEOUT_MS, "30000");
        long timeoutMs;
        try {
            timeoutMs = Long.parseLong(timeout);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(KAFKASTORE_TIMEOUT_MS + " must be a number of milliseconds, got " + timeout);
        }
        return new RegistryConfig(listener.getHost(), listener.getPort() < 0 ? 8081 : listener.getPort(), client,
                props.getOrDefault(KAFKASTORE_TOPIC, "_schemas"), Duration.ofMillis(timeoutMs),
                Optional.ofNullable(props.get(BASIC_AUTH_USER_INFO)).filter(s -> !s.isEmpty()),
                Compatibility.parse(props.getOrDefault(COMPATIBILITY_LEVEL, "BACKWARD")));
    }

    public RegistryConfig withStoreTopic(String topic) {
        return new RegistryConfig(host, port, storeClientConfig, topic, storeTimeout, basicAuthUserInfo,
                defaultCompatibility);
    }

    public RegistryConfig withBasicAuth(String userInfo) {
        return new RegistryConfig(host, port, storeClientConfig, storeTopic, storeTimeout, Optional.of(userInfo),
                defaultCompatibility);
    }

    @Override
    public String toString() {
        // basicAuthUserInfo is a secret: never print it.
        return "RegistryConfig[listen=" + host + ":" + port + ", store=" + storeClientConfig.get("bootstrap.servers")
                + "/" + storeTopic + ", auth=" + (basicAuthUserInfo.isPresent() ? "basic" : "none")
                + ", compatibility=" + defaultCompatibility + "]";
    }
}
