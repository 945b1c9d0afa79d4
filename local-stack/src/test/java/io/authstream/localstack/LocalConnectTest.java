package io.authstream.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authstream.connect.dynamodb.DynamoDbSinkConnector;
import io.authstream.connect.logs.Auth0LogsSourceConnector;
import io.authstream.connect.provisioning.Auth0ProvisioningSinkConnector;
import io.authstream.embedded.EmbeddedDynamoDb;
import io.authstream.embedded.connect.SecretsDirectory;
import io.authstream.testrecords.TestSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.provider.DirectoryConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalConnectTest {

    private static final LocalEndpoints ENDPOINTS =
            new LocalEndpoints("127.0.0.1:9092", "http://127.0.0.1:8081", "http://127.0.0.1:8000");
    private static final String CLIENT_SECRET = "local-connect-client-secret";

    @Test
    void theUsersSinkAlwaysRunsTheAuth0ConnectorsOnlyWithCredentials() {
        TestSecrets.register(CLIENT_SECRET);
        assertThat(LocalConnect.connectorConfigs(Map.of(), ENDPOINTS)).containsOnlyKeys(LocalConnect.USERS_SINK);
        assertThat(LocalConnect.connectorConfigs(
                        Map.of("AUTH0_DOMAIN", "https://dev.eu.auth0.com", "AUTH0_CLIENT_ID", "id"), ENDPOINTS))
                .containsOnlyKeys(LocalConnect.USERS_SINK);

        Map<String, Map<String, String>> withAuth0 = LocalConnect.connectorConfigs(
                Map.of(
                        "AUTH0_DOMAIN",
                        "https://dev.eu.auth0.com",
                        "AUTH0_CLIENT_ID",
                        "id",
                        "AUTH0_CLIENT_SECRET",
                        CLIENT_SECRET),
                ENDPOINTS);
        assertThat(withAuth0).containsOnlyKeys(LocalConnect.USERS_SINK, LocalConnect.AUTH0_LOGS);
        assertThat(withAuth0.get(LocalConnect.AUTH0_LOGS))
                .containsEntry("auth0.domain", "https://dev.eu.auth0.com")
                .containsEntry("schema.registry.url", "http://127.0.0.1:8081");

        Map<String, Map<String, String>> provisioning = LocalConnect.connectorConfigs(
                Map.of(
                        "AUTH0_DOMAIN",
                        "https://dev.eu.auth0.com",
                        "AUTH0_CLIENT_ID",
                        "id",
                        "AUTH0_CLIENT_SECRET",
                        CLIENT_SECRET,
                        "AUTH0_PROVISIONING_ENABLED",
                        "true",
                        "AUTH0_ROLE_MAPPING",
                        "ENG:rol_1",
                        "DYNAMODB_TABLE",
                        "UsersDev"),
                ENDPOINTS);
        assertThat(provisioning.get(LocalConnect.AUTH0_PROVISIONING))
                .containsEntry("role.mapping", "ENG:rol_1")
                .containsEntry("topics", "employee.provisioning.requests")
                .containsEntry("results.bootstrap.servers", "127.0.0.1:9092");
        assertThat(provisioning.get(LocalConnect.USERS_SINK))
                .containsEntry("dynamodb.table", "UsersDev")
                .containsEntry("dynamodb.endpoint", "http://127.0.0.1:8000");
    }

    @Test
    void theWorkerAndTheProvisioningSinkServeTheirMetricsOnLoopbackUnlessTheirPortIsZero() {
        TestSecrets.register(CLIENT_SECRET);
        assertThat(LocalConnect.workerConfig(Map.of()))
                .containsEntry("authstream.metrics.prometheus.host", "127.0.0.1")
                .containsEntry("authstream.metrics.prometheus.port", "9404")
                .containsEntry("consumer.authstream.metrics.prometheus.port", "9404")
                .containsKey("metric.reporters");
        assertThat(LocalConnect.workerConfig(Map.of("CONNECT_METRICS_PORT", "9999")))
                .containsEntry("authstream.metrics.prometheus.port", "9999");
        assertThat(LocalConnect.workerConfig(Map.of("CONNECT_METRICS_PORT", "0")))
                .isEmpty();
        assertThatThrownBy(() -> LocalConnect.workerConfig(Map.of("CONNECT_METRICS_PORT", "70000")))
                .hasMessageContaining("CONNECT_METRICS_PORT");
        assertThatThrownBy(() -> LocalConnect.workerConfig(Map.of("CONNECT_METRICS_PROT", "9404")))
                .as("a misspelt variable under the prefix")
                .hasMessageContaining("CONNECT_METRICS_PROT");

        Map<String, String> auth0 = new java.util.HashMap<>(Map.of(
                "AUTH0_DOMAIN",
                "https://dev.eu.auth0.com",
                "AUTH0_CLIENT_ID",
                "id",
                "AUTH0_CLIENT_SECRET",
                CLIENT_SECRET,
                "AUTH0_PROVISIONING_ENABLED",
                "true"));
        assertThat(LocalConnect.connectorConfigs(auth0, ENDPOINTS).get(LocalConnect.AUTH0_PROVISIONING))
                .containsEntry("metrics.host", "127.0.0.1")
                .containsEntry("metrics.port", "9405");
        auth0.put("AUTH0_PROVISIONING_METRICS_PORT", "0");
        assertThat(LocalConnect.connectorConfigs(auth0, ENDPOINTS).get(LocalConnect.AUTH0_PROVISIONING))
                .doesNotContainKeys("metrics.host", "metrics.port");
    }

    @Test
    void everySecretOfEveryConnectorBecomesAReferenceToAnOwnerOnlyFile(@TempDir Path dir) throws Exception {
        TestSecrets.register(CLIENT_SECRET);
        Map<String, Map<String, String>> configs = LocalConnect.connectorConfigs(
                Map.of(
                        "AUTH0_DOMAIN",
                        "https://dev.eu.auth0.com",
                        "AUTH0_CLIENT_ID",
                        "id",
                        "AUTH0_CLIENT_SECRET",
                        CLIENT_SECRET,
                        "AUTH0_PROVISIONING_ENABLED",
                        "true"),
                ENDPOINTS);
        assertThat(SecretsDirectory.secretKeys(DynamoDbSinkConnector.class.getName()))
                .containsExactly("aws.secret.access.key", "basic.auth.user.info");
        assertThat(SecretsDirectory.secretKeys(Auth0LogsSourceConnector.class.getName()))
                .containsExactly("auth0.client.secret", "basic.auth.user.info");
        assertThat(SecretsDirectory.secretKeys(Auth0ProvisioningSinkConnector.class.getName()))
                .containsExactly("auth0.client.secret", "basic.auth.user.info");

        Path secretsDir = dir.resolve("connect-secrets");
        Files.createDirectories(secretsDir);
        Files.writeString(secretsDir.resolve("left-by-a-killed-run"), "old");
        try (SecretsDirectory secrets = SecretsDirectory.create(secretsDir)) {
            assertThat(secretsDir.resolve("left-by-a-killed-run")).doesNotExist();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secretsDir)))
                    .isEqualTo("rwx------");
            Map<String, String> logs =
                    secrets.referenceSecrets(LocalConnect.AUTH0_LOGS, configs.get(LocalConnect.AUTH0_LOGS));
            Map<String, String> provisioning = secrets.referenceSecrets(
                    LocalConnect.AUTH0_PROVISIONING, configs.get(LocalConnect.AUTH0_PROVISIONING));
            Map<String, String> sink =
                    secrets.referenceSecrets(LocalConnect.USERS_SINK, configs.get(LocalConnect.USERS_SINK));

            assertThat(logs)
                    .containsEntry("auth0.client.secret", "${dir:" + secretsDir + ":auth0-logs.auth0.client.secret}")
                    .containsEntry("auth0.client.id", "id")
                    .doesNotContainValue(CLIENT_SECRET);
            assertThat(provisioning)
                    .containsEntry(
                            "auth0.client.secret", "${dir:" + secretsDir + ":auth0-provisioning.auth0.client.secret}")
                    .doesNotContainValue(CLIENT_SECRET);
            assertThat(sink)
                    .containsEntry(
                            "aws.secret.access.key", "${dir:" + secretsDir + ":users-sink.aws.secret.access.key}")
                    .containsEntry("aws.access.key.id", EmbeddedDynamoDb.LOCAL_ACCESS_KEY);
            assertThat(Files.readString(secretsDir.resolve("auth0-logs.auth0.client.secret")))
                    .isEqualTo(CLIENT_SECRET);
            assertThat(PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(secretsDir.resolve("auth0-logs.auth0.client.secret"))))
                    .isEqualTo("rw-------");
            try (var files = Files.list(secretsDir)) {
                assertThat(files.map(f -> f.getFileName().toString()))
                        .as("no temporary file is left")
                        .containsExactlyInAnyOrder(
                                "auth0-logs.auth0.client.secret",
                                "auth0-provisioning.auth0.client.secret",
                                "users-sink.aws.secret.access.key");
            }

            // Kafka's provider, configured as the worker is, reads this directory and no other.
            Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
            Files.writeString(elsewhere.resolve("stolen"), CLIENT_SECRET);
            try (DirectoryConfigProvider provider = new DirectoryConfigProvider()) {
                String prefix = "config.providers." + SecretsDirectory.PROVIDER + ".param.";
                Map<String, Object> params = new java.util.HashMap<>();
                secrets.workerConfig().forEach((key, value) -> {
                    if (key.startsWith(prefix)) {
                        params.put(key.substring(prefix.length()), value);
                    }
                });
                provider.configure(params);
                assertThat(provider.get(secretsDir.toString(), Set.of("auth0-logs.auth0.client.secret"))
                                .data())
                        .containsEntry("auth0-logs.auth0.client.secret", CLIENT_SECRET);
                assertThat(provider.get(elsewhere.toString(), Set.of("stolen")).data())
                        .isEmpty();
                assertThat(provider.get(
                                        secretsDir
                                                .resolve("..")
                                                .resolve("elsewhere")
                                                .toString(),
                                        Set.of("stolen"))
                                .data())
                        .isEmpty();
            }
        }
        assertThat(secretsDir)
                .as("the secrets are on disk only while the worker runs")
                .doesNotExist();
    }

    @Test
    void aSecretsDirectoryThatCannotStandInAReferenceIsRefused(@TempDir Path dir) {
        assertThatThrownBy(() -> SecretsDirectory.create(dir.resolve("a:b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not contain ':'");
    }
}
