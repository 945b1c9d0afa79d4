package io.authstream.schemas.serde;

import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.registry.SchemaRegistryClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Settings of the Avro serde. Keys are named as Confluent's {@code KafkaAvroSerializer} names
 * them, so one properties file configures either implementation.
 */
public final class AvroSerdeConfig extends AbstractConfig {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(
                    SCHEMA_REGISTRY_URL,
                    Type.LIST,
                    ConfigDef.NO_DEFAULT_VALUE,
                    new ConfigDef.NonEmptyString() {
                        @Override
                        public void ensureValid(String name, Object value) {
                            if (value == null || ((List<?>) value).isEmpty()) {
                                throw new ConfigException(name, value, "at least one Schema Registry URL is needed");
                            }
                        }
                    },
                    Importance.HIGH,
                    "Comma-separated Schema Registry URLs, tried in order until one answers.")
            .define(
                    AUTO_REGISTER_SCHEMAS,
                    Type.BOOLEAN,
                    true,
                    Importance.MEDIUM,
                    "Serializer: register the record's schema under <topic>-value (or -key) if it is not there yet.")
            .define(
                    USE_LATEST_VERSION,
                    Type.BOOLEAN,
                    false,
                    Importance.MEDIUM,
                    "Serializer: write with the subject's latest registered schema instead of the record's own. "
                            + "Requires auto.register.schemas=false.")
            .define(
                    BASIC_AUTH_CREDENTIALS_SOURCE,
                    Type.STRING,
                    "USER_INFO",
                    ConfigDef.ValidString.in("USER_INFO", "URL", ""),
                    Importance.LOW,
                    "Where basic-auth credentials come from. Only USER_INFO (basic.auth.user.info) is supported.")
            .define(
                    BASIC_AUTH_USER_INFO,
                    Type.PASSWORD,
                    null,
                    Importance.MEDIUM,
                    "user:password for HTTP basic authentication to the registry. Never logged.")
            .define(
                    SPECIFIC_AVRO_READER,
                    Type.BOOLEAN,
                    false,
                    Importance.MEDIUM,
                    "Deserializer: return the generated class of the writer schema instead of a GenericRecord.")
            .define(
                    REQUEST_TIMEOUT_MS,
                    Type.LONG,
                    10_000L,
                    ConfigDef.Range.atLeast(1),
                    Importance.LOW,
                    "Timeout of one Schema Registry HTTP call, connect included.");

    /** Clients are shared by every serde with the same registry settings, so caches are shared too. */
    private static final Map<List<Object>, SchemaRegistryClient> CLIENTS = new ConcurrentHashMap<>();

    public AvroSerdeConfig(Map<?, ?> props) {
        super(CONFIG_DEF, props, false);
        GeneratedClasses.trust();
        if (getBoolean(USE_LATEST_VERSION) && getBoolean(AUTO_REGISTER_SCHEMAS)) {
            throw new ConfigException(USE_LATEST_VERSION + "=true needs " + AUTO_REGISTER_SCHEMAS
                    + "=false: a serializer either registers its own schema or writes with the latest one");
        }
        if ("URL".equals(getString(BASIC_AUTH_CREDENTIALS_SOURCE))) {
            throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE + "=URL is not supported: " + "set "
                    + BASIC_AUTH_USER_INFO + " (credentials in URLs end up in logs)");
        }
    }

    public List<String> registryUrls() {
        return getList(SCHEMA_REGISTRY_URL);
    }

    public boolean autoRegisterSchemas() {
        return getBoolean(AUTO_REGISTER_SCHEMAS);
    }

    public boolean useLatestVersion() {
        return getBoolean(USE_LATEST_VERSION);
    }

    public boolean specificAvroReader() {
        return getBoolean(SPECIFIC_AVRO_READER);
    }

    /** The registry client for these settings, shared with every other serde configured alike. */
    public SchemaRegistryClient registryClient() {
        Password userInfo = getPassword(BASIC_AUTH_USER_INFO);
        String credentials = userInfo == null ? null : userInfo.value();
        Duration timeout = Duration.ofMillis(getLong(REQUEST_TIMEOUT_MS));
        List<Object> key = Arrays.asList(registryUrls(), credentials, timeout);
        return CLIENTS.computeIfAbsent(key, k -> new SchemaRegistryClient(registryUrls(), credentials, timeout));
    }
}
