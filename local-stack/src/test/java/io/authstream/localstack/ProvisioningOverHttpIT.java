package io.authstream.localstack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.authstream.connect.provisioning.Auth0ProvisioningSinkConnector;
import io.authstream.embedded.connect.EmbeddedConnectWorker;
import io.authstream.gateway.GatewayConfig;
import io.authstream.gateway.http.GatewayServer;
import io.authstream.schemas.Topics;
import io.authstream.testrecords.TestSecrets;
import io.authstream.teststack.SecretSettings;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HR system's calls end to end: the local stack's gateway publishes each request, the
 * provisioning sink in a real Connect worker calls a WireMock Auth0 answering as the Management
 * API documents (one 429 on the way), and the result comes back through the gateway. The sink's
 * rate limiter paces a bulk import, and its metrics endpoint counts what happened.
 */
@ExtendWith(StackExtension.class)
class ProvisioningOverHttpIT {

    @RegisterExtension
    static WireMockExtension auth0 = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private static final String TOKEN = "e2e-hr-system-token-77aa";
    private static final String LOG_STREAM = "Bearer e2e-log-stream-secret-5b";
    private static final String CLIENT_SECRET = "e2e-provisioning-secret-31";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final TestStack stack;

    ProvisioningOverHttpIT(TestStack stack) {
        this.stack = stack;
    }

    private static HttpResponse<String> call(LocalGateway gateway, String method, String path, String body)
            throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(gateway.url() + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String employee(String id) {
        return "{\"employeeId\":\"" + id + "\",\"email\":\"" + id.toLowerCase() + "@example.com\",\"fullName\":\"Ada "
                + id + "\"}";
    }

    private static void stubAuth0(String run) {
        auth0.stubFor(post("/oauth/token")
                .willReturn(okJson(
                        "{\"access_token\":\"eyJ.e2e-token.sig\",\"expires_in\":86400,\"token_type\":\"Bearer\"}")));
        // The first creation is rate limited once (Retry-After: 0), as a busy tenant answers.
        auth0.stubFor(post("/api/v2/users")
                .inScenario("busy")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(
                        aResponse()
                                .withStatus(429)
                                .withHeader("retry-after", "0")
                                .withHeader("Content-Type", "application/json")
                                .withBody(
                                        "{\"statusCode\":429,\"error\":\"Too Many Requests\",\"message\":\"Global limit has been reached\"}"))
                .willSetStateTo("free"));
        auth0.stubFor(post("/api/v2/users")
                .inScenario("busy")
                .whenScenarioStateIs("free")
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"user_id\":\"auth0|{{jsonPath request.body '$.app_metadata.employeeId'}}\","
                                + "\"email\":\"{{jsonPath request.body '$.email'}}\",\"email_verified\":false,"
                                + "\"identities\":[{\"connection\":\"Username-Password-Authentication\","
                                + "\"provider\":\"auth0\",\"isSocial\":false}]}")
                        .withTransformers("response-template")));
        String lead = run + "-lead";
        auth0.stubFor(get(urlPathEqualTo("/api/v2/users"))
                .withQueryParam("q", equalTo("app_metadata.employeeId:\"" + lead + "\""))
                .willReturn(okJson("[{\"user_id\":\"auth0|" + lead + "\",\"email\":\"" + lead.toLowerCase()
                        + "@example.com\",\"identities\":[{\"connection\":\"Username-Password-Authentication\","
                        + "\"provider\":\"auth0\"}],\"app_metadata\":{\"employeeId\":\"" + lead + "\"}}]")));
        auth0.stubFor(get(urlPathEqualTo("/api/v2/users"))
                .withQueryParam("q", equalTo("app_metadata.employeeId:\"" + run + "-nobody\""))
                .willReturn(okJson("[]")));
        auth0.stubFor(patch(urlEqualTo("/api/v2/users/auth0%7C" + lead))
                .withRequestBody(equalToJson("{\"email\":\"lead@example.org\",\"connection\":"
                        + "\"Username-Password-Authentication\",\"verify_email\":true}"))
                .willReturn(okJson("{\"user_id\":\"auth0|" + lead + "\",\"email\":\"lead@example.org\"}")));
    }

    @Test
    void theHrSystemsCallsGoThroughTheSinkToAuth0AndBackAtTheRateLimit() throws Exception {
        stack.createTopics(Topics.ALL, 1);
        String run = "P" + UUID.randomUUID().toString().substring(0, 6);
        stubAuth0(run);
        TestSecrets.register(CLIENT_SECRET);
        TestSecrets.register("eyJ.e2e-token.sig");

        Map<String, String> env = new HashMap<>();
        env.put("GATEWAY_PORT", "0");
        env.put("AUTH0_LOG_STREAM_AUTHORIZATION", LOG_STREAM);
        env.put("PROVISIONING_API_TOKEN", TOKEN);
        env.put("PROVISIONING_RESULT_WAIT_MS", "15000");
        SecretSettings.register(env, GatewayConfig.DEFINITION);

        int metricsPort;
        try (ServerSocket free = new ServerSocket(0)) {
            metricsPort = free.getLocalPort();
        }
        Map<String, String> sink = new HashMap<>();
        sink.put("connector.class", Auth0ProvisioningSinkConnector.class.getName());
        sink.put("tasks.max", "1");
        sink.put("topics", Topics.PROVISIONING_REQUESTS.name());
        sink.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        sink.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        sink.put("auth0.domain", auth0.baseUrl());
        sink.put("auth0.client.id", "m2m-provisioning");
        sink.put("auth0.client.secret", CLIENT_SECRET);
        sink.put("auth0.rate.limit.per.second", "50");
        sink.put("metrics.port", Integer.toString(metricsPort));
        sink.put("results.bootstrap.servers", stack.bootstrapServers());
        sink.put("schema.registry.url", stack.schemaRegistryUrl());

        try (LocalGateway gateway = LocalGateway.startIfConfigured(env, TestEnvironments.endpoints(stack))
                        .orElseThrow();
                EmbeddedConnectWorker worker = new EmbeddedConnectWorker(stack.bootstrapServers())) {
            assertThat(worker.putConnector("provisioning-e2e", sink).statusCode())
                    .isEqualTo(201);
            worker.awaitRunning("provisioning-e2e", 1);

            String lead = run + "-lead";
            HttpResponse<String> created = call(
                    gateway,
                    "POST",
                    "/api/admin/employees/" + lead + "/create-auth0",
                    employee(lead).replace("\"employeeId\":\"" + lead + "\",", ""));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(JSON.readTree(created.body()).path("auth0UserId").asText())
                    .isEqualTo("auth0|" + lead);
            assertThat(JSON.readTree(created.body()).path("attempts").asInt())
                    .as("the 429 was waited out and retried")
                    .isEqualTo(2);

            // 200 employees in one import at 50 calls/s: 50 go at once, the other 150 take 3 s.
            StringBuilder bulk = new StringBuilder("[");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String id = run + "-" + i;
                ids.add(id);
                bulk.append(i == 0 ? "" : ",").append(employee(id));
            }
            bulk.append(']');
            HttpResponse<String> imported = call(gateway, "POST", "/api/admin/employees", bulk.toString());
            assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
            JsonNode items = JSON.readTree(imported.body()).path("items");
            assertThat(JSON.readTree(imported.body()).path("accepted").asInt()).isEqualTo(200);
            List<Instant> completed = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            for (JsonNode item : items) {
                HttpResponse<String> result =
                        call(gateway, "GET", item.path("resultUrl").asText(), null);
                while (result.statusCode() == 202 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    result = call(gateway, "GET", item.path("resultUrl").asText(), null);
                }
                assertThat(result.statusCode()).as(result.body()).isEqualTo(200);
                JsonNode body = JSON.readTree(result.body());
                assertThat(body.path("status").asText()).isEqualTo("CREATED");
                assertThat(body.path("auth0UserId").asText())
                        .isEqualTo("auth0|" + item.path("employeeId").asText());
                completed.add(Instant.parse(body.path("completedAt").asText()));
            }
            completed.sort(null);
            assertThat(Duration.between(completed.get(0), completed.get(completed.size() - 1)))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(2_800));
            assertThat(JSON.readTree(call(gateway, "GET", "/api/admin/employees/" + ids.get(7), null)
                                    .body())
                            .path("status")
                            .asText())
                    .isEqualTo("created");

            HttpResponse<String> changed = call(
                    gateway, "PATCH", "/api/admin/employees/" + lead + "/email", "{\"email\":\"lead@example.org\"}");
            assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
            assertThat(JSON.readTree(changed.body()).path("status").asText()).isEqualTo("EMAIL_UPDATED");
            auth0.verify(1, patchRequestedFor(urlEqualTo("/api/v2/users/auth0%7C" + lead)));
            HttpResponse<String> nobody = call(
                    gateway, "PATCH", "/api/admin/employees/" + run + "-nobody/email", "{\"email\":\"x@example.org\"}");
            assertThat(nobody.statusCode()).as(nobody.body()).isEqualTo(502);
            assertThat(JSON.readTree(nobody.body()).path("error").asText())
                    .startsWith("no Auth0 user on connection Username-Password-Authentication belongs to employee");

            // The lead signs in for the first time (Auth0 log type s): verified.
            String logId = "9003" + System.nanoTime();
            HttpResponse<String> signedIn = HTTP.send(
                    HttpRequest.newBuilder(URI.create(gateway.url() + GatewayServer.LOG_STREAM_PATH))
                            .header("Authorization", LOG_STREAM)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"log_id\":\"" + logId
                                    + "\",\"data\":{\"date\":\""
                                    + Instant.now() + "\",\"type\":\"s\",\"user_id\":\"auth0|" + lead
                                    + "\",\"connection\":\"Username-Password-Authentication\",\"log_id\":\"" + logId
                                    + "\"}}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(signedIn.statusCode()).isEqualTo(200);
            String status = "";
            long verifiedBy = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!status.equals("verified") && System.nanoTime() < verifiedBy) {
                Thread.sleep(100);
                status = JSON.readTree(call(gateway, "GET", "/api/admin/employees/" + lead, null)
                                .body())
                        .path("status")
                        .asText();
            }
            assertThat(status).isEqualTo("verified");

            String metrics = HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(metrics)
                    .contains("auth0_user_creation_total{outcome=\"CREATED\"} 201\n")
                    .contains("auth0_user_creation_duration_seconds_count 201\n")
                    .contains("auth0_email_update_total{outcome=\"EMAIL_UPDATED\"} 1\n")
                    .contains("auth0_email_update_total{outcome=\"FAILED\"} 1\n")
                    .contains("auth0_token_refresh_total 1\n")
                    .contains("auth0_api_errors_total{code=\"429\"} 1\n");
            auth0.verify(202, postRequestedFor(urlEqualTo("/api/v2/users")));
        }
    }
}
