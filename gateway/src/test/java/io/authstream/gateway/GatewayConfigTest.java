package io.authstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authstream.embedded.junit.SecretSettings;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {

    private static final Map<String, String> MINIMAL = Map.of(
            "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092",
            "SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081",
            "AUTH0_LOG_STREAM_AUTHORIZATION", "Bearer top-secret-value");

    @Test
    void defaultsAndProducerPassThrough() {
        Map<String, String> env = configured(MINIMAL);
        env.put("KAFKA_PRODUCER_LINGER_MS", "20");
        GatewayConfig config = GatewayConfig.fromEnvironment(env);
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.maxBodyBytes()).isEqualTo(1_048_576);
        assertThat(config.idleTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(config.headerTimeout()).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(config.maxConnections()).isEqualTo(1000);
        assertThat(config.producerConfig()).containsEntry("linger.ms", "20").containsEntry("bootstrap.servers", "127.0.0.1:9092");
        assertThat(config.logStreamAuth()).isPresent();
        assertThat(config.eventStreamAuth()).isEmpty();
    }

    @Test
    void everyProblemIsListedAndNoSecretIsEchoed() {
        Map<String, String> env = configured(Map.of("GATEWAY_PORT", "http", "GATEWAY_ACK_TIMEOUT_MS", "5",
                "GATEWAY_HEADER_TIMEOUT_MS", "0", "GATEWAY_MAX_CONNECTIONS", "-1", "EVENTBRIDGE_BASIC_AUTH", "no-colon-secret"));
        assertThatThrownBy(() -> GatewayConfig.fromEnvironment(env))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GATEWAY_PORT must be a whole number, got 'http'")
                .hasMessageContaining("GATEWAY_ACK_TIMEOUT_MS must be between 100 and 120000, got 5")
                .hasMessageContaining("GATEWAY_HEADER_TIMEOUT_MS must be between 100 and 600000, got 0")
                .hasMessageContaining("GATEWAY_MAX_CONNECTIONS must be between 1 and 1000000, got -1")
                .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS is required")
                .hasMessageContaining("SCHEMA_REGISTRY_URL is required")
                .hasMessageContaining("EVENTBRIDGE_BASIC_AUTH must be user:password")
                .hasMessageContaining("no ingest route is enabled")
                .hasMessageNotContaining("no-colon-secret");
    }

    @Test
    void toStringShowsNoSecret() {
        Map<String, String> env = configured(MINIMAL);
        env.put("PUTEVENTS_ACCESS_KEYS", "AKIDEXAMPLE:wJalrXUtnFEMI");
        env.put("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "sr:registry-password");
        SecretSettings.register(env, GatewayConfig.KEYS);
        String text = GatewayConfig.fromEnvironment(env).toString();
        assertThat(text).contains("putEvents=true").doesNotContain("wJalrXUtnFEMI", "top-secret-value", "registry-password");
    }

    /** A mutable copy of {@code env}, its secrets registered for the log checks. */
    private static Map<String, String> configured(Map<String, String> env) {
        SecretSettings.register(env, GatewayConfig.KEYS);
        return new HashMap<>(env);
    }

    @Test
    void everyKeyIsDocumented() {
        GatewayConfig.KEYS.forEach(key -> assertThat(key.description()).as(key.name()).isNotBlank());
    }
}
