package io.authstream.connect.auth0;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authstream.connect.logs.Auth0LogsSourceConfig;
import io.authstream.connect.logs.Auth0LogsSourceConnector;
import io.authstream.connect.testing.Auth0Settings;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** The Auth0 settings, as the connectors take them: https tenants, and an audience on the tenant's own hosts. */
class Auth0ConfigTest {

    private static List<String> errors(Map<String, String> props, String name) {
        return new Auth0LogsSourceConnector()
                .validate(props).configValues().stream()
                        .filter(v -> v.name().equals(name))
                        .findFirst()
                        .orElseThrow()
                        .errorMessages();
    }

    @Test
    void theDomainMustBeHttpsUnlessItIsALoopbackHost() {
        Map<String, String> http = Auth0Settings.required();
        http.put("auth0.domain", "http://dev-abc.eu.auth0.com");
        assertThatThrownBy(() -> new Auth0LogsSourceConfig(http))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("auth0.domain")
                .hasMessageContaining("must be an https URL");
        assertThat(errors(http, "auth0.domain")).singleElement().asString().contains("must be an https URL");
        for (String loopback : List.of("http://127.0.0.1:8089", "http://localhost:8089", "http://[::1]:8089")) {
            Map<String, String> test = Auth0Settings.required();
            test.put("auth0.domain", loopback);
            assertThat(Auth0Config.clientSettings(new Auth0LogsSourceConfig(test))
                            .domain())
                    .isEqualTo(URI.create(loopback + "/"));
        }
        Map<String, String> custom = Auth0Settings.required();
        custom.put("auth0.custom.domain", "http://login.example.com");
        assertThat(errors(custom, "auth0.custom.domain"))
                .singleElement()
                .asString()
                .contains("must be an https URL");
    }

    @Test
    void anAudienceOnAnotherHostIsRefusedAtValidation() {
        Map<String, String> props = Auth0Settings.required();
        props.put("auth0.audience", "https://dev-abc.eu.auth0.com.attacker.example/api/v2/");
        assertThatThrownBy(() -> new Auth0LogsSourceConfig(props))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("auth0.audience")
                .hasMessageContaining(
                        "must be on the host of auth0.domain (dev-abc.eu.auth0.com), e.g. https://dev-abc.eu.auth0.com/api/v2/");
        assertThat(errors(props, "auth0.audience"))
                .singleElement()
                .asString()
                .startsWith("must be on the host of auth0.domain (dev-abc.eu.auth0.com)");
        props.put("auth0.audience", "not a url");
        assertThat(errors(props, "auth0.audience"))
                .singleElement()
                .asString()
                .contains("must be the Management API identifier");
        props.put("auth0.audience", "https://DEV-ABC.eu.auth0.com/api/v2/");
        assertThat(errors(props, "auth0.audience")).isEmpty();
        assertThat(new Auth0LogsSourceConfig(props)).isNotNull();
    }

    @Test
    void withACustomDomainTokensAndCallsGoThereForTheTenantsOwnAudience() {
        Map<String, String> props = Auth0Settings.required();
        props.put("auth0.custom.domain", "https://login.example.com");
        Auth0ClientSettings client = Auth0Config.clientSettings(new Auth0LogsSourceConfig(props));
        assertThat(client.domain()).isEqualTo(URI.create("https://login.example.com/"));
        assertThat(client.audience()).isEqualTo("https://dev-abc.eu.auth0.com/api/v2/");
        props.put("auth0.audience", "https://login.example.com/api/v2/");
        assertThat(errors(props, "auth0.audience")).isEmpty();
        props.put("auth0.audience", "https://other.example.com/api/v2/");
        assertThat(errors(props, "auth0.audience"))
                .singleElement()
                .asString()
                .startsWith(
                        "must be on the host of auth0.domain or auth0.custom.domain (dev-abc.eu.auth0.com, login.example.com)");
    }

    @Test
    void aFirstBackoffLongerThanTheLongestIsRefused() {
        Map<String, String> props = Auth0Settings.required();
        props.put("auth0.retry.backoff.initial.ms", "60000");
        props.put("auth0.retry.backoff.max.ms", "1000");
        assertThatThrownBy(() -> new Auth0LogsSourceConfig(props))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("auth0.retry.backoff.initial.ms")
                .hasMessageContaining("must not exceed auth0.retry.backoff.max.ms (1000)");
        assertThat(errors(props, "auth0.retry.backoff.initial.ms"))
                .singleElement()
                .asString()
                .isEqualTo("must not exceed auth0.retry.backoff.max.ms (1000)");
    }
}
