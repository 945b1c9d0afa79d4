package io.authstream.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.ProvisioningAction;
import io.authstream.schemas.avro.ProvisioningRequest;
import io.authstream.schemas.avro.ProvisioningResult;
import io.authstream.schemas.avro.ProvisioningStatus;
import io.authstream.schemas.serde.AvroDeserializer;
import io.authstream.schemas.serde.AvroSerializer;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The provisioning admin routes on a real gateway and broker. The test answers requests as the
 * provisioning sink does, through Kafka: it reads each request from
 * {@code employee.provisioning.requests} and writes its result to
 * {@code employee.provisioning.results}; an {@code sv} log event reaches the tracker through the
 * gateway's own log-stream route.
 */
@ExtendWith(StackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProvisioningRoutesIT {

    private static final String TOKEN = "it-hr-system-token-4f1c";
    private static final String LOG_STREAM = "Bearer it-log-stream-secret-9a";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static {
        GeneratedClasses.trust();
    }

    private final TestStack stack;
    private TestGateway gateway;
    private TestGateway disabled;

    ProvisioningRoutesIT(TestStack stack) {
        this.stack = stack;
    }

    @BeforeAll
    void startGateways() {
        Map<String, String> env = new HashMap<>();
        env.put("AUTH0_LOG_STREAM_AUTHORIZATION", LOG_STREAM);
        env.put("PROVISIONING_API_TOKEN", TOKEN);
        env.put("PROVISIONING_RESULT_WAIT_MS", "3000");
        env.put("GATEWAY_MAX_BODY_BYTES", "65536");
        gateway = TestGateway.start(stack, env, Clock.systemUTC());
        disabled = TestGateway.start(stack, Map.of("AUTH0_LOG_STREAM_AUTHORIZATION", LOG_STREAM), Clock.systemUTC());
    }

    @AfterAll
    void stopGateways() {
        gateway.close();
        disabled.close();
    }

    private static String employee() {
        return "E-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String person(String employeeId) {
        return "{\"email\":\"" + employeeId.toLowerCase() + "@example.com\",\"fullName\":\"Ada " + employeeId
                + "\",\"department\":\"Engineering\",\"roleCode\":\"ENG\"}";
    }

    private CompletableFuture<HttpResponse<String>> send(String method, String path, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url() + path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> call(String method, String path, String body) {
        return send(method, path, body, TOKEN).join();
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    /** The requests published for {@code employeeId}, waiting up to 10 s for {@code count} of them. */
    private List<ProvisioningRequest> requestsOf(String employeeId, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<ProvisioningRequest> found = stack
                    .consumeAll(
                            Topics.PROVISIONING_REQUESTS.name(),
                            new AvroDeserializer<>(ProvisioningRequest.class, stack.serdeConfig()))
                    .stream()
                    .filter(r -> employeeId.equals(r.key()))
                    .map(ConsumerRecord::value)
                    .toList();
            if (found.size() >= count || System.nanoTime() > deadline) {
                return found;
            }
            Thread.sleep(100);
        }
    }

    /** What the sink writes for {@code request}. */
    private void answer(ProvisioningRequest request, ProvisioningStatus status, String auth0UserId, String error) {
        ProvisioningResult result = ProvisioningResult.newBuilder()
                .setRequestId(request.getRequestId())
                .setEmployeeId(request.getEmployeeId())
                .setEmail(request.getEmail())
                .setStatus(status)
                .setAuth0UserId(auth0UserId)
                .setError(error)
                .setAttempts(1)
                .setDurationMs(42)
                .setCompletedAt(Instant.now())
                .build();
        stack.produce(
                Topics.PROVISIONING_RESULTS.name(),
                new AvroSerializer<ProvisioningResult>(stack.serdeConfig(), false),
                List.of(result));
    }

    private JsonNode statusOf(String employeeId) throws Exception {
        HttpResponse<String> response = call("GET", "/api/admin/employees/" + employeeId, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    private JsonNode awaitStatus(String employeeId, String expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode status = statusOf(employeeId);
        while (!status.path("status").asText().equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            status = statusOf(employeeId);
        }
        return status;
    }

    @Test
    void anEmployeeCreatedWithinTheWaitIsAnsweredWithItsAuth0UserAndVerifiedAfterAnSvEvent() throws Exception {
        String employee = employee();
        CompletableFuture<HttpResponse<String>> posted =
                send("POST", "/api/admin/employees/" + employee + "/create-auth0", person(employee), TOKEN);
        ProvisioningRequest request = requestsOf(employee, 1).get(0);
        assertThat(request.getAction()).isEqualTo(ProvisioningAction.CREATE);
        assertThat(request.getEmail()).isEqualTo(employee.toLowerCase() + "@example.com");
        assertThat(request.getFullName()).isEqualTo("Ada " + employee);
        assertThat(request.getDepartment()).isEqualTo("Engineering");
        assertThat(request.getRoleCode()).isEqualTo("ENG");
        assertThat(request.getConnection()).isNull();
        assertThat(awaitStatus(employee, "pending").path("status").asText()).isEqualTo("pending");

        String userId = "auth0|" + employee;
        answer(request, ProvisioningStatus.CREATED, userId, null);
        HttpResponse<String> response = posted.join();
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode body = json(response);
        assertThat(body.path("auth0UserId").asText()).isEqualTo(userId);
        assertThat(body.path("status").asText()).isEqualTo("CREATED");
        assertThat(body.path("requestId").asText()).isEqualTo(request.getRequestId());
        assertThat(statusOf(employee).path("status").asText()).isEqualTo("created");

        String logId = "9002" + System.nanoTime();
        String sv = "{\"log_id\":\"" + logId + "\",\"data\":{\"date\":\"" + Instant.now()
                + "\",\"type\":\"sv\",\"description\":\"Your email was verified.\",\"user_id\":\"" + userId
                + "\",\"connection\":\"Username-Password-Authentication\",\"log_id\":\"" + logId + "\"}}";
        HttpResponse<String> logged = HTTP.send(
                HttpRequest.newBuilder(URI.create(gateway.url() + GatewayServer.LOG_STREAM_PATH))
                        .header("Authorization", LOG_STREAM)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(sv))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(logged.statusCode()).as(logged.body()).isEqualTo(200);
        JsonNode verified = awaitStatus(employee, "verified");
        assertThat(verified.path("status").asText()).isEqualTo("verified");
        assertThat(verified.path("auth0UserId").asText()).isEqualTo(userId);
    }

    @Test
    void aResultLaterThanTheWaitIsAnswered202WithAUrlThatReturnsItOnceItArrives() throws Exception {
        String employee = employee();
        long started = System.nanoTime();
        HttpResponse<String> response =
                call("POST", "/api/admin/employees/" + employee + "/create-auth0", person(employee));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(2_900));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String location = response.headers().firstValue("Location").orElseThrow();
        JsonNode pending = json(response);
        assertThat(location)
                .isEqualTo("/api/admin/provisioning/results/"
                        + pending.path("requestId").asText());
        assertThat(pending.path("resultUrl").asText()).isEqualTo(location);
        assertThat(pending.path("status").asText()).isEqualTo("PENDING");

        HttpResponse<String> stillPending = call("GET", location, null);
        assertThat(stillPending.statusCode()).isEqualTo(202);

        ProvisioningRequest request = requestsOf(employee, 1).get(0);
        assertThat(request.getRequestId()).isEqualTo(pending.path("requestId").asText());
        answer(request, ProvisioningStatus.FAILED, null, "Auth0 refused the user: HTTP 400 invalid_body");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        HttpResponse<String> later = call("GET", location, null);
        while (later.statusCode() == 202 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            later = call("GET", location, null);
        }
        assertThat(later.statusCode()).isEqualTo(200);
        assertThat(json(later).path("status").asText()).isEqualTo("FAILED");
        assertThat(json(later).path("error").asText()).isEqualTo("Auth0 refused the user: HTTP 400 invalid_body");
        JsonNode status = statusOf(employee);
        assertThat(status.path("status").asText()).isEqualTo("failed");
        assertThat(status.path("error").asText()).isEqualTo("Auth0 refused the user: HTTP 400 invalid_body");

        assertThat(call("GET", "/api/admin/provisioning/results/" + UUID.randomUUID(), null)
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void aBulkImportInAnArrayOrJsonLinesIsAnsweredPerItemAndABadItemStopsNoOther() throws Exception {
        String a = employee();
        String b = employee();
        String c = employee();
        String d = employee();
        String array = "[" + withId(a) + ",{\"employeeId\":\"" + b
                + "\",\"email\":\"not-an-email\",\"fullName\":\"B\"}," + withId(c) + "]";
        HttpResponse<String> response = call("POST", "/api/admin/employees", array);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("accepted").asInt()).isEqualTo(2);
        assertThat(body.path("rejected").asInt()).isEqualTo(1);
        JsonNode items = body.path("items");
        assertThat(items.get(0).path("status").asText()).isEqualTo("accepted");
        assertThat(items.get(0).path("employeeId").asText()).isEqualTo(a);
        assertThat(items.get(0).path("resultUrl").asText())
                .isEqualTo("/api/admin/provisioning/results/"
                        + items.get(0).path("requestId").asText());
        assertThat(items.get(1).path("error").asText()).isEqualTo("invalid_employee");
        assertThat(items.get(1).path("employeeId").asText()).isEqualTo(b);
        assertThat(items.get(1).path("message").asText()).isEqualTo("email 'not-an-email' is not an e-mail address");
        assertThat(items.get(2).path("status").asText()).isEqualTo("accepted");

        String lines = withId(d) + "\n{\"email\":\"x@example.com\",\"fullName\":\"No Id\"}\n{not json\n";
        HttpResponse<String> jsonLines = call("POST", "/api/admin/employees", lines);
        assertThat(jsonLines.statusCode()).as(jsonLines.body()).isEqualTo(200);
        JsonNode lineItems = json(jsonLines).path("items");
        assertThat(lineItems).hasSize(3);
        assertThat(lineItems.get(0).path("status").asText()).isEqualTo("accepted");
        assertThat(lineItems.get(1).path("message").asText()).isEqualTo("employeeId is required");
        assertThat(lineItems.get(2).path("error").asText()).isEqualTo("malformed_json");

        assertThat(requestsOf(a, 1)).hasSize(1);
        assertThat(requestsOf(c, 1)).hasSize(1);
        assertThat(requestsOf(d, 1))
                .singleElement()
                .extracting(ProvisioningRequest::getRequestId)
                .isEqualTo(lineItems.get(0).path("requestId").asText());
        assertThat(requestsOf(b, 1)).as("the invalid item is not published").isEmpty();
        assertThat(statusOf(a).path("status").asText()).isEqualTo("pending");
    }

    private static String withId(String employeeId) {
        return person(employeeId).replaceFirst("\\{", "{\"employeeId\":\"" + employeeId + "\",");
    }

    @Test
    void anEmailChangeIsAnUpdateEmailRequestAnsweredWithItsResult() throws Exception {
        String employee = employee();
        CompletableFuture<HttpResponse<String>> patched = send(
                "PATCH", "/api/admin/employees/" + employee + "/email", "{\"email\":\"renamed@example.com\"}", TOKEN);
        ProvisioningRequest request = requestsOf(employee, 1).get(0);
        assertThat(request.getAction()).isEqualTo(ProvisioningAction.UPDATE_EMAIL);
        assertThat(request.getEmail()).isEqualTo("renamed@example.com");
        answer(request, ProvisioningStatus.EMAIL_UPDATED, "auth0|" + employee, null);
        HttpResponse<String> response = patched.join();
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).path("status").asText()).isEqualTo("EMAIL_UPDATED");
        assertThat(json(response).path("auth0UserId").asText()).isEqualTo("auth0|" + employee);
    }

    @Test
    void everyBadInputIsA400NamingItsProblems() throws Exception {
        String employee = employee();
        String create = "/api/admin/employees/" + employee + "/create-auth0";
        Map<String, String> bodies = Map.of(
                "{\"email\":\"a@b\",\"fullname\":\"Typo\"}",
                "unknown field fullname (known: connection, department, email, employeeId, fullName, roleCode); email"
                        + " 'a@b' is not an e-mail address; fullName is required",
                "{\"email\":42,\"fullName\":\"  \"}",
                "email must be a string; fullName is empty",
                "{\"employeeId\":\"OTHER\",\"email\":\"a@example.com\",\"fullName\":\"A\"}",
                "employeeId OTHER in the body is not the " + employee + " of the URL",
                "[1,2]",
                "expected a JSON object with connection, department, email, employeeId, fullName, roleCode");
        for (Map.Entry<String, String> bad : bodies.entrySet()) {
            HttpResponse<String> response = call("POST", create, bad.getKey());
            assertThat(response.statusCode()).as(bad.getKey()).isEqualTo(400);
            assertThat(json(response).path("error").asText()).isEqualTo("invalid_employee");
            assertThat(json(response).path("message").asText()).as(bad.getKey()).isEqualTo(bad.getValue());
        }
        HttpResponse<String> notJson = call("POST", create, "{\"email\":");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(json(notJson).path("error").asText()).isEqualTo("malformed_body");
        HttpResponse<String> badId = call("POST", "/api/admin/employees/%20x%22/create-auth0", person("x"));
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(json(badId).path("message").asText()).startsWith("employeeId must be 1 to 64 letters");
        HttpResponse<String> badEmail =
                call("PATCH", "/api/admin/employees/" + employee + "/email", "{\"email\":\"x\"}");
        assertThat(badEmail.statusCode()).isEqualTo(400);
        assertThat(json(badEmail).path("message").asText()).isEqualTo("email 'x' is not an e-mail address");
        HttpResponse<String> tooLarge = call("POST", "/api/admin/employees", "[" + "1,".repeat(40_000) + "1]");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        HttpResponse<String> unknown = call("GET", "/api/admin/employees/" + employee(), null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).path("error").asText()).isEqualTo("unknown_employee");
        assertThat(requestsOf(employee, 1)).isEmpty();
    }

    @Test
    void requestsWithoutTheTokenAreRefusedOnTheirHeadersBeforeAnyBodyIsRead() throws Exception {
        String employee = employee();
        String path = "/api/admin/employees/" + employee + "/create-auth0";
        for (String authorization : List.of("", "Authorization: Bearer it-hr-system-token-4f1d\r\n")) {
            // Headers announcing a body that never comes: only a route that answers on its headers can answer.
            long started = System.nanoTime();
            RawHttp.Answer answer = RawHttp.exchange(
                    gateway.url(),
                    "POST " + path + " HTTP/1.1\r\nHost: localhost\r\n" + authorization
                            + "Content-Type: application/json\r\nContent-Length: 50000\r\n\r\n",
                    Duration.ofSeconds(10));
            assertThat(answer.status()).isEqualTo(401);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(JSON.readTree(answer.body()).path("error").asText()).isEqualTo("unauthorized");
            assertThat(answer.body()).doesNotContain("it-hr-system-token");
        }
        for (String route : List.of("/api/admin/employees/" + employee, "/api/admin/provisioning/results/x")) {
            assertThat(send("GET", route, null, null).join().statusCode()).isEqualTo(401);
        }
        assertThat(send("POST", "/api/admin/employees", "[]", "wrong-token-wrong-token")
                        .join()
                        .statusCode())
                .isEqualTo(401);
        assertThat(send("PATCH", "/api/admin/employees/" + employee + "/email", "{}", null)
                        .join()
                        .statusCode())
                .isEqualTo(401);

        // With the token, the same headers are let in: the gateway waits for the body, then answers it.
        URI uri = URI.create(gateway.url());
        String body = person(employee);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TOKEN
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                            + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            Thread.sleep(2_500);
            assertThat(in.available()).as("no answer before the body").isZero();
            out.write(body.getBytes(StandardCharsets.UTF_8));
            out.flush();
            RawHttp.Answer answer = RawHttp.readUntilClosed(in);
            assertThat(answer.status()).isEqualTo(202);
        }
        assertThat(requestsOf(employee, 1)).hasSize(1);

        HttpResponse<String> off = HTTP.send(
                HttpRequest.newBuilder(URI.create(disabled.url() + path))
                        .header("Authorization", "Bearer " + TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(off.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(off.body()).path("error").asText()).isEqualTo("route_disabled");
        assertThat(requestsOf(employee, 2)).hasSize(1);

        String metrics = HTTP.send(
                        HttpRequest.newBuilder(URI.create(gateway.url() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics)
                .as("the admin routes are one label value, whatever the ids in their paths")
                .contains("route=\"/api/admin\",status=\"401\"")
                .doesNotContain(employee);
    }
}
