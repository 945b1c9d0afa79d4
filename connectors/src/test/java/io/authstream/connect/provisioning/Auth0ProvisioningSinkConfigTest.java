package io.authstream.connect.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authstream.connect.testing.Auth0Settings;
import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.avro.ProvisioningRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
        assertThat(config.producerConfig()).containsEntry("bootstrap.servers", "kafka:9092").containsEntry("enable.idempotence", "true");
        assertThat(config.values().toString()).doesNotContain("very-secret-value");
    }

    @Test
    void aMalformedRoleMappingIsRefused() {
        Map<String, String> props = minimal();
        props.put("role.mapping", "ENG=rol_eng");
        assertThatThrownBy(() -> new Auth0ProvisioningSinkConfig(props)).hasMessageContaining("role.mapping")
                .hasMessageContaining("each entry must be CODE:auth0-role-id");
        Map<String, String> noResults = minimal();
        noResults.remove("results.bootstrap.servers");
        assertThatThrownBy(() -> new Auth0ProvisioningSinkConfig(noResults))
                .hasMessageContaining("Missing required configuration \"results.bootstrap.servers\"");
    }

    @Test
    void requestsAreValidatedLocallyWithEveryProblemNamed() {
        ProvisioningRequest good = ProvisioningRequest.newBuilder().setRequestId("r1").setEmployeeId("E1").setEmail("jane@example.com")
                .setFullName("Jane Doe").setRoleCode("ENG").setRequestedAt(Instant.EPOCH).build();
        assertThat(RequestValidator.problems(good, "E1", Map.of("ENG", "rol_eng"))).isEmpty();
        ProvisioningRequest bad = ProvisioningRequest.newBuilder(good).setEmail("jane at example").setFullName(" ").setRoleCode("CFO").build();
        assertThat(RequestValidator.problems(bad, "E2", Map.of("ENG", "rol_eng"))).contains(
                "record key E2 is not the employeeId E1; email 'jane at example' is not an e-mail address; fullName is empty; "
                        + "roleCode CFO has no Auth0 role in role.mapping (known: ENG)");
    }

    @Test
    void anAudienceOnAnotherHostIsRefusedAtValidation() {
        Map<String, String> props = minimal();
        props.put("auth0.audience", "https://api.attacker.example/api/v2/");
        assertThatThrownBy(() -> new Auth0ProvisioningSinkConfig(props)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("auth0.audience").hasMessageContaining("must be on the host of auth0.domain (dev-abc.eu.auth0.com)");
        assertThat(errors(props, "auth0.audience")).singleElement().asString()
                .startsWith("must be on the host of auth0.domain (dev-abc.eu.auth0.com)");
    }

    private static List<String> errors(Map<String, String> props, String name) {
        return new Auth0ProvisioningSinkConnector().validate(props).configValues().stream().filter(v -> v.name().equals(name))
                .findFirst().orElseThrow().errorMessages();
    }
}
