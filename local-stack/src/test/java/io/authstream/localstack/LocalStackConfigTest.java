package io.authstream.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authstream.embedded.EmbeddedStack;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalStackConfigTest {

    @Test
    void defaultsAreTheWellKnownPorts() {
        EmbeddedStack.Settings settings = LocalStackConfig.parse(Map.of(), new String[0]);
        assertThat(settings.kafkaPort()).isEqualTo(9092);
        assertThat(settings.controllerPort()).isEqualTo(9093);
        assertThat(settings.registryPort()).isEqualTo(8081);
        assertThat(settings.dynamoDbPort()).isEqualTo(8000);
        assertThat(settings.partitions()).isEqualTo(3);
        assertThat(settings.dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
    }

    @Test
    void argumentsOverrideEnvironment() {
        EmbeddedStack.Settings settings = LocalStackConfig.parse(
                Map.of("AUTHSTREAM_KAFKA_PORT", "19092", "AUTHSTREAM_DATA_DIR", "/tmp/a"),
                new String[] {"--kafka-port=29092"});
        assertThat(settings.kafkaPort()).isEqualTo(29092);
        assertThat(settings.dataDir()).isEqualTo(Path.of("/tmp/a"));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> LocalStackConfig.parse(
                        Map.of("AUTHSTREAM_KAFKA_PORT", "ninety", "AUTHSTREAM_DYNAMODB_PORT", "70000"),
                        new String[] {"--colour=blue", "oops"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AUTHSTREAM_KAFKA_PORT must be a whole number, got 'ninety'")
                .hasMessageContaining("AUTHSTREAM_DYNAMODB_PORT must be between 1 and 65535, got 70000")
                .hasMessageContaining("unknown argument --colour")
                .hasMessageContaining("argument oops is not --name=value");
    }

    @Test
    void aMisspeltVariableIsRefusedWithTheNameItMeant() {
        assertThatThrownBy(() -> LocalStackConfig.parse(
                        Map.of("AUTHSTREAM_KAFKA_PROT", "19092", "AUTHSTREAM_TEST_KAFKA_BACKEND", "x"), new String[0]))
                .hasMessageContaining("unknown variable AUTHSTREAM_KAFKA_PROT (did you mean AUTHSTREAM_KAFKA_PORT?)")
                .hasMessageNotContaining("AUTHSTREAM_TEST_KAFKA_BACKEND");
    }

    @Test
    void portsMustDiffer() {
        assertThatThrownBy(
                        () -> LocalStackConfig.parse(Map.of("AUTHSTREAM_SCHEMA_REGISTRY_PORT", "9092"), new String[0]))
                .hasMessageContaining("the ports must differ");
    }

    @Test
    void usageListsEveryKey() {
        String usage = LocalStackConfig.usage();
        LocalStackConfig.DEFINITION
                .settings()
                .forEach(setting ->
                        assertThat(usage).contains(setting.name(), "--" + LocalStackConfig.argument(setting)));
    }
}
