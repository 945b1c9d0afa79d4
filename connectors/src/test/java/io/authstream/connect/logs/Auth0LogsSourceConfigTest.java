package io.authstream.connect.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authstream.connect.auth0.Auth0ClientSettings;
import io.authstream.connect.auth0.Auth0Config;
import io.authstream.connect.testing.Auth0Settings;
import io.authstream.normalize.EventTimeBounds;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class Auth0LogsSourceConfigTest {

    private static Map<String, String> minimal() {
        return Auth0Settings.required();
    }

    @Test
    void defaultsReadIntoTheRawTopicAHundredAtATime() {
        Auth0LogsSourceConfig config = new Auth0LogsSourceConfig(minimal());
        assertThat(config.topic()).isEqualTo("auth.events.raw");
        assertThat(config.deadLetterTopic()).isEqualTo("auth.events.deadletter");
        assertThat(config.batchSize()).isEqualTo(100);
        assertThat(config.pollInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.startLogId()).isEmpty();
        assertThat(config.eventTimeBounds())
                .isEqualTo(new EventTimeBounds(Duration.ofMinutes(5), Duration.ofDays(3650)));
        Auth0ClientSettings client = Auth0Config.clientSettings(config);
        assertThat(client.audience()).isEqualTo("https://dev-abc.eu.auth0.com/api/v2/");
        assertThat(client.refreshBuffer()).isEqualTo(Duration.ofSeconds(300));
        assertThat(client.maxTries()).isEqualTo(5);
        assertThat(client.toString()).doesNotContain("very-secret-value");
        assertThat(config.values().toString()).doesNotContain("very-secret-value");
    }

    @Test
    void eventTimeBoundsAreSetWithinWhatTheBrokerTakes() {
        Map<String, String> props = minimal();
        props.put("event.time.max.ahead.ms", "3540000");
        props.put("event.time.max.age.days", "36500");
        assertThat(new Auth0LogsSourceConfig(props).eventTimeBounds())
                .isEqualTo(new EventTimeBounds(Duration.ofMinutes(59), Duration.ofDays(36500)));
        props.put("event.time.max.ahead.ms", "3600000");
        assertThatThrownBy(() -> new Auth0LogsSourceConfig(props))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("event.time.max.ahead.ms")
                .hasMessageContaining("Value must be no more than 3540000");
        Map<String, String> age = minimal();
        age.put("event.time.max.age.days", "0");
        assertThatThrownBy(() -> new Auth0LogsSourceConfig(age))
                .hasMessageContaining("event.time.max.age.days")
                .hasMessageContaining("Value must be at least 1");
    }

    @Test
    void badValuesAreRefusedWithTheirName() {
        Map<String, String> domain = minimal();
        domain.put("auth0.domain", "dev-abc.eu.auth0.com");
        assertThatThrownBy(() -> new Auth0LogsSourceConfig(domain))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("auth0.domain")
                .hasMessageContaining("must be the tenant URL");
        Map<String, String> take = minimal();
        take.put("batch.size", "500");
        assertThatThrownBy(() -> new Auth0LogsSourceConfig(take))
                .hasMessageContaining("batch.size")
                .hasMessageContaining("Value must be no more than 100");
        Map<String, String> secret = minimal();
        secret.remove("auth0.client.secret");
        assertThatThrownBy(() -> new Auth0LogsSourceConfig(secret))
                .hasMessageContaining("Missing required configuration \"auth0.client.secret\"");
    }
}
