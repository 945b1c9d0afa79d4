package io.authstream.localstack;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.authstream.connect.logs.Auth0LogsSourceConnector;
import io.authstream.embedded.connect.SecretsDirectory;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.ProfileStatus;
import io.authstream.schemas.avro.UserProfile;
import io.authstream.schemas.serde.AvroSerializer;
import io.authstream.testrecords.TestSecrets;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.provider.FileConfigProvider;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The local stack's Connect worker keeps connector secrets out of its REST API and config topic,
 * and its connectors still use them; a connector config cannot read other files or bring a config
 * provider of its own. Auth0 is WireMock; Kafka, Connect and DynamoDB Local are real.
 */
@ExtendWith(StackExtension.class)
class ConnectSecretsIT {

    @RegisterExtension
    static WireMockExtension auth0 = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String CLIENT_ID = "m2m-local-stack";

    private final TestStack stack;
    private final String clientSecret = "local-stack-client-secret-" + UUID.randomUUID();
    private final String accessToken = "eyJ.local-stack-" + UUID.randomUUID() + ".sig";
    /** What a connector config tries to read from outside the secrets directory. */
    private final String notForConnectors = "not-for-connectors-" + UUID.randomUUID();

    private Map<String, String> env;

    ConnectSecretsIT(TestStack stack) {
        this.stack = stack;
    }

    @BeforeEach
    void environment() {
        stack.createTopics(Topics.ALL, 3);
        TestSecrets.register(clientSecret);
        TestSecrets.register(accessToken);
        TestSecrets.register(notForConnectors);
        env = TestEnvironments.pipeline("connect-secrets");
        env.put("AUTH0_DOMAIN", auth0.baseUrl());
        env.put("AUTH0_CLIENT_ID", CLIENT_ID);
        env.put("AUTH0_CLIENT_SECRET", clientSecret);
        env.put("AUTH0_PROVISIONING_ENABLED", "true");
        // Auth0 hands out a token for the configured client secret only, and logs for that token only.
        auth0.stubFor(post("/oauth/token")
                .withRequestBody(matchingJsonPath("$.client_secret", equalTo(clientSecret)))
                .willReturn(okJson(
                        "{\"access_token\":\"" + accessToken + "\",\"expires_in\":86400,\"token_type\":\"Bearer\"}")));
        auth0.stubFor(get(urlPathEqualTo("/api/v2/logs"))
                .withHeader("Authorization", equalTo("Bearer " + accessToken))
                .willReturn(okJson("[]")));
    }

    @Test
    void theRestApiAndTheConfigTopicHoldReferencesAndTheConnectorsStillUseTheSecrets(@TempDir Path data)
            throws Exception {
        Path secretsDir = data.resolve("connect-secrets");
        String user = "auth0|connect-secrets-" + UUID.randomUUID();
        try (LocalConnect connect = LocalConnect.start(
                env, TestEnvironments.endpoints(stack), TestStack.uniqueTopic("connect"), secretsDir)) {
            List<String> names = names(getJson(connect, "connectors"));
            assertThat(names)
                    .containsExactlyInAnyOrder(
                            LocalConnect.USERS_SINK, LocalConnect.AUTH0_LOGS, LocalConnect.AUTH0_PROVISIONING);
            for (String name : names) {
                String config = rest(connect, "connectors/" + name + "/config");
                String tasks = rest(connect, "connectors/" + name + "/tasks");
                assertNoSecretIn(name + " config", config);
                assertNoSecretIn(name + " tasks", tasks);
                JsonNode configJson = JSON.readTree(config);
                List<String> secretKeys = SecretsDirectory.secretKeys(
                        configJson.get("connector.class").asText());
                assertThat(secretKeys).isNotEmpty();
                for (String key : secretKeys) {
                    if (configJson.has(key)) {
                        assertThat(configJson.get(key).asText())
                                .as("%s %s", name, key)
                                .isEqualTo("${dir:" + secretsDir.toAbsolutePath() + ":" + name + "." + key + "}");
                    }
                }
                for (JsonNode task : JSON.readTree(tasks)) {
                    for (String key : secretKeys) {
                        if (task.path("config").has(key)) {
                            assertThat(task.path("config").get(key).asText())
                                    .as("%s task %s", name, key)
                                    .startsWith("${dir:");
                        }
                    }
                }
            }
            assertThat(JSON.readTree(rest(connect, "connectors/" + LocalConnect.AUTH0_LOGS + "/config"))
                            .has("auth0.client.secret"))
                    .isTrue();
            assertThat(JSON.readTree(rest(connect, "connectors/" + LocalConnect.USERS_SINK + "/config"))
                            .has("aws.secret.access.key"))
                    .isTrue();

            List<String> configRecords = stack.consumeAll(connect.configTopic(), new ByteArrayDeserializer()).stream()
                    .filter(r -> r.value() != null)
                    .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .toList();
            assertThat(configRecords)
                    .as("the connector and task configs on the config topic")
                    .anyMatch(r -> r.contains("auth0.client.secret") && r.contains("${dir:"));
            for (String record : configRecords) {
                assertNoSecretIn("a record of " + connect.configTopic(), record);
            }

            // The logs source took its token with the secret and reads logs with the token.
            await(
                    "the logs source authenticated and read logs",
                    () -> !auth0.findAll(getRequestedFor(urlPathEqualTo("/api/v2/logs"))
                                    .withHeader("Authorization", equalTo("Bearer " + accessToken)))
                            .isEmpty());
            // The Users sink still writes DynamoDB Local with its referenced secret key.
            produceProfile(user);
            try (DynamoDbClient dynamo = stack.dynamoDbClient()) {
                await(
                        "the profile in the Users table",
                        () -> tableExists(dynamo)
                                && !ProfileItems.item(dynamo, env.get("DYNAMODB_TABLE"), user)
                                        .isEmpty());
            }
        }
        assertThat(secretsDir)
                .as("the secrets are on disk only while Connect runs")
                .doesNotExist();
    }

    @Test
    void aConnectorConfigCannotReadAFileOutsideTheSecretsDirectory(@TempDir Path data) throws Exception {
        Path elsewhere = Files.createDirectories(data.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("stolen"), notForConnectors);
        try (LocalConnect connect = LocalConnect.start(
                env,
                TestEnvironments.endpoints(stack),
                TestStack.uniqueTopic("connect"),
                data.resolve("connect-secrets"))) {
            String client = "probe-outside-directory";
            Map<String, String> probe = probe(client);
            probe.put("auth0.client.secret", "${dir:" + elsewhere + ":stolen}");
            assertThat(put(connect, "probe", probe).statusCode()).isEqualTo(201);
            // The reference stays unresolved, so the probe asks Auth0 for a token with it as written.
            await(
                    "the probe asked Auth0 for a token",
                    () -> !tokenRequests(client).isEmpty());
            assertThat(holding(tokenRequests(client), notForConnectors))
                    .as("token requests holding the file's content")
                    .isZero();
            assertThat(tokenRequests(client))
                    .allSatisfy(request ->
                            assertThat(request.getBodyAsString()).contains("${dir:" + elsewhere + ":stolen}"));
        }
    }

    @Test
    void aConnectorConfigCannotBringAConfigProviderOfItsOwn(@TempDir Path data) throws Exception {
        Path file = data.resolve("elsewhere.properties");
        Files.writeString(file, "stolen=" + notForConnectors + "\n");
        try (LocalConnect connect = LocalConnect.start(
                env,
                TestEnvironments.endpoints(stack),
                TestStack.uniqueTopic("connect"),
                data.resolve("connect-secrets"))) {
            String client = "probe-own-provider";
            Map<String, String> probe = probe(client);
            probe.put("config.providers", "file");
            probe.put("config.providers.file.class", FileConfigProvider.class.getName());
            probe.put("auth0.client.secret", "${file:" + file + ":stolen}");
            HttpResponse<String> answer = put(connect, "probe", probe);
            if (answer.statusCode() == 201) {
                await(
                        "the probe failed or asked Auth0 for a token",
                        () -> failed(connect, "probe") || !tokenRequests(client).isEmpty());
            }
            assertThat(holding(tokenRequests(client), notForConnectors))
                    .as("token requests holding the file's content")
                    .isZero();
            assertThat(answer.statusCode() == 201 ? rest(connect, "connectors/probe/status") : answer.body())
                    .as("refused for naming a provider the JVM does not allow")
                    .contains(AbstractConfig.AUTOMATIC_CONFIG_PROVIDERS_PROPERTY);
        }
    }

    /** A logs source on the fake Auth0 under its own client id, so its token requests can be told apart. */
    private Map<String, String> probe(String clientId) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", Auth0LogsSourceConnector.class.getName());
        config.put("tasks.max", "1");
        config.put("auth0.domain", auth0.baseUrl());
        config.put("auth0.client.id", clientId);
        config.put("auth0.max.tries", "1");
        config.put("topic", TestStack.uniqueTopic("probe"));
        config.put("schema.registry.url", stack.schemaRegistryUrl());
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        return config;
    }

    private List<LoggedRequest> tokenRequests(String clientId) {
        return auth0.findAll(postRequestedFor(urlEqualTo("/oauth/token"))
                .withRequestBody(matchingJsonPath("$.client_id", equalTo(clientId))));
    }

    /** The connector or a task of it FAILED (its status is 404 until the worker has it). */
    private static boolean failed(LocalConnect connect, String name) {
        try {
            HttpResponse<String> status = HTTP.send(
                    HttpRequest.newBuilder(connect.restUrl().resolve("connectors/" + name + "/status"))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return status.statusCode() == 200 && status.body().contains("\"FAILED\"");
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Counts, never prints, the secrets found: a failing test must not put them in its report. */
    private static void assertNoSecretIn(String what, String text) {
        assertThat(TestSecrets.all().stream().filter(text::contains).count())
                .as("configured secrets in %s", what)
                .isZero();
    }

    private static long holding(List<LoggedRequest> requests, String secret) {
        return requests.stream()
                .filter(request -> request.getBodyAsString().contains(secret))
                .count();
    }

    private void produceProfile(String user) throws Exception {
        Instant now = Instant.parse("2026-01-05T09:00:00Z");
        UserProfile profile = UserProfile.newBuilder()
                .setUserId(user)
                .setEmail("connect-secrets@example.com")
                .setCreatedAt(now)
                .setLastLoginDate(now)
                .setLoginCount(1)
                .setStatus(ProfileStatus.ACTIVE)
                .setLastEventAt(now)
                .setLastEventId("e1")
                .setUpdatedAt(now)
                .build();
        String topic = Topics.AUTH_PROFILES.name();
        byte[] value = new AvroSerializer<UserProfile>(stack.serdeConfig(), false).serialize(topic, profile);
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(stack.clientConfig(), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, user, value)).get();
        }
    }

    private boolean tableExists(DynamoDbClient dynamo) {
        return dynamo.listTables().tableNames().contains(env.get("DYNAMODB_TABLE"));
    }

    private static List<String> names(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false)
                .map(JsonNode::asText)
                .toList();
    }

    private static JsonNode getJson(LocalConnect connect, String path) throws Exception {
        return JSON.readTree(rest(connect, path));
    }

    private static String rest(LocalConnect connect, String path) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(connect.restUrl().resolve(path))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
            return response.body();
        } catch (Exception e) {
            throw new IllegalStateException("GET " + path, e);
        }
    }

    private static HttpResponse<String> put(LocalConnect connect, String name, Map<String, String> config)
            throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(connect.restUrl().resolve("connectors/" + name + "/config"))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(config)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 90_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within 90 s: " + what);
            }
            Thread.sleep(250);
        }
    }
}
