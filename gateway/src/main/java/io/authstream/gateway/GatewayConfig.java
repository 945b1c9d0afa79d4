package io.authstream.gateway;

import io.authstream.config.Setting;
import io.authstream.config.Settings;
import io.authstream.config.SettingsDef;
import io.authstream.gateway.http.RouteAuth;
import io.authstream.normalize.EventLimits;
import io.authstream.normalize.EventTimeBounds;
import io.authstream.schemas.Topics;
import io.authstream.schemas.serde.AvroSerdeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
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
        Map<String, String> putEventsAccessKeys,
        Provisioning provisioning) {

    /**
     * The HR admin routes: on when {@code auth} is set.
     *
     * @param resultWait how long a single request waits for its result before it is answered 202
     * @param kept how many requests, employees and verified users the tracker remembers
     */
    public record Provisioning(Optional<RouteAuth> auth, Duration resultWait, int kept) {}

    /** Shorter route credentials are refused at start: a guessable secret protects nothing. */
    public static final int MIN_CREDENTIAL_LENGTH = 16;

    private static final String LONG_ENOUGH =
            "at least " + MIN_CREDENTIAL_LENGTH + " characters (e.g. openssl rand -hex 16)";

    public static final Setting<String> HOST =
            Setting.text("GATEWAY_HOST", "Address the HTTP server listens on.").defaultValue("127.0.0.1");
    public static final Setting<Integer> PORT =
            Setting.port("GATEWAY_PORT", "HTTP port.").defaultValue(8080);
    public static final Setting<Long> MAX_BODY_BYTES = Setting.number(
                    "GATEWAY_MAX_BODY_BYTES",
                    1,
                    64L * 1024 * 1024,
                    "Largest request body accepted; larger ones get 413.")
            .defaultValue(1_048_576);
    public static final Setting<Duration> ACK_TIMEOUT = Setting.millis(
                    "GATEWAY_ACK_TIMEOUT_MS",
                    100,
                    120_000,
                    "How long a request waits for Kafka's acks before it is answered 503 with Retry-After.")
            .defaultValue(5_000);
    public static final Setting<Integer> RETRY_AFTER_SECONDS = Setting.integer(
                    "GATEWAY_RETRY_AFTER_SECONDS", 1, 3600, "Retry-After value sent with 503.")
            .defaultValue(5);
    public static final Setting<Duration> IDLE_TIMEOUT = Setting.millis(
                    "GATEWAY_IDLE_TIMEOUT_MS",
                    100,
                    600_000,
                    "A connection that sends nothing for this long is closed (bounds slow or stalled clients).")
            .defaultValue(30_000);
    public static final Setting<Duration> HEADER_TIMEOUT = Setting.millis(
                    "GATEWAY_HEADER_TIMEOUT_MS",
                    100,
                    600_000,
                    "A connection whose request line and headers are not complete this long after they began is closed (bounds "
                            + "clients that trickle headers, which the idle timeout alone does not); less than GATEWAY_IDLE_TIMEOUT_MS.")
            .defaultValue(5_000);
    public static final Setting<Duration> BODY_TIMEOUT = Setting.millis(
                    "GATEWAY_BODY_TIMEOUT_MS",
                    100,
                    3_600_000,
                    "A request body not complete this long after its headers is answered 408 (bounds clients that trickle a body, "
                            + "which the idle timeout alone does not; 1 MiB in 30 s is 35 KB/s).")
            .defaultValue(30_000);
    public static final Setting<Integer> MAX_CONNECTIONS = Setting.integer(
                    "GATEWAY_MAX_CONNECTIONS",
                    1,
                    1_000_000,
                    "Most connections open at once; further ones wait in the OS accept queue until one closes (bounds memory and "
                            + "file descriptors, keeping some for the Kafka producer).")
            .defaultValue(1000);
    public static final Setting<String> BOOTSTRAP_SERVERS = Setting.text(
                    "KAFKA_BOOTSTRAP_SERVERS", "Kafka bootstrap servers (required).")
            .required("127.0.0.1:9092");
    public static final Setting<String> REGISTRY_URL = Setting.text(
                    "SCHEMA_REGISTRY_URL", "Schema Registry URL(s), comma-separated (required).")
            .required("http://127.0.0.1:8081");
    public static final Setting<String> REGISTRY_USER_INFO = Setting.text(
                    "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "user:password for the Schema Registry.")
            .secret();
    public static final Setting<String> LOG_STREAM_AUTHORIZATION = credential(
                    "AUTH0_LOG_STREAM_AUTHORIZATION",
                    "Exact Authorization header value configured on the Auth0 custom webhook log stream (e.g. 'Bearer s3cret'); "
                            + "the route is off without it.")
            .check(
                    value -> secretPart(value).length() >= MIN_CREDENTIAL_LENGTH,
                    "at least " + MIN_CREDENTIAL_LENGTH
                            + " characters after its scheme (e.g. 'Bearer <16+ characters>') (e.g. openssl rand -hex 16)");
    public static final Setting<String> EVENT_STREAM_BEARER_TOKEN = credential(
                    "AUTH0_EVENT_STREAM_BEARER_TOKEN", "Bearer token of the Auth0 Event Streams webhook.")
            .check(GatewayConfig::longEnough, LONG_ENOUGH);
    public static final Setting<String> EVENT_STREAM_BASIC_AUTH =
            basicCredential("AUTH0_EVENT_STREAM_BASIC_AUTH", "user:password of the Auth0 Event Streams webhook.");
    public static final Setting<RouteAuth.Header> LOG_STREAM_CUSTOM_HEADER = customHeader(
            "AUTH0_LOG_STREAM_CUSTOM_HEADER",
            "Custom header the Auth0 log stream's webhook sends, as 'Name: value' (Auth0's custom header authorization); "
                    + "beside or instead of AUTH0_LOG_STREAM_AUTHORIZATION.");
    public static final Setting<RouteAuth.Header> EVENT_STREAM_CUSTOM_HEADER = customHeader(
            "AUTH0_EVENT_STREAM_CUSTOM_HEADER",
            "Custom header the Auth0 Event Streams webhook sends, as 'Name: value' (its third authorization method, "
                    + "beside bearer and basic).");
    public static final Setting<String> EVENTBRIDGE_API_KEY = credential(
                    "EVENTBRIDGE_API_KEY", "API key the EventBridge API destination sends.")
            .check(GatewayConfig::longEnough, LONG_ENOUGH);
    public static final Setting<String> EVENTBRIDGE_API_KEY_HEADER = Setting.text(
                    "EVENTBRIDGE_API_KEY_HEADER", "Header carrying EVENTBRIDGE_API_KEY.")
            .defaultValue("x-api-key");
    public static final Setting<String> EVENTBRIDGE_BASIC_AUTH =
            basicCredential("EVENTBRIDGE_BASIC_AUTH", "user:password of the EventBridge API destination connection.");
    public static final Setting<String> ACTIONS_API_KEY = credential(
                    "AUTH0_ACTIONS_API_KEY", "x-api-key expected from Auth0 Actions on the GET route.")
            .check(GatewayConfig::longEnough, LONG_ENOUGH);
    public static final Setting<Map<String, String>> PUTEVENTS_ACCESS_KEYS = Setting.of(
                    "PUTEVENTS_ACCESS_KEYS",
                    "AccessKeyId:SecretAccessKey[,...]",
                    GatewayConfig::accessKeys,
                    "AccessKeyId:SecretAccessKey pairs, comma-separated, accepted on the PutEvents endpoint (SigV4).")
            .secret();

    public static final Setting<String> PROVISIONING_API_TOKEN = credential(
                    "PROVISIONING_API_TOKEN",
                    "Bearer token of the HR system on the provisioning admin routes (/api/admin/...); they answer 404"
                            + " without it.")
            .check(GatewayConfig::longEnough, LONG_ENOUGH);
    public static final Setting<Duration> PROVISIONING_RESULT_WAIT = Setting.millis(
                    "PROVISIONING_RESULT_WAIT_MS",
                    0,
                    60_000,
                    "How long a single provisioning request waits for the sink's result before it is answered 202 with"
                            + " the URL of the result (0: answer 202 at once); less than GATEWAY_IDLE_TIMEOUT_MS.")
            .defaultValue(10_000);
    public static final Setting<Integer> PROVISIONING_RESULTS_KEPT = Setting.integer(
                    "PROVISIONING_RESULTS_KEPT",
                    100,
                    10_000_000,
                    "How many provisioning requests (with their results), employees and verified Auth0 users the gateway"
                            + " keeps in memory to answer the result and status routes; the oldest go first.")
            .defaultValue(100_000);

    /** The credentials that each turn a route on; without any, the gateway has nothing to take. */
    public static final List<Setting<?>> ROUTE_CREDENTIALS = List.of(
            LOG_STREAM_AUTHORIZATION,
            LOG_STREAM_CUSTOM_HEADER,
            EVENT_STREAM_BEARER_TOKEN,
            EVENT_STREAM_BASIC_AUTH,
            EVENT_STREAM_CUSTOM_HEADER,
            EVENTBRIDGE_API_KEY,
            EVENTBRIDGE_BASIC_AUTH,
            ACTIONS_API_KEY,
            PUTEVENTS_ACCESS_KEYS);

    /** The producer passes through {@code KAFKA_PRODUCER_*}, except what makes a 2xx a promise. */
    public static final String PASS_THROUGH = "KAFKA_PRODUCER_";

    private static final String DURABILITY =
            "the gateway fixes: a 2xx promises the event is on the broker, in order, once";

    public static final SettingsDef DEFINITION = definition();

    private static SettingsDef definition() {
        List<Setting<?>> settings = new ArrayList<>(List.of(
                HOST,
                PORT,
                MAX_BODY_BYTES,
                ACK_TIMEOUT,
                RETRY_AFTER_SECONDS,
                IDLE_TIMEOUT,
                HEADER_TIMEOUT,
                BODY_TIMEOUT,
                MAX_CONNECTIONS,
                BOOTSTRAP_SERVERS,
                REGISTRY_URL,
                REGISTRY_USER_INFO,
                LOG_STREAM_AUTHORIZATION,
                LOG_STREAM_CUSTOM_HEADER,
                EVENT_STREAM_BEARER_TOKEN,
                EVENT_STREAM_BASIC_AUTH,
                EVENT_STREAM_CUSTOM_HEADER,
                EVENTBRIDGE_API_KEY,
                EVENTBRIDGE_API_KEY_HEADER,
                EVENTBRIDGE_BASIC_AUTH,
                ACTIONS_API_KEY,
                PUTEVENTS_ACCESS_KEYS,
                PROVISIONING_API_TOKEN,
                PROVISIONING_RESULT_WAIT,
                PROVISIONING_RESULTS_KEPT));
        settings.addAll(EventTimeBounds.settings());
        settings.addAll(EventLimits.settings());
        return SettingsDef.of("gateway", settings)
                .ownPrefixes(
                        "GATEWAY_",
                        "AUTH0_LOG_STREAM_",
                        "AUTH0_EVENT_STREAM_",
                        "AUTH0_ACTIONS_",
                        "EVENTBRIDGE_",
                        "PUTEVENTS_",
                        "PROVISIONING_",
                        "EVENT_")
                .passThrough(
                        PASS_THROUGH,
                        "Kafka producer",
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "is KAFKA_BOOTSTRAP_SERVERS",
                                ProducerConfig.ACKS_CONFIG, DURABILITY,
                                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, DURABILITY,
                                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                                        "the gateway leaves unset (one shared idempotent producer)",
                                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                                        "the gateway fixes (it writes bytes it encoded)",
                                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                                        "the gateway fixes (it writes bytes it encoded)"))
                .check(
                        List.of(HEADER_TIMEOUT, IDLE_TIMEOUT),
                        read -> read.get(HEADER_TIMEOUT).compareTo(read.get(IDLE_TIMEOUT)) < 0
                                ? Optional.empty()
                                : Optional.of(
                                        "GATEWAY_HEADER_TIMEOUT_MS ("
                                                + read.get(HEADER_TIMEOUT).toMillis()
                                                + ") must be less than GATEWAY_IDLE_TIMEOUT_MS ("
                                                + read.get(IDLE_TIMEOUT).toMillis()
                                                + "): the idle timeout would close a trickling connection first, and the header deadline never apply"))
                .check(
                        List.of(PROVISIONING_API_TOKEN, PROVISIONING_RESULT_WAIT, IDLE_TIMEOUT),
                        // Only when the admin routes are on: other gateways may keep a short idle timeout.
                        read -> read.get(PROVISIONING_API_TOKEN) == null
                                        || read.get(PROVISIONING_RESULT_WAIT).compareTo(read.get(IDLE_TIMEOUT)) < 0
                                ? Optional.empty()
                                : Optional.of("PROVISIONING_RESULT_WAIT_MS ("
                                        + read.get(PROVISIONING_RESULT_WAIT).toMillis()
                                        + ") must be less than GATEWAY_IDLE_TIMEOUT_MS ("
                                        + read.get(IDLE_TIMEOUT).toMillis()
                                        + "): the connection would be closed before the answer"))
                .check(
                        List.of(),
                        read -> ROUTE_CREDENTIALS.stream().anyMatch(route -> read.get(route) != null)
                                ? Optional.empty()
                                : Optional.of("no ingest route is enabled: set at least one of "
                                        + String.join(
                                                ", ",
                                                ROUTE_CREDENTIALS.stream()
                                                        .map(Setting::name)
                                                        .toList())));
    }

    public static GatewayConfig fromEnvironment(Map<String, String> variables) {
        Settings env = DEFINITION.read(variables);
        Duration ackTimeout = env.get(ACK_TIMEOUT);
        long maxBody = env.get(MAX_BODY_BYTES);
        Map<String, Object> producer = new HashMap<>(env.passThrough(PASS_THROUGH));
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.get(BOOTSTRAP_SERVERS));
        // A request waits for its acks at most the ack timeout, so the producer need not wait longer
        // for metadata or buffer space (its default, 60 s, parked request threads through an outage).
        producer.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(ackTimeout.toMillis()));
        // A dead letter holds its event's original bytes, up to a whole body: room for that and its headers.
        producer.putIfAbsent(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                Long.toString(
                        Math.max(1_048_576, Math.min(maxBody + 64 * 1024, Topics.DEAD_LETTER_MAX_MESSAGE_BYTES))));
        Map<String, Object> serde = new HashMap<>();
        serde.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, env.get(REGISTRY_URL));
        env.optional(REGISTRY_USER_INFO).ifPresent(v -> serde.put(AvroSerdeConfig.BASIC_AUTH_USER_INFO, v));

        Optional<RouteAuth> logStream =
                RouteAuth.webhook(env.get(LOG_STREAM_AUTHORIZATION), null, null, env.get(LOG_STREAM_CUSTOM_HEADER));
        Optional<RouteAuth> eventStream = RouteAuth.webhook(
                null,
                env.get(EVENT_STREAM_BEARER_TOKEN),
                env.get(EVENT_STREAM_BASIC_AUTH),
                env.get(EVENT_STREAM_CUSTOM_HEADER));
        Optional<RouteAuth> eventBridge = RouteAuth.apiKeyOrBasic(
                env.get(EVENTBRIDGE_API_KEY_HEADER), env.get(EVENTBRIDGE_API_KEY), env.get(EVENTBRIDGE_BASIC_AUTH));
        Optional<RouteAuth> actions = RouteAuth.apiKeyOrBasic("x-api-key", env.get(ACTIONS_API_KEY), null);
        return new GatewayConfig(
                env.get(HOST),
                env.get(PORT),
                maxBody,
                ackTimeout,
                env.get(RETRY_AFTER_SECONDS),
                env.get(IDLE_TIMEOUT),
                env.get(HEADER_TIMEOUT),
                env.get(BODY_TIMEOUT),
                env.get(MAX_CONNECTIONS),
                EventTimeBounds.from(env),
                EventLimits.from(env),
                Map.copyOf(producer),
                Map.copyOf(serde),
                logStream,
                eventStream,
                eventBridge,
                actions,
                env.optional(PUTEVENTS_ACCESS_KEYS).orElse(Map.of()),
                new Provisioning(
                        RouteAuth.webhook(null, env.get(PROVISIONING_API_TOKEN), null, null),
                        env.get(PROVISIONING_RESULT_WAIT),
                        env.get(PROVISIONING_RESULTS_KEPT)));
    }

    /** Settings without their secrets: routes show as on/off, credentials never. */
    @Override
    public String toString() {
        return "GatewayConfig[listen=" + host + ":" + port + ", maxBodyBytes=" + maxBodyBytes + ", ackTimeout="
                + ackTimeout
                + ", idleTimeout=" + idleTimeout + ", headerTimeout=" + headerTimeout + ", bodyTimeout=" + bodyTimeout
                + ", maxConnections=" + maxConnections + ", " + eventTimeBounds + ", " + eventLimits
                + ", kafka=" + producerConfig.get("bootstrap.servers") + ", registry="
                + serdeConfig.get("schema.registry.url")
                + ", routes: logStream=" + logStreamAuth.isPresent() + ", eventStream=" + eventStreamAuth.isPresent()
                + ", eventBridge=" + eventBridgeAuth.isPresent() + ", actions=" + actionsAuth.isPresent()
                + ", putEvents=" + !putEventsAccessKeys.isEmpty() + ", provisioning="
                + provisioning.auth().isPresent() + " (wait "
                + provisioning.resultWait().toMillis() + " ms, kept "
                + provisioning.kept() + ")]";
    }

    /** A route credential: secret, compared in constant time by the route, at least 16 characters. */
    private static Setting<String> credential(String name, String documentation) {
        return Setting.text(name, documentation).secret();
    }

    private static boolean longEnough(String value) {
        return value.length() >= MIN_CREDENTIAL_LENGTH;
    }

    /** {@code user:password}, neither empty, the password at least 16 characters. */
    private static Setting<String> basicCredential(String name, String documentation) {
        return Setting.of(
                        name,
                        "user:password",
                        value -> {
                            int colon = value.indexOf(':');
                            if (colon <= 0 || colon == value.length() - 1) {
                                throw new IllegalArgumentException("user:password with neither empty");
                            }
                            if (value.length() - colon - 1 < MIN_CREDENTIAL_LENGTH) {
                                throw new Setting.Invalid(
                                        ": the password must be at least " + MIN_CREDENTIAL_LENGTH + " characters");
                            }
                            return value;
                        },
                        documentation)
                .secret();
    }

    /** HTTP header names (RFC 9110 tokens). */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    /** {@code Name: value}: a header name other than Authorization, and a value of at least 16 characters. */
    private static Setting<RouteAuth.Header> customHeader(String name, String documentation) {
        return Setting.of(
                        name,
                        "Name: value",
                        text -> {
                            int colon = text.indexOf(':');
                            String header = colon > 0 ? text.substring(0, colon).strip() : "";
                            String value = colon > 0 ? text.substring(colon + 1).strip() : "";
                            if (!HEADER_NAME.matcher(header).matches()) {
                                throw new Setting.Invalid(
                                        " must be 'Name: value' with an HTTP header name before the colon");
                            }
                            if (header.equalsIgnoreCase("Authorization")) {
                                throw new Setting.Invalid(
                                        ": the Authorization header has its own settings"
                                                + " (AUTH0_LOG_STREAM_AUTHORIZATION, AUTH0_EVENT_STREAM_BEARER_TOKEN / _BASIC_AUTH)");
                            }
                            if (value.length() < MIN_CREDENTIAL_LENGTH) {
                                throw new Setting.Invalid(": the header's value must be at least "
                                        + MIN_CREDENTIAL_LENGTH + " characters (e.g. openssl rand -hex 16)");
                            }
                            return new RouteAuth.Header(header, value);
                        },
                        documentation)
                .secret();
    }

    /** AccessKeyId → SecretAccessKey; every bad entry named by its position, never by its secret. */
    private static Map<String, String> accessKeys(String pairs) {
        Map<String, String> keys = new HashMap<>();
        List<String> problems = new ArrayList<>();
        int n = 0;
        for (String pair : pairs.split(",")) {
            n++;
            int colon = pair.indexOf(':');
            if (colon <= 0 || colon == pair.trim().length() - 1) {
                problems.add(" entry " + n + " must be AccessKeyId:SecretAccessKey");
            } else if (pair.substring(colon + 1).trim().length() < MIN_CREDENTIAL_LENGTH) {
                problems.add(" entry " + n + ": the secret access key must be at least " + MIN_CREDENTIAL_LENGTH
                        + " characters");
            } else {
                keys.put(
                        pair.substring(0, colon).trim(),
                        pair.substring(colon + 1).trim());
            }
        }
        if (!problems.isEmpty()) {
            throw new Setting.Invalid(String.join(";", problems));
        }
        return Map.copyOf(keys);
    }

    /** An Authorization value without its scheme word: what an attacker would have to guess. */
    private static String secretPart(String value) {
        int space = value.indexOf(' ');
        return space > 0 && space < value.length() - 1
                ? value.substring(space + 1).trim()
                : value;
    }
}
