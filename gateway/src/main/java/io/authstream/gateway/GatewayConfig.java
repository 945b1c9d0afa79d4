package io.authstream.gateway;

import io.authstream.gateway.http.RouteAuth;
import io.authstream.schemas.serde.AvroSerdeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

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
        Map<String, Object> producerConfig,
        Map<String, Object> serdeConfig,
        Optional<RouteAuth> logStreamAuth,
        Optional<RouteAuth> eventStreamAuth,
        Optional<RouteAuth> eventBridgeAuth,
        Optional<RouteAuth> actionsAuth,
        Map<String, String> putEventsAccessKeys) {

    /** Environment variable, default (null when required or optional without default), meaning. */
    public record Key(String name, String defaultValue, boolean secret, String description) {}

    public static final List<Key> KEYS = List.of(
            new Key("GATEWAY_HOST", "127.0.0.1", false, "Address the HTTP server listens on."),
            new Key("GATEWAY_PORT", "8080", false, "HTTP port."),
            new Key("GATEWAY_MAX_BODY_BYTES", "1048576", false, "Largest request body accepted; larger ones get 413."),
            new Key("GATEWAY_ACK_TIMEOUT_MS", "5000", false,
                    "How long a request waits for Kafka's acks before it is answered 503 with Retry-After."),
            new Key("GATEWAY_RETRY_AFTER_SECONDS", "5", false, "Retry-After value sent with 503."),
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
                    "AccessKeyId:SecretAccessKey pairs, comma-separated, accepted on the PutEvents endpoint (SigV4)."));

    public static GatewayConfig fromEnvironment(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        String host = value(env, "GATEWAY_HOST");
        int port = (int) number(env, "GATEWAY_PORT", 0, 65535, problems);
        long maxBody = number(env, "GATEWAY_MAX_BODY_BYTES", 1, 64L * 1024 * 1024, problems);
        long ackTimeoutMs = number(env, "GATEWAY_ACK_TIMEOUT_MS", 100, 120_000, problems);
        int retryAfter = (int) number(env, "GATEWAY_RETRY_AFTER_SECONDS", 1, 3600, problems);

        String bootstrap = value(env, "KAFKA_BOOTSTRAP_SERVERS");
        if (bootstrap == null) {
            problems.add("KAFKA_BOOTSTRAP_SERVERS is required (e.g. 127.0.0.1:9092)");
        }
        String registry = value(env, "SCHEMA_REGISTRY_URL");
        if (registry == null) {
            problems.add("SCHEMA_REGISTRY_URL is required (e.g. http://127.0.0.1:8081)");
        }
        Map<String, Object> producer = new HashMap<>();
        env.forEach((name, v) -> {
            if (name.startsWith("KAFKA_PRODUCER_")) {
                producer.put(name.substring("KAFKA_PRODUCER_".length()).toLowerCase(Locale.ROOT).replace('_', '.'), v);
            }
        });
        if (bootstrap != null) {
            producer.put("bootstrap.servers", bootstrap);
        }
        Map<String, Object> serde = new HashMap<>();
        if (registry != null) {
            serde.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry);
        }
        Optional.ofNullable(value(env, "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO"))
                .ifPresent(v -> serde.put(AvroSerdeConfig.BASIC_AUTH_USER_INFO, v));

        Optional<RouteAuth> logStream = Optional.ofNullable(value(env, "AUTH0_LOG_STREAM_AUTHORIZATION"))
                .map(RouteAuth::authorizationHeader);
        Optional<RouteAuth> eventStream = routeAuth(problems, "AUTH0_EVENT_STREAM_BASIC_AUTH", () -> RouteAuth.bearerOrBasic(
                value(env, "AUTH0_EVENT_STREAM_BEARER_TOKEN"), value(env, "AUTH0_EVENT_STREAM_BASIC_AUTH")));
        Optional<RouteAuth> eventBridge = routeAuth(problems, "EVENTBRIDGE_BASIC_AUTH", () -> RouteAuth.apiKeyOrBasic(
                value(env, "EVENTBRIDGE_API_KEY_HEADER"), value(env, "EVENTBRIDGE_API_KEY"), value(env, "EVENTBRIDGE_BASIC_AUTH")));
        Optional<RouteAuth> actions = RouteAuth.apiKeyOrBasic("x-api-key", value(env, "AUTH0_ACTIONS_API_KEY"), null);
        Map<String, String> accessKeys = new HashMap<>();
        String pairs = value(env, "PUTEVENTS_ACCESS_KEYS");
        if (pairs != null) {
            int n = 0;
            for (String pair : pairs.split(",")) {
                n++;
                int colon = pair.indexOf(':');
                if (colon <= 0 || colon == pair.trim().length() - 1) {
                    problems.add("PUTEVENTS_ACCESS_KEYS entry " + n + " must be AccessKeyId:SecretAccessKey");
                } else {
                    accessKeys.put(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
                }
            }
        }
        if (Stream.of(logStream, eventStream, eventBridge, actions).allMatch(Optional::isEmpty) && accessKeys.isEmpty()) {
            problems.add("no ingest route is enabled: set at least one of AUTH0_LOG_STREAM_AUTHORIZATION, "
                    + "AUTH0_EVENT_STREAM_BEARER_TOKEN, AUTH0_EVENT_STREAM_BASIC_AUTH, EVENTBRIDGE_API_KEY, "
                    + "EVENTBRIDGE_BASIC_AUTH, AUTH0_ACTIONS_API_KEY, PUTEVENTS_ACCESS_KEYS");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid gateway settings:\n  - " + String.join("\n  - ", problems));
        }
        return new GatewayConfig(host, port, maxBody, Duration.ofMillis(ackTimeoutMs), retryAfter, Map.copyOf(producer),
                Map.copyOf(serde), logStream, eventStream, eventBridge, actions, Map.copyOf(accessKeys));
    }

    /** Settings without their secrets: routes show as on/off, credentials never. */
    @Override
    public String toString() {
        return "GatewayConfig[listen=" + host + ":" + port + ", maxBodyBytes=" + maxBodyBytes + ", ackTimeout=" + ackTimeout
                + ", kafka=" + producerConfig.get("bootstrap.servers") + ", registry=" + serdeConfig.get("schema.registry.url")
                + ", routes: logStream=" + logStreamAuth.isPresent() + ", eventStream=" + eventStreamAuth.isPresent()
                + ", eventBridge=" + eventBridgeAuth.isPresent() + ", actions=" + actionsAuth.isPresent()
                + ", putEvents=" + !putEventsAccessKeys.isEmpty() + "]";
    }

    private static Optional<RouteAuth> routeAuth(List<String> problems, String basicKey, Supplier<Optional<RouteAuth>> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            problems.add(basicKey + " must be user:password");
            return Optional.empty();
        }
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
