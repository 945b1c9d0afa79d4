package io.authstream.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.authstream.embedded.FreePorts;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.Notification;
import io.authstream.schemas.serde.AvroSerializer;
import io.authstream.testrecords.TestOutput;
import io.authstream.testrecords.TestSecrets;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The packaged plugins as a user installs them: a Connect worker in its own JVM, with only
 * Connect on its classpath and target/plugins/plugin-path as plugin.path, lists the four
 * connectors and runs the DynamoDB sink and the welcome-mail sink from their plugin directories.
 */
@ExtendWith(StackExtension.class)
class PluginPathIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PLUGIN_PATH =
            Path.of("target/plugins/plugin-path").toAbsolutePath();
    private static final String AWS_SECRET = "plugin-path-aws-secret";

    private static final List<String> WORKER_CLASSPATH = List.of(
            "/org/apache/kafka/",
            "/org/eclipse/jetty/",
            "/org/glassfish/",
            "/jakarta/",
            "/javax/",
            "/com/fasterxml/jackson/",
            "/org/slf4j/",
            "/ch/qos/logback/",
            "/io/github/classgraph/",
            "/org/bitbucket/b_c/",
            "/org/apache/maven/",
            "/org/javassist/",
            "/org/jboss/",
            "/com/github/luben/",
            "/org/lz4/",
            "/org/xerial/",
            "/io/swagger/",
            "/org/reflections/",
            "/org/apache/commons/commons-lang3/");

    private final TestStack stack;

    PluginPathIT(TestStack stack) {
        this.stack = stack;
    }

    @Test
    void eachPluginDirectoryHoldsOneConnectorAndWhatItNeeds() throws Exception {
        assertThat(names(PLUGIN_PATH))
                .containsExactlyInAnyOrder(
                        "authstream-dynamodb-sink",
                        "authstream-auth0-logs-source",
                        "authstream-auth0-provisioning-sink",
                        "authstream-welcome-mail-sink");
        assertThat(names(PLUGIN_PATH.resolve("authstream-welcome-mail-sink")))
                .anyMatch(n -> n.startsWith("angus-mail-"))
                .anyMatch(n -> n.startsWith("jakarta.mail-api-"))
                .anyMatch(n -> n.startsWith("schemas-"))
                .noneMatch(n -> n.startsWith("dynamodb-")
                        || n.startsWith("netty-")
                        || n.startsWith("users-table-")
                        || n.startsWith("kafka-clients")
                        || n.startsWith("slf4j"));
        assertThat(names(PLUGIN_PATH.resolve("authstream-dynamodb-sink")))
                .anyMatch(n -> n.startsWith("dynamodb-2."))
                .anyMatch(n -> n.startsWith("users-table-"))
                .noneMatch(n -> n.startsWith("kafka-clients") || n.startsWith("connect-api") || n.startsWith("slf4j"));
        assertThat(names(PLUGIN_PATH.resolve("authstream-auth0-logs-source")))
                .anyMatch(n -> n.startsWith("normalizer-"))
                .noneMatch(n -> n.startsWith("dynamodb-") || n.startsWith("kafka-clients"));
        for (String plugin :
                List.of("dynamodb-sink", "auth0-logs-source", "auth0-provisioning-sink", "welcome-mail-sink")) {
            assertThat(PLUGIN_PATH.getParent().resolve("authstream-" + plugin + ".zip"))
                    .exists();
        }
    }

    @Test
    void aWorkerWithOnlyThePluginPathRunsTheSink() throws Exception {
        stack.createTopics(Topics.ALL, 1);
        int port = FreePorts.next();
        Path properties = Files.createTempFile("worker", ".properties");
        String group = TestStack.uniqueTopic("plugin-path-worker");
        Files.writeString(
                properties,
                String.join(
                        "\n",
                        "bootstrap.servers=" + stack.bootstrapServers(),
                        "group.id=" + group,
                        "config.storage.topic=" + group + "-configs",
                        "offset.storage.topic=" + group + "-offsets",
                        "status.storage.topic=" + group + "-status",
                        "config.storage.replication.factor=1",
                        "offset.storage.replication.factor=1",
                        "status.storage.replication.factor=1",
                        "key.converter=org.apache.kafka.connect.storage.StringConverter",
                        "value.converter=org.apache.kafka.connect.converters.ByteArrayConverter",
                        "listeners=http://127.0.0.1:" + port,
                        "plugin.path=" + PLUGIN_PATH,
                        "plugin.discovery=service_load",
                        ""));
        // Connect and its own dependencies only, as in a Connect distribution: none of this
        // project's jars, and none of what the tests carry (DynamoDB Local brings its own AWS SDK).
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> WORKER_CLASSPATH.stream().anyMatch(entry::contains))
                .collect(Collectors.joining(File.pathSeparator));
        // A TestOutput file: the suite audit reads the worker's console along with this JVM's.
        Path log = TestOutput.newFile("connect-worker");
        Process worker = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        classpath,
                        "org.apache.kafka.connect.cli.ConnectDistributed",
                        properties.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            URI plugins = URI.create("http://127.0.0.1:" + port + "/connector-plugins");
            JsonNode listed = null;
            long deadline = System.currentTimeMillis() + 90_000;
            while (listed == null && System.currentTimeMillis() < deadline) {
                try {
                    HttpResponse<String> answer = http.send(
                            HttpRequest.newBuilder(plugins)
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() == 200) {
                        listed = JSON.readTree(answer.body());
                    }
                } catch (java.io.IOException notYet) {
                    Thread.sleep(500);
                }
            }
            assertThat(listed).as("worker log %s", log).isNotNull();
            List<String> classes = new ArrayList<>();
            listed.forEach(p -> classes.add(p.get("class").asText()));
            assertThat(classes)
                    .contains(
                            "io.authstream.connect.dynamodb.DynamoDbSinkConnector",
                            "io.authstream.connect.logs.Auth0LogsSourceConnector",
                            "io.authstream.connect.provisioning.Auth0ProvisioningSinkConnector",
                            "io.authstream.connect.mail.WelcomeMailSinkConnector");

            TestSecrets.register(AWS_SECRET);
            String config = JSON.writeValueAsString(Map.of(
                    "connector.class",
                    "io.authstream.connect.dynamodb.DynamoDbSinkConnector",
                    "topics",
                    Topics.AUTH_PROFILES.name(),
                    "dynamodb.endpoint",
                    stack.dynamoDbEndpoint(),
                    "dynamodb.create.table",
                    "true",
                    "dynamodb.table",
                    TestStack.uniqueTopic("Users"),
                    "aws.region",
                    "us-east-1",
                    "aws.access.key.id",
                    "local",
                    "aws.secret.access.key",
                    AWS_SECRET,
                    "schema.registry.url",
                    stack.schemaRegistryUrl()));
            HttpResponse<String> created = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/connectors/users-sink/config"))
                            .header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString(config))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String state = "";
            deadline = System.currentTimeMillis() + 60_000;
            while (!state.contains("\"tasks\":[{\"id\":0,\"state\":\"RUNNING\"")
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(500);
                state = http.send(
                                HttpRequest.newBuilder(URI.create(
                                                "http://127.0.0.1:" + port + "/connectors/users-sink/status"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
            }
            assertThat(state).as("status; worker log %s", log).contains("\"tasks\":[{\"id\":0,\"state\":\"RUNNING\"");

            // The mail sink from its own directory: Jakarta Mail and Activation inside the plugin's loader.
            GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
            smtp.start();
            try {
                String notifications = TestStack.uniqueTopic("plugin-path-notifications");
                String sent = TestStack.uniqueTopic("plugin-path-sent");
                try (org.apache.kafka.clients.admin.Admin admin = stack.admin()) {
                    admin.createTopics(List.of(
                                    new org.apache.kafka.clients.admin.NewTopic(notifications, 1, (short) 1),
                                    new org.apache.kafka.clients.admin.NewTopic(sent, 1, (short) 1)
                                            .configs(Topics.AUTH_NOTIFICATIONS_SENT.topicConfigs())))
                            .all()
                            .get();
                }
                stack.produce(
                        notifications,
                        new AvroSerializer<Notification>(stack.serdeConfig(), false),
                        List.of(Notification.newBuilder()
                                .setNotificationId("welcome:auth0|plugin-path")
                                .setKind("welcome")
                                .setUserId("auth0|plugin-path")
                                .setEmail("plugin-path@example.com")
                                .setDisplayName("Plugin Path")
                                .setTriggeringEventId("ev-1")
                                .setCreatedAt(java.time.Instant.parse("2026-03-01T00:00:00Z"))
                                .build()));
                String mailConfig = JSON.writeValueAsString(Map.of(
                        "connector.class",
                        "io.authstream.connect.mail.WelcomeMailSinkConnector",
                        "topics",
                        notifications,
                        "schema.registry.url",
                        stack.schemaRegistryUrl(),
                        "smtp.host",
                        "127.0.0.1",
                        "smtp.port",
                        Integer.toString(smtp.getSmtp().getPort()),
                        "smtp.security",
                        "none",
                        "mail.from",
                        "welcome@example.com",
                        "sent.topic",
                        sent,
                        "sent.bootstrap.servers",
                        stack.bootstrapServers()));
                HttpResponse<String> mailer = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/connectors/mailer/config"))
                                .header("Content-Type", "application/json")
                                .PUT(HttpRequest.BodyPublishers.ofString(mailConfig))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(mailer.statusCode()).as(mailer.body()).isEqualTo(201);
                assertThat(smtp.waitForIncomingEmail(60_000, 1))
                        .as("worker log %s", log)
                        .isTrue();
                assertThat(smtp.getReceivedMessages()[0].getSubject()).isEqualTo("Welcome, Plugin Path!");
            } finally {
                smtp.stop();
            }
        } finally {
            worker.destroy();
            worker.waitFor();
        }
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
