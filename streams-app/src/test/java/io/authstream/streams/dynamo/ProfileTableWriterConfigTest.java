package io.authstream.streams.dynamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileTableWriterConfigTest {

    @Test
    void defaultsWriteToUsersOnAwsWithoutCreatingIt() {
        ProfileTableWriterConfig config = ProfileTableWriterConfig.fromEnvironment(Map.of("KAFKA_BOOTSTRAP_SERVERS", "b:9092",
                "SCHEMA_REGISTRY_URL", "http://r:8081", "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "u:registry-secret",
                "KAFKA_CONSUMER_MAX_POLL_RECORDS", "50"));
        assertThat(config.table()).isEqualTo("Users");
        assertThat(config.endpoint()).isEmpty();
        assertThat(config.createTable()).isFalse();
        assertThat(config.consumerConfig()).containsEntry("group.id", "authstream-dynamodb-writer")
                .containsEntry("max.poll.records", "50").containsEntry("bootstrap.servers", "b:9092");
        assertThat(config.toString()).doesNotContain("registry-secret");
    }

    @Test
    void localEndpointAndTableCreation() {
        ProfileTableWriterConfig config = ProfileTableWriterConfig.fromEnvironment(Map.of("KAFKA_BOOTSTRAP_SERVERS", "b:9092",
                "SCHEMA_REGISTRY_URL", "http://r:8081", "DYNAMODB_ENDPOINT", "http://127.0.0.1:8000",
                "DYNAMODB_CREATE_TABLE", "true", "DYNAMODB_TABLE", "UsersTest"));
        assertThat(config.endpoint()).contains(URI.create("http://127.0.0.1:8000"));
        assertThat(config.createTable()).isTrue();
        assertThat(config.table()).isEqualTo("UsersTest");
    }

    @Test
    void everyProblemIsListed() {
        assertThatThrownBy(() -> ProfileTableWriterConfig.fromEnvironment(Map.of("DYNAMODB_ENDPOINT", "127.0.0.1:8000",
                "DYNAMODB_CREATE_TABLE", "yes")))
                .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS is required")
                .hasMessageContaining("SCHEMA_REGISTRY_URL is required")
                .hasMessageContaining("DYNAMODB_ENDPOINT must be a URL like http://127.0.0.1:8000, got '127.0.0.1:8000'")
                .hasMessageContaining("DYNAMODB_CREATE_TABLE must be true or false, got 'yes'");
    }
}
