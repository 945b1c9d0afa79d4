package io.authstream.connect.provisioning;

import io.authstream.connect.RegistrySettings;
import io.authstream.connect.auth0.Auth0Config;
import io.authstream.schemas.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;

/** Settings of the Auth0 provisioning sink. */
public final class Auth0ProvisioningSinkConfig extends AbstractConfig {

    public static final String CONNECTION = "auth0.connection";
    public static final String ALLOWED_CONNECTIONS = "auth0.allowed.connections";
    public static final String ROLE_MAPPING = "role.mapping";
    public static final String VERIFY_EMAIL = "verify.email";
    public static final String RESULTS_TOPIC = "results.topic";
    public static final String RESULTS_BOOTSTRAP_SERVERS = "results.bootstrap.servers";
    public static final String RATE_LIMIT = "auth0.rate.limit.per.second";
    public static final String METRICS_PORT = "metrics.port";
    public static final String METRICS_HOST = "metrics.host";

    private static final String PROVISIONING = "Provisioning";

    public static final ConfigDef CONFIG_DEF = RegistrySettings.define(Auth0Config.define(new ConfigDef()))
            .define(
                    CONNECTION,
                    Type.STRING,
                    "Username-Password-Authentication",
                    new ConfigDef.NonEmptyString(),
                    Importance.HIGH,
                    "Auth0 database connection of new users, when the request names none.",
                    PROVISIONING,
                    1,
                    ConfigDef.Width.MEDIUM,
                    "Connection")
            .define(
                    ROLE_MAPPING,
                    Type.LIST,
                    "",
                    Auth0ProvisioningSinkConfig::validMapping,
                    Importance.MEDIUM,
                    "HR role code to Auth0 role id, e.g. ENG:rol_abc,SALES:rol_def. A request with an unmapped code is INVALID.",
                    PROVISIONING,
                    2,
                    ConfigDef.Width.LONG,
                    "Role mapping")
            .define(
                    VERIFY_EMAIL,
                    Type.BOOLEAN,
                    true,
                    Importance.LOW,
                    "Have Auth0 send the verification e-mail to new users.",
                    PROVISIONING,
                    3,
                    ConfigDef.Width.SHORT,
                    "Verify e-mail")
            .define(
                    RESULTS_TOPIC,
                    Type.STRING,
                    Topics.PROVISIONING_RESULTS.name(),
                    new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM,
                    "Topic of the ProvisioningResult of every request (the audit trail).",
                    PROVISIONING,
                    4,
                    ConfigDef.Width.MEDIUM,
                    "Results topic")
            .define(
                    RESULTS_BOOTSTRAP_SERVERS,
                    Type.LIST,
                    ConfigDef.NO_DEFAULT_VALUE,
                    Importance.HIGH,
                    "Kafka bootstrap servers for the results producer (a sink task has no producer of its own).",
                    PROVISIONING,
                    5,
                    ConfigDef.Width.LONG,
                    "Results bootstrap servers")
            .define(
                    ALLOWED_CONNECTIONS,
                    Type.LIST,
                    "",
                    Auth0ProvisioningSinkConfig::validConnections,
                    Importance.HIGH,
                    "The Auth0 connections a request may name, e.g. Username-Password-Authentication,Contractors; it must"
                            + " include auth0.connection. Empty for auth0.connection alone. A request naming another is INVALID,"
                            + " and an existing user is only taken as the employee's on the request's connection.",
                    PROVISIONING,
                    6,
                    ConfigDef.Width.LONG,
                    "Allowed connections")
            .define(
                    RATE_LIMIT,
                    Type.INT,
                    100,
                    ConfigDef.Range.between(1, 10_000),
                    Importance.MEDIUM,
                    "Most Management API calls a second, per task (a client-side token bucket with one second's burst):"
                            + " keep the sum over tasks under the tenant's Management API rate limit, which every other"
                            + " client of the tenant shares.",
                    PROVISIONING,
                    7,
                    ConfigDef.Width.SHORT,
                    "Rate limit (calls/s)")
            .define(
                    METRICS_PORT,
                    Type.INT,
                    0,
                    ConfigDef.Range.between(0, 65_535),
                    Importance.LOW,
                    "Port of the Prometheus endpoint (GET /metrics) of the worker's provisioning tasks; 0 for none.",
                    PROVISIONING,
                    8,
                    ConfigDef.Width.SHORT,
                    "Metrics port")
            .define(
                    METRICS_HOST,
                    Type.STRING,
                    "127.0.0.1",
                    new ConfigDef.NonEmptyString(),
                    Importance.LOW,
                    "Address the metrics endpoint listens on: loopback unless a scraper elsewhere needs it.",
                    PROVISIONING,
                    9,
                    ConfigDef.Width.MEDIUM,
                    "Metrics host");

    public Auth0ProvisioningSinkConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
        Auth0Config.check(this);
        connectionsProblem(getString(CONNECTION), getList(ALLOWED_CONNECTIONS)).ifPresent(problem -> {
            throw new ConfigException(ALLOWED_CONNECTIONS, String.join(",", getList(ALLOWED_CONNECTIONS)), problem);
        });
    }

    /** {@code validated} with the checks between settings added, as the worker's validate call reports them. */
    @SuppressWarnings("unchecked")
    static Config validate(Config validated) {
        Auth0Config.validate(validated);
        Map<String, ConfigValue> values = new HashMap<>();
        validated.configValues().forEach(v -> values.put(v.name(), v));
        ConfigValue connection = values.get(CONNECTION);
        ConfigValue allowed = values.get(ALLOWED_CONNECTIONS);
        if (connection != null
                && allowed != null
                && connection.errorMessages().isEmpty()
                && allowed.errorMessages().isEmpty()
                && connection.value() instanceof String name
                && allowed.value() instanceof List<?> list) {
            connectionsProblem(name, (List<String>) list).ifPresent(allowed::addErrorMessage);
        }
        return validated;
    }

    private static Optional<String> connectionsProblem(String connection, List<String> allowed) {
        return allowed.isEmpty() || allowed.contains(connection)
                ? Optional.empty()
                : Optional.of("must include " + CONNECTION + " (" + connection
                        + "), the connection of requests that name none");
    }

    private static void validConnections(String name, Object value) {
        @SuppressWarnings("unchecked")
        List<String> entries = (List<String>) value;
        for (String entry : entries) {
            if (entry.isBlank() || entry.chars().anyMatch(Character::isWhitespace)) {
                throw new ConfigException(
                        name,
                        value,
                        "each entry must be an Auth0 connection name, e.g. Username-Password-Authentication");
            }
        }
    }

    private static void validMapping(String name, Object value) {
        @SuppressWarnings("unchecked")
        List<String> entries = (List<String>) value;
        for (String entry : entries) {
            int colon = entry.indexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw new ConfigException(name, entry, "each entry must be CODE:auth0-role-id, e.g. ENG:rol_abc123");
            }
        }
    }

    public String connection() {
        return getString(CONNECTION);
    }

    /** The connections a request may name: the allow-list, or the default connection alone. */
    public Set<String> allowedConnections() {
        List<String> allowed = getList(ALLOWED_CONNECTIONS);
        return allowed.isEmpty() ? Set.of(connection()) : Set.copyOf(allowed);
    }

    /** Role code → Auth0 role id. */
    public Map<String, String> roles() {
        Map<String, String> roles = new HashMap<>();
        for (String entry : getList(ROLE_MAPPING)) {
            int colon = entry.indexOf(':');
            roles.put(
                    entry.substring(0, colon).trim(), entry.substring(colon + 1).trim());
        }
        return Map.copyOf(roles);
    }

    public boolean verifyEmail() {
        return getBoolean(VERIFY_EMAIL);
    }

    public int rateLimitPerSecond() {
        return getInt(RATE_LIMIT);
    }

    /** The metrics endpoint's port, empty when it is off. */
    public Optional<Integer> metricsPort() {
        int port = getInt(METRICS_PORT);
        return port == 0 ? Optional.empty() : Optional.of(port);
    }

    public String metricsHost() {
        return getString(METRICS_HOST);
    }

    public String resultsTopic() {
        return getString(RESULTS_TOPIC);
    }

    public Map<String, Object> producerConfig() {
        Map<String, Object> producer = new HashMap<>();
        producer.put("bootstrap.servers", String.join(",", getList(RESULTS_BOOTSTRAP_SERVERS)));
        producer.put("acks", "all");
        producer.put("enable.idempotence", "true");
        return producer;
    }

    public Map<String, Object> serdeConfig() {
        return RegistrySettings.serdeConfig(this);
    }
}
