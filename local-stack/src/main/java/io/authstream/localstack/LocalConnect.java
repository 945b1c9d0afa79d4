package io.authstream.localstack;

import io.authstream.config.Setting;
import io.authstream.config.Settings;
import io.authstream.config.SettingsDef;
import io.authstream.connect.dynamodb.DynamoDbSinkConnector;
import io.authstream.connect.logs.Auth0LogsSourceConnector;
import io.authstream.connect.mail.WelcomeMailSinkConnector;
import io.authstream.connect.provisioning.Auth0ProvisioningSinkConnector;
import io.authstream.connectmetrics.PrometheusMetricsReporter;
import io.authstream.embedded.EmbeddedDynamoDb;
import io.authstream.embedded.connect.EmbeddedConnectWorker;
import io.authstream.embedded.connect.SecretsDirectory;
import io.authstream.schemas.Topics;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A Kafka Connect worker inside the local stack: the DynamoDB Users sink (auth.profiles →
 * DynamoDB Local's {@code DYNAMODB_TABLE}, default Users), given a mail server the welcome-mail
 * sink (auth.notifications → its SMTP port) and, given Auth0 credentials, the Auth0
 * connectors; records they cannot handle go to auth.events.deadletter. Their secrets are files of
 * a {@link SecretsDirectory}; Connect's REST API and config topic hold references to them. The
 * worker's metrics (its own, its connectors' and tasks', the sink tasks' consumers') are served in
 * Prometheus format on 127.0.0.1:{@code CONNECT_METRICS_PORT} (connect-metrics), the provisioning
 * sink's own on 127.0.0.1:{@code AUTH0_PROVISIONING_METRICS_PORT}.
 */
final class LocalConnect implements AutoCloseable {

    static final String USERS_SINK = "users-sink";
    static final String AUTH0_LOGS = "auth0-logs";
    static final String AUTH0_PROVISIONING = "auth0-provisioning";
    static final String WELCOME_MAILER = "welcome-mailer";

    /** Where the metrics endpoints listen: loopback only, as everything else of the local stack but the gateway. */
    static final String METRICS_HOST = "127.0.0.1";

    private final EmbeddedConnectWorker worker;
    private final SecretsDirectory secrets;
    private final List<String> connectors;
    private final Optional<URI> metricsUrl;
    private final Optional<URI> provisioningMetricsUrl;

    private LocalConnect(
            EmbeddedConnectWorker worker,
            SecretsDirectory secrets,
            List<String> connectors,
            Optional<URI> metricsUrl,
            Optional<URI> provisioningMetricsUrl) {
        this.worker = worker;
        this.secrets = secrets;
        this.connectors = connectors;
        this.metricsUrl = metricsUrl;
        this.provisioningMetricsUrl = provisioningMetricsUrl;
    }

    /**
     * @param secretsDir where the connectors' secrets are kept while the worker runs (created
     *     owner-only, emptied first, removed on {@link #close()})
     */
    static LocalConnect start(Map<String, String> env, LocalEndpoints endpoints, String groupId, Path secretsDir) {
        return start(env, endpoints, groupId, secretsDir, Optional.empty());
    }

    /** @param mail the mail server the welcome-mail sink sends to; without one the sink does not run */
    static LocalConnect start(
            Map<String, String> env,
            LocalEndpoints endpoints,
            String groupId,
            Path secretsDir,
            Optional<LocalMail> mail) {
        SecretsDirectory secrets = SecretsDirectory.create(secretsDir);
        EmbeddedConnectWorker worker;
        Map<String, Map<String, String>> connectors = new LinkedHashMap<>();
        try {
            // Written before the worker starts: connectors it resumes from its config topic resolve
            // their references at once, to this run's values.
            connectorConfigs(env, endpoints, mail.map(LocalMail::smtpPort))
                    .forEach((name, config) -> connectors.put(name, secrets.referenceSecrets(name, config)));
            worker = new EmbeddedConnectWorker(endpoints.bootstrapServers(), groupId, secrets, workerConfig(env));
        } catch (RuntimeException e) {
            secrets.close();
            throw e;
        }
        try {
            for (Map.Entry<String, Map<String, String>> connector : connectors.entrySet()) {
                HttpResponse<String> answer = worker.putConnector(connector.getKey(), connector.getValue());
                if (answer.statusCode() / 100 != 2) {
                    throw new IllegalStateException(
                            "the Connect worker refused the " + connector.getKey() + " connector: " + answer.body());
                }
                worker.awaitRunning(connector.getKey(), 1);
            }
            Settings settings = DEFINITION.read(env);
            return new LocalConnect(
                    worker,
                    secrets,
                    connectors.keySet().stream().toList(),
                    metricsUrl(settings.get(CONNECT_METRICS_PORT)),
                    connectors.containsKey(AUTH0_PROVISIONING)
                            ? metricsUrl(settings.get(AUTH0_PROVISIONING_METRICS_PORT))
                            : Optional.empty());
        } catch (Exception e) {
            worker.close();
            secrets.close();
            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
        }
    }

    public static final Setting<String> DYNAMODB_TABLE = Setting.text(
                    "DYNAMODB_TABLE", "Table the DynamoDB Users sink writes.")
            .defaultValue("Users");
    public static final Setting<String> AUTH0_DOMAIN = Setting.text(
            "AUTH0_DOMAIN",
            "Tenant of the Auth0 logs source (and the provisioning sink), e.g. https://dev-abc.eu.auth0.com; with "
                    + "AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET it runs the source.");
    public static final Setting<String> AUTH0_CLIENT_ID = Setting.text(
            "AUTH0_CLIENT_ID", "Client id of a machine-to-machine application authorized for the Management API.");
    public static final Setting<String> AUTH0_CLIENT_SECRET = Setting.text(
                    "AUTH0_CLIENT_SECRET",
                    "Its client secret; written to an owner-only file under <data-dir>/connect-secrets/, never into Connect's config.")
            .secret();
    public static final Setting<Boolean> AUTH0_PROVISIONING_ENABLED = Setting.of(
                    "AUTH0_PROVISIONING_ENABLED",
                    "true | false",
                    LocalConnect::trueOrFalse,
                    "true also runs the provisioning sink for the tenant (it creates real users).")
            .defaultValue(false);
    public static final Setting<String> AUTH0_ROLE_MAPPING = Setting.text(
                    "AUTH0_ROLE_MAPPING",
                    "HR role code to Auth0 role id for the provisioning sink, e.g. ENG:rol_abc,SALES:rol_def.")
            .defaultValue("");

    public static final Setting<Integer> CONNECT_METRICS_PORT = Setting.integer(
                    "CONNECT_METRICS_PORT",
                    0,
                    65535,
                    "Port of the Connect worker's Prometheus metrics (GET /metrics on 127.0.0.1: the worker's, its "
                            + "connectors' and tasks', the sink tasks' consumer lag); 0 for none.")
            .defaultValue(9404);
    public static final Setting<Integer> AUTH0_PROVISIONING_METRICS_PORT = Setting.integer(
                    "AUTH0_PROVISIONING_METRICS_PORT",
                    0,
                    65535,
                    "Port of the provisioning sink's Prometheus metrics (its metrics.port, on 127.0.0.1) when it runs; "
                            + "0 for none.")
            .defaultValue(9405);

    public static final Setting<String> WELCOME_MAIL_FROM = Setting.text(
                    "WELCOME_MAIL_FROM",
                    "From address of the welcome mails the local stack sends (to its own mail server).")
            .defaultValue("authstream <welcome@authstream.local>");
    public static final Setting<String> WELCOME_MAIL_TEMPLATE = Setting.text(
                    "WELCOME_MAIL_TEMPLATE",
                    "Template file of the welcome mail (docs/connectors.md); unset: the built-in one.")
            .defaultValue("");

    /** The local stack's connector settings; the gateway checks its own AUTH0_* routes' variables. */
    public static final SettingsDef DEFINITION = SettingsDef.of(
                    "local stack connectors",
                    List.of(
                            DYNAMODB_TABLE,
                            AUTH0_DOMAIN,
                            AUTH0_CLIENT_ID,
                            AUTH0_CLIENT_SECRET,
                            AUTH0_PROVISIONING_ENABLED,
                            AUTH0_ROLE_MAPPING,
                            AUTH0_PROVISIONING_METRICS_PORT,
                            CONNECT_METRICS_PORT,
                            WELCOME_MAIL_FROM,
                            WELCOME_MAIL_TEMPLATE))
            .ownPrefixes("AUTH0_", "DYNAMODB_", "WELCOME_MAIL_", "CONNECT_METRICS_")
            .exceptPrefixes("AUTH0_LOG_STREAM_", "AUTH0_EVENT_STREAM_", "AUTH0_ACTIONS_");

    private static boolean trueOrFalse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("true or false");
        };
    }

    /**
     * The connectors to run, with their secrets as configured (start puts references in their
     * place): always the DynamoDB sink; the Auth0 logs source when
     * {@code AUTH0_DOMAIN}, {@code AUTH0_CLIENT_ID} and {@code AUTH0_CLIENT_SECRET} are set; the
     * provisioning sink when {@code AUTH0_PROVISIONING_ENABLED=true} too (it creates real users).
     */
    static Map<String, Map<String, String>> connectorConfigs(Map<String, String> variables, LocalEndpoints endpoints) {
        return connectorConfigs(variables, endpoints, Optional.empty());
    }

    /** As above, with the welcome-mail sink when there is a mail server on {@code smtpPort} (loopback). */
    static Map<String, Map<String, String>> connectorConfigs(
            Map<String, String> variables, LocalEndpoints endpoints, Optional<Integer> smtpPort) {
        Settings env = DEFINITION.read(variables);
        Map<String, Map<String, String>> connectors = new LinkedHashMap<>();
        Map<String, String> sink = common(endpoints);
        sink.put("connector.class", DynamoDbSinkConnector.class.getName());
        sink.put("topics", Topics.AUTH_PROFILES.name());
        sink.put("dynamodb.table", env.get(DYNAMODB_TABLE));
        sink.put("dynamodb.endpoint", endpoints.dynamoDbEndpoint());
        sink.put("dynamodb.create.table", "true");
        sink.put("aws.region", EmbeddedDynamoDb.REGION.id());
        sink.put("aws.access.key.id", EmbeddedDynamoDb.LOCAL_ACCESS_KEY);
        sink.put("aws.secret.access.key", EmbeddedDynamoDb.LOCAL_SECRET_KEY);
        deadLetters(sink);
        connectors.put(USERS_SINK, sink);

        if (smtpPort.isPresent()) {
            Map<String, String> mailer = common(endpoints);
            mailer.put("connector.class", WelcomeMailSinkConnector.class.getName());
            mailer.put("topics", Topics.AUTH_NOTIFICATIONS.name());
            // In the clear, on loopback only: the local mail server has no certificate.
            mailer.put("smtp.host", LocalMail.HOST);
            mailer.put("smtp.port", Integer.toString(smtpPort.get()));
            mailer.put("smtp.security", "none");
            mailer.put("mail.from", env.get(WELCOME_MAIL_FROM));
            mailer.put("mail.template.path", env.get(WELCOME_MAIL_TEMPLATE));
            mailer.put("sent.topic", Topics.AUTH_NOTIFICATIONS_SENT.name());
            mailer.put("sent.bootstrap.servers", endpoints.bootstrapServers());
            deadLetters(mailer);
            connectors.put(WELCOME_MAILER, mailer);
        }

        boolean auth0 = Stream.of(AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET)
                .allMatch(setting -> env.get(setting) != null);
        if (auth0) {
            Map<String, String> logs = common(endpoints);
            logs.put("connector.class", Auth0LogsSourceConnector.class.getName());
            auth0(logs, env);
            connectors.put(AUTH0_LOGS, logs);
            if (env.get(AUTH0_PROVISIONING_ENABLED)) {
                Map<String, String> provisioning = common(endpoints);
                provisioning.put("connector.class", Auth0ProvisioningSinkConnector.class.getName());
                provisioning.put("topics", Topics.PROVISIONING_REQUESTS.name());
                provisioning.put("results.bootstrap.servers", endpoints.bootstrapServers());
                provisioning.put("role.mapping", env.get(AUTH0_ROLE_MAPPING));
                if (env.get(AUTH0_PROVISIONING_METRICS_PORT) > 0) {
                    provisioning.put("metrics.host", METRICS_HOST);
                    provisioning.put("metrics.port", Integer.toString(env.get(AUTH0_PROVISIONING_METRICS_PORT)));
                }
                auth0(provisioning, env);
                deadLetters(provisioning);
                connectors.put(AUTH0_PROVISIONING, provisioning);
            }
        }
        return connectors;
    }

    /** The worker's own extra settings: the Prometheus metrics reporter unless {@code CONNECT_METRICS_PORT} is 0. */
    static Map<String, String> workerConfig(Map<String, String> variables) {
        int port = DEFINITION.read(variables).get(CONNECT_METRICS_PORT);
        return port == 0 ? Map.of() : PrometheusMetricsReporter.workerConfig(METRICS_HOST, port);
    }

    private static Optional<URI> metricsUrl(int port) {
        return port == 0
                ? Optional.empty()
                : Optional.of(URI.create("http://" + METRICS_HOST + ":" + port + "/metrics"));
    }

    private static Map<String, String> common(LocalEndpoints endpoints) {
        Map<String, String> config = new HashMap<>();
        config.put("tasks.max", "1");
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        config.put("schema.registry.url", endpoints.schemaRegistryUrl());
        return config;
    }

    private static void auth0(Map<String, String> config, Settings env) {
        config.put("auth0.domain", env.get(AUTH0_DOMAIN));
        config.put("auth0.client.id", env.get(AUTH0_CLIENT_ID));
        config.put("auth0.client.secret", env.get(AUTH0_CLIENT_SECRET));
    }

    private static void deadLetters(Map<String, String> config) {
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", Topics.AUTH_EVENTS_DEADLETTER.name());
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
    }

    String describe() {
        return worker.url() + "  connectors: " + String.join(", ", connectors);
    }

    /** The worker's Prometheus metrics, unless {@code CONNECT_METRICS_PORT} is 0. */
    Optional<URI> metricsUrl() {
        return metricsUrl;
    }

    /** The provisioning sink's Prometheus metrics, when it runs and {@code AUTH0_PROVISIONING_METRICS_PORT} is not 0. */
    Optional<URI> provisioningMetricsUrl() {
        return provisioningMetricsUrl;
    }

    URI restUrl() {
        return worker.url();
    }

    String configTopic() {
        return worker.configTopic();
    }

    @Override
    public void close() {
        try {
            worker.close();
        } finally {
            secrets.close();
        }
    }
}
