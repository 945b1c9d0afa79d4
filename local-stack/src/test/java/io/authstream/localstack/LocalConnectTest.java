package io.authstream.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.testrecords.TestSecrets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalConnectTest {

    private static final LocalEndpoints ENDPOINTS = new LocalEndpoints("127.0.0.1:9092", "http://127.0.0.1:8081",
            "http://127.0.0.1:8000");
    private static final String CLIENT_SECRET = "local-connect-client-secret";

    @Test
    void theUsersSinkAlwaysRunsTheAuth0ConnectorsOnlyWithCredentials() {
        TestSecrets.register(CLIENT_SECRET);
        assertThat(LocalConnect.connectorConfigs(Map.of(), ENDPOINTS)).containsOnlyKeys(LocalConnect.USERS_SINK);
        assertThat(LocalConnect.connectorConfigs(Map.of("AUTH0_DOMAIN", "https://dev.eu.auth0.com", "AUTH0_CLIENT_ID", "id"),
                ENDPOINTS)).containsOnlyKeys(LocalConnect.USERS_SINK);

        Map<String, Map<String, String>> withAuth0 = LocalConnect.connectorConfigs(Map.of("AUTH0_DOMAIN", "https://dev.eu.auth0.com",
                "AUTH0_CLIENT_ID", "id", "AUTH0_CLIENT_SECRET", CLIENT_SECRET), ENDPOINTS);
        assertThat(withAuth0).containsOnlyKeys(LocalConnect.USERS_SINK, LocalConnect.AUTH0_LOGS);
        assertThat(withAuth0.get(LocalConnect.AUTH0_LOGS)).containsEntry("auth0.domain", "https://dev.eu.auth0.com")
                .containsEntry("schema.registry.url", "http://127.0.0.1:8081");

        Map<String, Map<String, String>> provisioning = LocalConnect.connectorConfigs(Map.of("AUTH0_DOMAIN", "https://dev.eu.auth0.com",
                "AUTH0_CLIENT_ID", "id", "AUTH0_CLIENT_SECRET", CLIENT_SECRET, "AUTH0_PROVISIONING_ENABLED", "true",
                "AUTH0_ROLE_MAPPING", "ENG:rol_1", "DYNAMODB_TABLE", "UsersDev"), ENDPOINTS);
        assertThat(provisioning.get(LocalConnect.AUTH0_PROVISIONING)).containsEntry("role.mapping", "ENG:rol_1")
                .containsEntry("topics", "employee.provisioning.requests").containsEntry("results.bootstrap.servers", "127.0.0.1:9092");
        assertThat(provisioning.get(LocalConnect.USERS_SINK)).containsEntry("dynamodb.table", "UsersDev")
                .containsEntry("dynamodb.endpoint", "http://127.0.0.1:8000");
    }
}
