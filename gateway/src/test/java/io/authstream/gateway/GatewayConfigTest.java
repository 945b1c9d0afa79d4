package io.authstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authstream.teststack.SecretSettings;
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
        assertThat(config.producerConfig())
                .containsEntry("linger.ms", "20")
                .containsEntry("bootstrap.servers", "127.0.0.1:9092");
        assertThat(config.logStreamAuth()).isPresent();
        assertThat(config.eventStreamAuth()).isEmpty();
    }

    @Test
    void theProvisioningRoutesAreOffWithoutATokenAndTheirSettingsAreChecked() {
        GatewayConfig off = GatewayConfig.fromEnvironment(configured(MINIMAL));
        assertThat(off.provisioning().auth()).isEmpty();
        assertThat(off.provisioning().resultWait()).isEqualTo(java.time.Duration.ofSeconds(10));
        assertThat(off.provisioning().kept()).isEqualTo(100_000);

        Map<String, String> env = configured(MINIMAL);
        env.put("PROVISIONING_API_TOKEN", "hr-system-token-0123456789");
        env.put("PROVISIONING_RESULT_WAIT_MS", "2500");
        env.put("PROVISIONING_RESULTS_KEPT", "500");
        GatewayConfig on = GatewayConfig.fromEnvironment(env);
        assertThat(on.provisioning().auth().orElseThrow().describe()).isEqualTo("Authorization: Bearer <token>");
        assertThat(on.provisioning().resultWait()).isEqualTo(java.time.Duration.ofMillis(2500));
        assertThat(on.provisioning().kept()).isEqualTo(500);
        assertThat(on.toString()).contains("provisioning=true").doesNotContain("hr-system-token");

        Map<String, String> bad = configured(MINIMAL);
        bad.put("PROVISIONING_API_TOKEN", "short-token");
        bad.put("PROVISIONING_RESULT_WAIT_MS", "90000");
        bad.put("PROVISIONING_RESULTS_KEPT", "10");
        bad.put("PROVISIONING_RESULTS_WAIT_MS", "100");
        assertThatThrownBy(() -> GatewayConfig.fromEnvironment(bad))
                .hasMessageContaining("PROVISIONING_API_TOKEN")
                .hasMessageContaining("PROVISIONING_RESULT_WAIT_MS")
                .hasMessageContaining("PROVISIONING_RESULTS_KEPT")
                .hasMessageContaining("PROVISIONING_RESULTS_WAIT_MS")
                .message()
                .doesNotContain("short-token");

        Map<String, String> shortIdle = configured(MINIMAL);
        shortIdle.put("GATEWAY_IDLE_TIMEOUT_MS", "3000");
        shortIdle.put("GATEWAY_HEADER_TIMEOUT_MS", "1000");
        assertThat(GatewayConfig.fromEnvironment(shortIdle).idleTimeout())
                .as("the wait is only checked when the admin routes are on")
                .isEqualTo(java.time.Duration.ofSeconds(3));
        Map<String, String> longerThanIdle = configured(MINIMAL);
        longerThanIdle.put("PROVISIONING_API_TOKEN", "hr-system-token-0123456789");
        longerThanIdle.put("PROVISIONING_RESULT_WAIT_MS", "20000");
        longerThanIdle.put("GATEWAY_IDLE_TIMEOUT_MS", "15000");
        assertThatThrownBy(() -> GatewayConfig.fromEnvironment(longerThanIdle))
                .hasMessageContaining(
                        "PROVISIONING_RESULT_WAIT_MS (20000) must be less than GATEWAY_IDLE_TIMEOUT_MS (15000)");
    }

    @Test
    void aCustomHeaderIsNameColonValueOtherThanAuthorizationAndNeverEchoed() {
        Map<String, String> env = configured(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092",
                "SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081",
                "AUTH0_EVENT_STREAM_CUSTOM_HEADER", "X-Auth0-Webhook-Token: 0123456789abcdef0123"));
        GatewayConfig config = GatewayConfig.fromEnvironment(env);
        assertThat(config.eventStreamAuth()).isPresent();
        assertThat(config.eventStreamAuth().get().describe())
                .isEqualTo("X-Auth0-Webhook-Token: <the configured value>");
        assertThat(config.logStreamAuth()).isEmpty();
        assertThat(config.toString()).doesNotContain("0123456789abcdef0123");

        Map<String, String> bad = configured(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092",
                "SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081",
                "AUTH0_LOG_STREAM_CUSTOM_HEADER", "Authorization: Bearer 0123456789abcdef0123",
                "AUTH0_EVENT_STREAM_CUSTOM_HEADER", "X-Token: short-secret-1"));
        bad.put("AUTH0_LOG_STREAM_AUTHORIZATION", "Bearer top-secret-value");
        assertThatThrownBy(() -> GatewayConfig.fromEnvironment(bad))
                .hasMessageContaining("AUTH0_LOG_STREAM_CUSTOM_HEADER: the Authorization header has its own settings")
                .hasMessageContaining(
                        "AUTH0_EVENT_STREAM_CUSTOM_HEADER: the header's value must be at least 16 characters")
                .hasMessageNotContaining("0123456789abcdef0123")
                .hasMessageNotContaining("short-secret-1");
        Map<String, String> noName = configured(MINIMAL);
        noName.put("AUTH0_EVENT_STREAM_CUSTOM_HEADER", "0123456789abcdef0123");
        assertThatThrownBy(() -> GatewayConfig.fromEnvironment(noName))
                .hasMessageContaining("AUTH0_EVENT_STREAM_CUSTOM_HEADER must be 'Name: value'")
                .hasMessageNotContaining("0123456789abcdef0123");
    }

    @Test
    void everyProblemIsListedAndNoSecretIsEchoed() {
        Map<String, String> env = configured(Map.of(
                "GATEWAY_PORT",
                "http",
                "GATEWAY_ACK_TIMEOUT_MS",
                "5",
                "GATEWAY_HEADER_TIMEOUT_MS",
                "0",
                "GATEWAY_MAX_CONNECTIONS",
                "-1",
                "EVENTBRIDGE_BASIC_AUTH",
                "no-colon-secret"));
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
        env.put("PUTEVENTS_ACCESS_KEYS", "AKIDEXAMPLE:wJalrXUtnFEMI/K7MDENG");
        env.put("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "sr:registry-password");
        SecretSettings.register(env, GatewayConfig.DEFINITION);
        String text = GatewayConfig.fromEnvironment(env).toString();
        assertThat(text)
                .contains("putEvents=true")
                .doesNotContain("wJalrXUtnFEMI", "top-secret-value", "registry-password");
    }

    @Test
    void shortRouteCredentialsAndBasicCredentialsWithoutAUserOrPasswordAreRefusedAtStart() {
        // Not registered as test secrets: an empty password is no secret, and these never reach a log.
        Map<String, String> env = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS",
                "127.0.0.1:9092",
                "SCHEMA_REGISTRY_URL",
                "http://127.0.0.1:8081",
                "AUTH0_LOG_STREAM_AUTHORIZATION",
                "Bearer 123456789012345",
                "AUTH0_EVENT_STREAM_BEARER_TOKEN",
                "short-token",
                "AUTH0_EVENT_STREAM_BASIC_AUTH",
                ":a-password-long-enough",
                "EVENTBRIDGE_BASIC_AUTH",
                "eventbridge:",
                "AUTH0_ACTIONS_API_KEY",
                "actions-key-15ch",
                "PUTEVENTS_ACCESS_KEYS",
                "AKIDSHORT:short-secret"));
        assertThatThrownBy(() -> GatewayConfig.fromEnvironment(env))
                .hasMessageContaining("AUTH0_LOG_STREAM_AUTHORIZATION must be at least 16 characters after its scheme")
                .hasMessageContaining("AUTH0_EVENT_STREAM_BEARER_TOKEN must be at least 16 characters")
                .hasMessageContaining("AUTH0_EVENT_STREAM_BASIC_AUTH must be user:password with neither empty")
                .hasMessageContaining("EVENTBRIDGE_BASIC_AUTH must be user:password with neither empty")
                .hasMessageNotContaining("AUTH0_ACTIONS_API_KEY must")
                .hasMessageContaining(
                        "PUTEVENTS_ACCESS_KEYS entry 1: the secret access key must be at least 16 characters")
                .hasMessageNotContaining("123456789012345")
                .hasMessageNotContaining("short-token")
                .hasMessageNotContaining("short-secret");

        Map<String, String> shortPassword = configured(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS",
                "127.0.0.1:9092",
                "SCHEMA_REGISTRY_URL",
                "http://127.0.0.1:8081",
                "EVENTBRIDGE_BASIC_AUTH",
                "eventbridge-user:pw-short"));
        assertThatThrownBy(() -> GatewayConfig.fromEnvironment(shortPassword))
                .hasMessageContaining("EVENTBRIDGE_BASIC_AUTH: the password must be at least 16 characters");
        Map<String, String> sixteen = configured(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS",
                "127.0.0.1:9092",
                "SCHEMA_REGISTRY_URL",
                "http://127.0.0.1:8081",
                "AUTH0_ACTIONS_API_KEY",
                "actions-key-16ch"));
        assertThat(GatewayConfig.fromEnvironment(sixteen).actionsAuth()).isPresent();
    }

    @Test
    void theProducerWaitsNoLongerThanARequestAndTakesADeadLetterOfAWholeBody() {
        GatewayConfig config = GatewayConfig.fromEnvironment(configured(MINIMAL));
        // The Kafka default (60 s) parked request threads through a broker outage.
        assertThat(config.producerConfig())
                .containsEntry("max.block.ms", "5000")
                .containsEntry("max.request.size", Integer.toString(1_048_576 + 64 * 1024));
        Map<String, String> env = configured(MINIMAL);
        env.put("GATEWAY_ACK_TIMEOUT_MS", "1500");
        env.put("KAFKA_PRODUCER_MAX_REQUEST_SIZE", "2000000");
        GatewayConfig tuned = GatewayConfig.fromEnvironment(env);
        assertThat(tuned.producerConfig())
                .containsEntry("max.block.ms", "1500")
                .containsEntry("max.request.size", "2000000");
        assertThat(tuned.bodyTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(tuned.eventTimeBounds()).isEqualTo(io.authstream.normalize.EventTimeBounds.defaults());
    }

    /** A mutable copy of {@code env}, its secrets registered for the log checks. */
    private static Map<String, String> configured(Map<String, String> env) {
        SecretSettings.register(env, GatewayConfig.DEFINITION);
        return new HashMap<>(env);
    }

    @Test
    void aMisspeltVariableAFixedProducerSettingAndContradictoryTimeoutsAreRefused() {
        Map<String, String> env = configured(MINIMAL);
        env.put("GATEWAY_MAX_BODY_BYTE", "2048");
        env.put("KAFKA_PRODUCER_ACKS", "1");
        env.put("KAFKA_PRODUCER_ENABLE_IDEMPOTENCE", "false");
        env.put("GATEWAY_HEADER_TIMEOUT_MS", "30000");
        assertThatThrownBy(() -> GatewayConfig.fromEnvironment(env))
                .hasMessageContaining("unknown variable GATEWAY_MAX_BODY_BYTE (did you mean GATEWAY_MAX_BODY_BYTES?)")
                .hasMessageContaining(
                        "KAFKA_PRODUCER_ACKS would set the Kafka producer's acks, which the gateway fixes")
                .hasMessageContaining(
                        "KAFKA_PRODUCER_ENABLE_IDEMPOTENCE would set the Kafka producer's enable.idempotence");
        env.remove("GATEWAY_MAX_BODY_BYTE");
        env.remove("KAFKA_PRODUCER_ACKS");
        env.remove("KAFKA_PRODUCER_ENABLE_IDEMPOTENCE");
        assertThatThrownBy(() -> GatewayConfig.fromEnvironment(env))
                .hasMessageContaining(
                        "GATEWAY_HEADER_TIMEOUT_MS (30000) must be less than GATEWAY_IDLE_TIMEOUT_MS (30000)");
        env.put("GATEWAY_IDLE_TIMEOUT_MS", "60000");
        assertThat(GatewayConfig.fromEnvironment(env).headerTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
    }
}
