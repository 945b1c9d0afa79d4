package io.authstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authstream.testrecords.TestSecrets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryConfigTest {

    @Test
    void readsConfluentNamedProperties() {
        RegistryConfig config = RegistryConfig.fromProperties(Map.of(
                "listeners", "http://0.0.0.0:18081",
                "kafkastore.bootstrap.servers", "broker:9092",
                "kafkastore.security.protocol", "SASL_SSL",
                "kafkastore.topic", "_schemas_dev",
                "kafkastore.timeout.ms", "5000",
                "schema.compatibility.level", "full_transitive"));
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.port()).isEqualTo(18081);
        assertThat(config.storeClientConfig())
                .containsEntry("bootstrap.servers", "broker:9092")
                .containsEntry("security.protocol", "SASL_SSL")
                .doesNotContainKeys("topic", "timeout.ms");
        assertThat(config.storeTopic()).isEqualTo("_schemas_dev");
        assertThat(config.storeTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.defaultCompatibility()).isEqualTo(Compatibility.FULL_TRANSITIVE);
    }

    @Test
    void bootstrapServersAreRequired() {
        assertThatThrownBy(() -> RegistryConfig.fromProperties(Map.of("listeners", "http://127.0.0.1:8081")))
                .hasMessageContaining("kafkastore.bootstrap.servers is required");
    }

    @Test
    void badValuesAreNamed() {
        TestSecrets.register("no-colon-credential");
        assertThatThrownBy(() -> RegistryConfig.fromProperties(
                        Map.of("kafkastore.bootstrap.servers", "b:9092", "kafkastore.timeout.ms", "soon")))
                .hasMessageContaining("kafkastore.timeout.ms must be a whole number, got 'soon'");
        assertThatThrownBy(() -> RegistryConfig.fromProperties(
                        Map.of("kafkastore.bootstrap.servers", "b:9092", "listeners", "https://127.0.0.1:8081")))
                .hasMessageContaining("listeners must be an http://host:port URL, got 'https://127.0.0.1:8081'");
        assertThatThrownBy(() -> RegistryConfig.fromProperties(Map.of(
                        "kafkastore.bootstrap.servers",
                        "b:9092",
                        "authentication.basic.user.info",
                        "no-colon-credential")))
                .hasMessageContaining("must be user:password");
    }

    @Test
    void toStringNeverShowsTheCredentials() {
        TestSecrets.registerCredential("admin:hunter2-registry");
        RegistryConfig config = RegistryConfig.of("127.0.0.1", 8081, "b:9092").withBasicAuth("admin:hunter2-registry");
        assertThat(config.toString()).contains("auth=basic").doesNotContain("hunter2");
    }
}
