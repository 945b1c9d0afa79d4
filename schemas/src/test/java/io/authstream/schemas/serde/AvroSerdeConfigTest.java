package io.authstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.registry.SchemaRegistryException;
import io.authstream.schemas.testing.SampleEvents;
import io.authstream.testrecords.TestSecrets;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class AvroSerdeConfigTest {

    @Test
    void registryUrlIsRequired() {
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
    }

    @Test
    void useLatestVersionAndAutoRegisterContradict() {
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of(
                        AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:8081",
                        AvroSerdeConfig.USE_LATEST_VERSION, "true")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("use.latest.version")
                .hasMessageContaining("auto.register.schemas");
    }

    @Test
    void credentialsInTheUrlAreRefusedWithoutEchoingThem() {
        TestSecrets.registerCredential("alice:s3cret-in-url");
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of(
                                AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://alice:s3cret-in-url@127.0.0.1:8081"))
                        .registryClient())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("basic.auth.user.info")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void confluentKeyNamesAreAccepted() {
        TestSecrets.registerCredential("user:confluent-names");
        AvroSerdeConfig config = new AvroSerdeConfig(Map.of(
                "schema.registry.url", "http://a:8081,http://b:8081",
                "auto.register.schemas", "false",
                "use.latest.version", "true",
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "user:confluent-names",
                "specific.avro.reader", "true"));
        assertThat(config.registryUrls()).containsExactly("http://a:8081", "http://b:8081");
        assertThat(config.autoRegisterSchemas()).isFalse();
        assertThat(config.useLatestVersion()).isTrue();
        assertThat(config.specificAvroReader()).isTrue();
    }

    @Test
    void unreachableRegistryIsReportedWithItsAddress() {
        TestSecrets.registerCredential("user:topsecret");
        AvroSerializer<AuthEvent> serializer = new AvroSerializer<>(
                Map.of(
                        AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:1",
                        AvroSerdeConfig.BASIC_AUTH_USER_INFO, "user:topsecret"),
                false);
        assertThatThrownBy(() -> serializer.serialize("auth.events.raw", SampleEvents.full()))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("http://127.0.0.1:1/")
                .hasMessageContaining("unreachable")
                .hasMessageNotContaining("topsecret")
                .satisfies(e ->
                        assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(-1));
    }
}
