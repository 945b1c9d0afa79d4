package io.authstream.connect.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.authstream.connect.testing.Auth0Settings;
import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.avro.ProvisioningRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class Auth0ProvisioningSinkConfigTest {

    static {
        GeneratedClasses.trust();
    }

    private static Map<String, String> minimal() {
        Map<String, String> props = Auth0Settings.required();
        props.put("results.bootstrap.servers", "kafka:9092");
        return props;
    }

    @Test
    void rolesConnectionAndResultsAreConfigured() {
        Map<String, String> props = minimal();
        props.put("role.mapping", "ENG:rol_eng, SALES : rol_sales");
        Auth0ProvisioningSinkConfig config = new Auth0ProvisioningSinkConfig(props);
        assertThat(config.roles()).containsExactlyInAnyOrderEntriesOf(Map.of("ENG", "rol_eng", "SALES", "rol_sales"));
        assertThat(config.connection()).isEqualTo("Username-Password-Authentication");
        assertThat(config.resultsTopic()).isEqualTo("employee.provisioning.results");
        assertThat(config.verifyEmail()).isTrue();
        assertThat(config.producerConfig())
                .containsEntry("bootstrap.servers", "kafka:9092")
                .containsEntry("enable.idempotence", "true");
        assertThat(config.values().toString()).doesNotContain("very-secret-value");
    }

    @Test
    void theRateLimitAndTheMetricsEndpointAreValidated() {
        Auth0ProvisioningSinkConfig defaults = new Auth0ProvisioningSinkConfig(minimal());
        assertThat(defaults.rateLimitPerSecond()).isEqualTo(100);
        assertThat(defaults.metricsPort()).isEmpty();
        assertThat(defaults.metricsHost()).isEqualTo("127.0.0.1");

        Map<String, String> props = minimal();
        props.put("auth0.rate.limit.per.second", "50");
        props.put("metrics.port", "9404");
        Auth0ProvisioningSinkConfig config = new Auth0ProvisioningSinkConfig(props);
        assertThat(config.rateLimitPerSecond()).isEqualTo(50);
        assertThat(config.metricsPort()).contains(9404);

        for (String bad : List.of("0", "-5", "10001", "fast")) {
            Map<String, String> rate = minimal();
            rate.put("auth0.rate.limit.per.second", bad);
            assertThatThrownBy(() -> new Auth0ProvisioningSinkConfig(rate))
                    .as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("auth0.rate.limit.per.second");
        }
        Map<String, String> port = minimal();
        port.put("metrics.port", "70000");
        assertThatThrownBy(() -> new Auth0ProvisioningSinkConfig(port)).hasMessageContaining("metrics.port");
        Map<String, String> host = minimal();
        host.put("metrics.host", "");
        assertThatThrownBy(() -> new Auth0ProvisioningSinkConfig(host)).hasMessageContaining("metrics.host");
    }

    @Test
    void aMalformedRoleMappingIsRefused() {
        Map<String, String> props = minimal();
        props.put("role.mapping", "ENG=rol_eng");
        assertThatThrownBy(() -> new Auth0ProvisioningSinkConfig(props))
                .hasMessageContaining("role.mapping")
                .hasMessageContaining("each entry must be CODE:auth0-role-id");
        Map<String, String> noResults = minimal();
        noResults.remove("results.bootstrap.servers");
        assertThatThrownBy(() -> new Auth0ProvisioningSinkConfig(noResults))
                .hasMessageContaining("Missing required configuration \"results.bootstrap.servers\"");
    }

    @Test
    void requestsAreValidatedLocallyWithEveryProblemNamed() {
        ProvisioningRequest good = ProvisioningRequest.newBuilder()
                .setRequestId("r1")
                .setEmployeeId("E1")
                .setEmail("jane@example.com")
                .setFullName("Jane Doe")
                .setRoleCode("ENG")
                .setRequestedAt(Instant.EPOCH)
                .build();
        Set<String> connections = Set.of("Username-Password-Authentication", "Contractors");
        assertThat(RequestValidator.problems(good, "E1", Map.of("ENG", "rol_eng"), connections))
                .isEmpty();
        assertThat(RequestValidator.problems(
                        ProvisioningRequest.newBuilder(good)
                                .setConnection("Contractors")
                                .build(),
                        "E1",
                        Map.of("ENG", "rol_eng"),
                        connections))
                .isEmpty();
        ProvisioningRequest bad = ProvisioningRequest.newBuilder(good)
                .setEmail("jane at example")
                .setFullName(" ")
                .setRoleCode("CFO")
                .setConnection("google-oauth2")
                .build();
        assertThat(RequestValidator.problems(bad, "E2", Map.of("ENG", "rol_eng"), connections))
                .contains(
                        "record key E2 is not the employeeId E1; email 'jane at example' is not an e-mail address; fullName is empty; "
                                + "roleCode CFO has no Auth0 role in role.mapping (known: ENG); "
                                + "connection google-oauth2 is not in auth0.allowed.connections (allowed: Contractors, Username-Password-Authentication)");
    }

    @Test
    void aHugeEmailAddressIsRefusedByItsLengthBeforeAnyPatternRunsOverIt() {
        // Dots make the pattern backtrack quadratically: 40 000 characters took 9 s, these would take minutes.
        String email = "a@" + "a.".repeat(100_000) + "@";
        ProvisioningRequest request = ProvisioningRequest.newBuilder()
                .setRequestId("r1")
                .setEmployeeId("E1")
                .setEmail(email)
                .setFullName("Jane Doe")
                .setRequestedAt(Instant.EPOCH)
                .build();
        Optional<String> problems = assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> RequestValidator.problems(request, "E1", Map.of(), Set.of("Username-Password-Authentication")));
        assertThat(problems).contains("email is 200003 characters long, at most 254 are taken");
        String longest = "j".repeat(64) + "@" + "d".repeat(185) + ".com";
        assertThat(longest).hasSize(254);
        assertThat(RequestValidator.problems(
                        ProvisioningRequest.newBuilder(request)
                                .setEmail(longest)
                                .build(),
                        "E1",
                        Map.of(),
                        Set.of("Username-Password-Authentication")))
                .isEmpty();
    }

    @Test
    void theConnectionsARequestMayNameAreAnAllowListThatIncludesTheDefault() {
        assertThat(new Auth0ProvisioningSinkConfig(minimal()).allowedConnections())
                .containsExactly("Username-Password-Authentication");
        Map<String, String> props = minimal();
        props.put("auth0.allowed.connections", "Username-Password-Authentication, Contractors");
        assertThat(new Auth0ProvisioningSinkConfig(props).allowedConnections())
                .containsExactlyInAnyOrder("Username-Password-Authentication", "Contractors");
        Map<String, String> withoutDefault = minimal();
        withoutDefault.put("auth0.allowed.connections", "Contractors");
        assertThatThrownBy(() -> new Auth0ProvisioningSinkConfig(withoutDefault))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("auth0.allowed.connections")
                .hasMessageContaining("must include auth0.connection (Username-Password-Authentication)");
        assertThat(errors(withoutDefault, "auth0.allowed.connections"))
                .containsExactly(
                        "must include auth0.connection (Username-Password-Authentication), the connection of requests that name none");
        Map<String, String> blank = minimal();
        blank.put("auth0.allowed.connections", "Username-Password-Authentication,Bad Name");
        assertThatThrownBy(() -> new Auth0ProvisioningSinkConfig(blank))
                .hasMessageContaining("auth0.allowed.connections")
                .hasMessageContaining("each entry must be an Auth0 connection name");
    }

    @Test
    void anAudienceOnAnotherHostIsRefusedAtValidation() {
        Map<String, String> props = minimal();
        props.put("auth0.audience", "https://api.attacker.example/api/v2/");
        assertThatThrownBy(() -> new Auth0ProvisioningSinkConfig(props))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("auth0.audience")
                .hasMessageContaining("must be on the host of auth0.domain (dev-abc.eu.auth0.com)");
        assertThat(errors(props, "auth0.audience"))
                .singleElement()
                .asString()
                .startsWith("must be on the host of auth0.domain (dev-abc.eu.auth0.com)");
    }

    private static List<String> errors(Map<String, String> props, String name) {
        return new Auth0ProvisioningSinkConnector()
                .validate(props).configValues().stream()
                        .filter(v -> v.name().equals(name))
                        .findFirst()
                        .orElseThrow()
                        .errorMessages();
    }
}
