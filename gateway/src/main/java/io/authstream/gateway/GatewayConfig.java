package io.authstream.gateway;

import io.authstream.gateway.http.RouteAuth;
import io.authstream.normalize.EventLimits;
import io.authstream.normalize.EventTimeBounds;
import io.authstream.schemas.Topics;
import io.authstream.config.EnvSettings.Key;
import io.authstream.config.EnvSettings;
import io.authstream.schemas.serde.AvroSerdeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Gateway settings, read from environment variables and validated at start: every problem is
 * reported at once, and no secret is ever part of a message.
 *
 * <p>{@code KAFKA_PRODUCER_<NAME>} variables pass through to the producer as
 * {@code <name>} with {@code _} turned into {@code .} (e.g. {@code KAFKA_PRODUCER_LINGER_MS=10}).
 */
public record GatewayConfig(
        String host,
        int port,
        long maxBodyBytes,
        Duration ackTimeout,
        int retryAfterSeconds,
        Duration idleTimeout,
        Duration headerTimeout,
        Duration bodyTimeout,
        int maxConnections,
        EventTimeBounds eventTimeBounds,
        EventLimits eventLimits,
        Map<String, Object> producerConfig,
        Map<String, Object> serdeConfig,
        Optional<RouteAuth> logStreamAuth,
        Optional<RouteAuth> eventStreamAuth,
        Optional<RouteAuth> eventBridgeAuth,
        Optional<RouteAuth> actionsAuth,
        Map<String, String> putEventsAccessKeys) {

    /** Shorter route credentials are refused at start: a guessable secret protects nothing. */
    public static final int MIN_CREDENTIAL_LENGTH = 16;

    public static final List<Key> KEYS = keys();

    private static List<Key> keys() {
        List<Key> keys = new ArrayList<>(List.of(
            new Key("GATEWAY_HOST", "127.0.0.1", false, "Address the HTTP server listens on."),
            new Key("GATEWAY_PORT", "8080", false, "HTTP port."),
            new Key("GATEWAY_MAX_BODY_BYTES", "1048576", false, "Largest request body accepted; larger ones get 413."),
            new Key("GATEWAY_ACK_TIMEOUT_MS", "5000", false,
                    "How long a request waits for Kafka's acks before it is answered 503 with Retry-After."),
            new Key("GATEWAY_RETRY_AFTER_SECONDS", "5", false, "Retry-After value sent with 503."),
            new Key("GATEWAY_IDLE_TIMEOUT_MS", "30000", false,
                    "A connection that sends nothing for this long is closed (bounds slow or stalled clients)."),
            new Key("GATEWAY_HEADER_TIMEOUT_MS", "5000", false,
                    "A connection whose request line and headers are not complete this long after they began is "
                            + "closed (bounds clients that trickle headers, which the idle timeout alone does not)."),
            new Key("GATEWAY_BODY_TIMEOUT_MS", "30000", false,
                    "A request body not complete this long after its headers is answered 408 (bounds clients that "
                            + "trickle a body, which the idle timeout alone does not; 1 MiB in 30 s is 35 KB/s)."),
            new Key("GATEWAY_MAX_CONNECTIONS", "1000", false,
                    "Most connections open at once; further ones wait in the OS accept queue until one closes "
                            + "(bounds memory and file descriptors, keeping some for the Kafka producer)."),
            new Key("KAFKA_BOOTSTRAP_SERVERS", null, false, "Kafka bootstrap servers (required)."),
            new Key("SCHEMA_REGISTRY_URL", null, false, "Schema Registry URL(s), comma-separated (required)."),
            new Key("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", null, true, "user:password for the Schema Registry."),
            new Key("AUTH0_LOG_STREAM_AUTHORIZATION", null, true,
                    "Exact Authorization header value configured on the Auth0 custom webhook log stream "
                            + "(e.g. 'Bearer s3cret'); the route is off without it."),
            new Key("AUTH0_EVENT_STREAM_BEARER_TOKEN", null, true, "Bearer token of the Auth0 Event Streams webhook."),
            new Key("AUTH0_EVENT_STREAM_BASIC_AUTH", null, true, "user:password of the Auth0 Event Streams webhook."),
            new Key("EVENTBRIDGE_API_KEY", null, true, "API key the EventBridge API destination sends."),
            new Key("EVENTBRIDGE_API_KEY_HEADER", "x-api-key", false, "Header carrying EVENTBRIDGE_API_KEY."),
            new Key("EVENTBRIDGE_BASIC_AUTH", null, true, "user:password of the EventBridge API destination connection."),
            new Key("AUTH0_ACTIONS_API_KEY", null, true, "x-api-key expected from Auth0 Actions on the GET route."),
            new Key("PUTEVENTS_ACCESS_KEYS", null, true,
                    "AccessKeyId:SecretAccessKey pairs, comma-separated, accepted on the PutEvents endpoint (SigV4).")));
        keys.addAll(EventTimeBounds.keys());
        keys.addAll(EventLimits.keys());
        return List.copyOf(keys);
    }

    /** Route credentials (verbatim values, tokens, passwords, keys), checked for length at start. */
    private static final List<String> CREDENTIALS = List.of("AUTH0_LOG_STREAM_AUTHORIZATION", "AUTH0_EVENT_STREAM_BEARER_TOKEN",
            "EVENTBRIDGE_API_KEY", "AUTH0_ACTIONS_API_KEY");
    private static final List<String> BASIC_CREDENTIALS = List.of("AUTH0_EVENT_STREAM_BASIC_AUTH", "EVENTBRIDGE_BASIC_AUTH");

    public static GatewayConfig fromEnvironment(Map<String, String> variables) {
        EnvSettings env = new EnvSettings(variables, KEYS);
        String host = env.value("GATEWAY_HOST");
        int port = (int) env.number("GATEWAY_PORT", 0, 65535);
        long maxBody = env.number("GATEWAY_MAX_BODY_BYTES", 1, 64L * 1024 * 1024);
        long ackTimeoutMs = env.number("GATEWAY_ACK_TIMEOUT_MS", 100, 120_000);
        int retryAfter = (int) env.number("GATEWAY_RETRY_AFTER_SECONDS", 1, 3600);
        long idleTimeoutMs = env.number("GATEWAY_IDLE_TIMEOUT_MS", 100, 600_000);
        long headerTimeoutMs = env.number("GATEWAY_HEADER_TIMEOUT_MS", 100, 600_000);
        long bodyTimeoutMs = env.number("GATEWAY_BODY_TIMEOUT_MS", 100, 3_600_000);
        int maxConnections = (int) env.number("GATEWAY_MAX_CONNECTIONS", 1, 1_000_000);
        String bootstrap = env.required("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
        String registry = env.required("SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081");
        EventTimeBounds bounds = EventTimeBounds.from(env);
        EventLimits limits = EventLimits.from(env);
        Map<String, Object> producer = new HashMap<>(env.passThrough("KAFKA_PRODUCER_"));
        if (bootstrap != null) {
            producer.put("bootstrap.servers", bootstrap);
        }
        // A request waits for its acks at most the ack timeout, so the producer need not wait longer
        // for metadata or buffer space (its default, 60 s, parked request threads through an outage).
        producer.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(ackTimeoutMs));
        // A dead letter holds its event's original bytes, up to a whole body: room for that and its headers.
        producer.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                Long.toString(Math.max(1_048_576, Math.min(maxBody + 64 * 1024, Topics.DEAD_LETTER_MAX_MESSAGE_BYTES))));
        Map<String, Object> serde = new HashMap<>();
        if (registry != null) {
            serde.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry);
        }
        Optional.ofNullable(env.value("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO"))
                .ifPresent(v -> serde.put(AvroSerdeConfig.BASIC_AUTH_USER_INFO, v));

        checkCredentials(env);
        Optional<RouteAuth> logStream = Optional.ofNullable(env.value("AUTH0_LOG_STREAM_AUTHORIZATION"))
                .map(RouteAuth::authorizationHeader);
        Optional<RouteAuth> eventStream = routeAuth(env, "AUTH0_EVENT_STREAM_BASIC_AUTH", () -> RouteAuth.bearerOrBasic(
                env.value("AUTH0_EVENT_STREAM_BEARER_TOKEN"), env.value("AUTH0_EVENT_STREAM_BASIC_AUTH")));
        Optional<RouteAuth> eventBridge = routeAuth(env, "EVENTBRIDGE_BASIC_AUTH", () -> RouteAuth.apiKeyOrBasic(
                env.value("EVENTBRIDGE_API_KEY_HEADER"), env.value("EVENTBRIDGE_API_KEY"), env.value("EVENTBRIDGE_BASIC_AUTH")));
        Optional<RouteAuth> actions = RouteAuth.apiKeyOrBasic("x-api-key", env.value("AUTH0_ACTIONS_API_KEY"), null);
        Map<String, String> accessKeys = new HashMap<>();
        String pairs = env.value("PUTEVENTS_ACCESS_KEYS");
        if (pairs != null) {
            int n = 0;
            for (String pair : pairs.split(",")) {
                n++;
                int colon = pair.indexOf(':');
                if (colon <= 0 || colon == pair.trim().length() - 1) {
                    env.problem("PUTEVENTS_ACCESS_KEYS entry " + n + " must be AccessKeyId:SecretAccessKey");
                } else if (pair.substring(colon + 1).trim().length() < MIN_CREDENTIAL_LENGTH) {
                    env.problem("PUTEVENTS_ACCESS_KEYS entry " + n + ": the secret access key must be at least "
                            + MIN_CREDENTIAL_LENGTH + " characters");
                } else {
                    accessKeys.put(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
                }
            }
        }
        if (Stream.of(logStream, eventStream, eventBridge, actions).allMatch(Optional::isEmpty) && accessKeys.isEmpty()) {
            env.problem("no ingest route is enabled: set at least one of AUTH0_LOG_STREAM_AUTHORIZATION, "
                    + "AUTH0_EVENT_STREAM_BEARER_TOKEN, AUTH0_EVENT_STREAM_BASIC_AUTH, EVENTBRIDGE_API_KEY, "
                    + "EVENTBRIDGE_BASIC_AUTH, AUTH0_ACTIONS_API_KEY, PUTEVENTS_ACCESS_KEYS");
        }
        env.failIfProblems("gateway");
        return new GatewayConfig(host, port, maxBody, Duration.ofMillis(ackTimeoutMs), retryAfter,
                Duration.ofMillis(idleTimeoutMs), Duration.ofMillis(headerTimeoutMs), Duration.ofMillis(bodyTimeoutMs),
                maxConnections, bounds, limits, Map.copyOf(producer),
                Map.copyOf(serde), logStream, eventStream, eventBridge, actions, Map.copyOf(accessKeys));
    }

    /** Settings without their secrets: routes show as on/off, credentials never. */
    @Override
    public String toString() {
        return "GatewayConfig[listen=" + host + ":" + port + ", maxBodyBytes=" + maxBodyBytes + ", ackTimeout=" + ackTimeout
                + ", idleTimeout=" + idleTimeout + ", headerTimeout=" + headerTimeout + ", bodyTimeout=" + bodyTimeout
                + ", maxConnections=" + maxConnections + ", " + eventTimeBounds + ", " + eventLimits
                + ", kafka=" + producerConfig.get("bootstrap.servers") + ", registry=" + serdeConfig.get("schema.registry.url")
                + ", routes: logStream=" + logStreamAuth.isPresent() + ", eventStream=" + eventStreamAuth.isPresent()
                + ", eventBridge=" + eventBridgeAuth.isPresent() + ", actions=" + actionsAuth.isPresent()
                + ", putEvents=" + !putEventsAccessKeys.isEmpty() + "]";
    }

    /**
     * Each credential is at least {@link #MIN_CREDENTIAL_LENGTH} characters (for the Log Streams
     * value, not counting a {@code Bearer }/{@code Basic } scheme); Basic credentials have a user
     * and a password. Messages name the variable, never the value.
     */
    private static void checkCredentials(EnvSettings env) {
        for (String name : CREDENTIALS) {
            String value = env.value(name);
            if (value != null && secretPart(value).length() < MIN_CREDENTIAL_LENGTH) {
                env.problem(name + " must be at least " + MIN_CREDENTIAL_LENGTH + " characters"
                        + (name.equals("AUTH0_LOG_STREAM_AUTHORIZATION") ? " after its scheme (e.g. 'Bearer <16+ characters>')" : "")
                        + " (e.g. openssl rand -hex 16)");
            }
        }
        for (String name : BASIC_CREDENTIALS) {
            String value = env.value(name);
            if (value == null) {
                continue;
            }
            int colon = value.indexOf(':');
            if (colon <= 0 || colon == value.length() - 1) {
                env.problem(name + " must be user:password with neither empty");
            } else if (value.length() - colon - 1 < MIN_CREDENTIAL_LENGTH) {
                env.problem(name + ": the password must be at least " + MIN_CREDENTIAL_LENGTH + " characters");
            }
        }
    }

    /** An Authorization value without its scheme word: what an attacker would have to guess. */
    private static String secretPart(String value) {
        int space = value.indexOf(' ');
        return space > 0 && space < value.length() - 1 ? value.substring(space + 1).trim() : value;
    }

    private static Optional<RouteAuth> routeAuth(EnvSettings env, String basicKey, Supplier<Optional<RouteAuth>> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            env.problem(basicKey + " must be user:password");
            return Optional.empty();
        }
    }
}
