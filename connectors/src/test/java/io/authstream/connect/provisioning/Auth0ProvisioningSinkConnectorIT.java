package io.authstream.connect.provisioning;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.authstream.embedded.connect.EmbeddedConnectWorker;
import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.avro.ProvisioningAction;
import io.authstream.schemas.avro.ProvisioningRequest;
import io.authstream.schemas.avro.ProvisioningResult;
import io.authstream.schemas.avro.ProvisioningStatus;
import io.authstream.schemas.serde.AvroDeserializer;
import io.authstream.schemas.serde.AvroSerializer;
import io.authstream.testrecords.TestSecrets;
import io.authstream.teststack.LogCapture;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The provisioning sink in a real Connect worker against a WireMock Auth0 answering as
 * documented: 201, 409 (then users-by-email: the employee's own user, or one somebody else made),
 * 429 with reset headers, 500, a slow reply and a 400; invalid requests (a connection off the
 * allow-list, a 40 000-character address) never reach Auth0; every outcome is on the results topic.
 */
@ExtendWith(StackExtension.class)
class Auth0ProvisioningSinkConnectorIT {

    @RegisterExtension
    static WireMockExtension auth0 = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private static final String SECRET = "provisioning-secret-c41d";
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        GeneratedClasses.trust();
    }

    private final TestStack stack;

    Auth0ProvisioningSinkConnectorIT(TestStack stack) {
        this.stack = stack;
    }

    private static ProvisioningRequest request(String employee, String email, String role) {
        return ProvisioningRequest.newBuilder()
                .setRequestId("req-" + employee)
                .setEmployeeId(employee)
                .setEmail(email)
                .setFullName("Employee " + employee)
                .setDepartment("Engineering")
                .setRoleCode(role)
                .setRequestedAt(Instant.parse("2026-11-23T09:00:00Z"))
                .build();
    }

    private static ProvisioningRequest request(String employee, String email, String role, String connection) {
        return ProvisioningRequest.newBuilder(request(employee, email, role))
                .setConnection(connection)
                .build();
    }

    /** A user as GET /api/v2/users-by-email lists it. */
    private static String user(String userId, String email, String connection, String appMetadata) {
        String provider = userId.substring(0, userId.indexOf('|'));
        return "{\"user_id\":\"" + userId + "\",\"email\":\"" + email
                + "\",\"email_verified\":true,\"created_at\":\"2026-01-05T10:00:00.000Z\","
                + "\"identities\":[{\"connection\":\"" + connection + "\",\"user_id\":\""
                + userId.substring(userId.indexOf('|') + 1)
                + "\",\"provider\":\"" + provider + "\",\"isSocial\":" + !provider.equals("auth0") + "}]"
                + (appMetadata == null ? "" : ",\"app_metadata\":" + appMetadata) + "}";
    }

    private static String conflict() {
        return "{\"statusCode\":409,\"error\":\"Conflict\",\"message\":\"The user already exists.\",\"errorCode\":\"auth0_idp_error\"}";
    }

    private static MappingBuilder createUser(String email) {
        return post("/api/v2/users")
                .withRequestBody(
                        matchingJsonPath("$.email", com.github.tomakehurst.wiremock.client.WireMock.equalTo(email)));
    }

    private static String created(String userId, String email) {
        return "{\"user_id\":\"" + userId + "\",\"email\":\"" + email
                + "\",\"email_verified\":false,\"identities\":[]}";
    }

    @Test
    void everyRequestEndsWithAnAuditedOutcome() throws Exception {
        LogCapture logs = LogCapture.start();
        String run = TestStack.uniqueTopic("prov");
        String requestsTopic = run + "-requests";
        String resultsTopic = run + "-results";
        String deadLetters = run + "-dlq";
        stack.createTopics(requestsTopic, resultsTopic, deadLetters);

        TestSecrets.register(SECRET);
        TestSecrets.register("eyJ.prov-token.sig");
        auth0.stubFor(
                post("/oauth/token")
                        .willReturn(
                                okJson(
                                        "{\"access_token\":\"eyJ.prov-token.sig\",\"scope\":\"create:users read:users update:users\",\"expires_in\":86400,\"token_type\":\"Bearer\"}")));
        auth0.stubFor(createUser("new@example.com")
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody(created("auth0|new1", "new@example.com"))));
        auth0.stubFor(post("/api/v2/users/auth0%7Cnew1/roles")
                .withRequestBody(equalToJson("{\"roles\":[\"rol_eng\"]}"))
                .willReturn(aResponse().withStatus(204)));
        // A redelivered request: the employee's own user (app_metadata.employeeId) on the connection, after a social
        // one.
        auth0.stubFor(createUser("taken@example.com")
                .willReturn(aResponse()
                        .withStatus(409)
                        .withHeader("Content-Type", "application/json")
                        .withBody(conflict())));
        auth0.stubFor(get("/api/v2/users-by-email?email=taken%40example.com")
                .willReturn(okJson("["
                        + user("google-oauth2|1071", "taken@example.com", "google-oauth2", null) + ","
                        + user(
                                "auth0|old1",
                                "taken@example.com",
                                "Username-Password-Authentication",
                                "{\"employeeId\":\"E2\",\"provisioningRequestId\":\"req-E2\"}")
                        + "]")));
        auth0.stubFor(post("/api/v2/users/auth0%7Cold1/roles")
                .withRequestBody(equalToJson("{\"roles\":[\"rol_eng\"]}"))
                .willReturn(aResponse().withStatus(204)));
        // Users somebody else made with an employee's address: a self sign-up, a social account, another employee's.
        for (String email : List.of("squatted@example.com", "social@example.com", "claimed@example.com")) {
            auth0.stubFor(createUser(email)
                    .willReturn(aResponse()
                            .withStatus(409)
                            .withHeader("Content-Type", "application/json")
                            .withBody(conflict())));
        }
        auth0.stubFor(get("/api/v2/users-by-email?email=squatted%40example.com")
                .willReturn(okJson(
                        "[" + user("auth0|squat1", "squatted@example.com", "Username-Password-Authentication", "{}")
                                + "]")));
        auth0.stubFor(get("/api/v2/users-by-email?email=social%40example.com")
                .willReturn(okJson("["
                        + user("google-oauth2|2042", "social@example.com", "google-oauth2", "{\"employeeId\":\"E11\"}")
                        + "]")));
        auth0.stubFor(get("/api/v2/users-by-email?email=claimed%40example.com")
                .willReturn(okJson("["
                        + user(
                                "auth0|other1",
                                "claimed@example.com",
                                "Username-Password-Authentication",
                                "{\"employeeId\":\"E999\"}")
                        + "]")));
        auth0.stubFor(createUser("contractor@example.com")
                .withRequestBody(matchingJsonPath(
                        "$.connection", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Contractors")))
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody(created("auth0|contractor1", "contractor@example.com"))));
        auth0.stubFor(createUser("busy@example.com")
                .inScenario("busy")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("x-ratelimit-limit", "10")
                        .withHeader("x-ratelimit-remaining", "0")
                        .withHeader(
                                "x-ratelimit-reset", Long.toString(Instant.now().getEpochSecond() + 1)))
                .willSetStateTo("free"));
        auth0.stubFor(createUser("busy@example.com")
                .inScenario("busy")
                .whenScenarioStateIs("free")
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody(created("auth0|busy1", "busy@example.com"))));
        auth0.stubFor(createUser("flaky@example.com")
                .inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse()
                        .withStatus(500)
                        .withBody("{\"statusCode\":500,\"error\":\"Internal Server Error\"}"))
                .willSetStateTo("up"));
        auth0.stubFor(createUser("flaky@example.com")
                .inScenario("flaky")
                .whenScenarioStateIs("up")
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody(created("auth0|flaky1", "flaky@example.com"))));
        auth0.stubFor(createUser("slow@example.com")
                .inScenario("slow")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse()
                        .withStatus(201)
                        .withFixedDelay(3_000)
                        .withBody(created("auth0|slow0", "slow@example.com")))
                .willSetStateTo("quick"));
        auth0.stubFor(createUser("slow@example.com")
                .inScenario("slow")
                .whenScenarioStateIs("quick")
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody(created("auth0|slow1", "slow@example.com"))));
        auth0.stubFor(
                createUser("weak@example.com")
                        .willReturn(
                                aResponse()
                                        .withStatus(400)
                                        .withHeader("Content-Type", "application/json")
                                        .withBody(
                                                "{\"statusCode\":400,\"error\":\"Bad Request\",\"message\":\"PasswordStrengthError: Password is too weak\",\"errorCode\":\"invalid_body\"}")));

        String huge = "a@" + "a.".repeat(20_000) + "@example.com";
        List<ProvisioningRequest> batch = List.of(
                request("E1", "new@example.com", "ENG"),
                request("E2", "taken@example.com", "ENG"),
                request("E3", "not-an-email", null),
                request("E4", "boss@example.com", "CEO"),
                request("E5", "busy@example.com", null),
                request("E6", "flaky@example.com", null),
                request("E7", "slow@example.com", null),
                request("E8", "weak@example.com", null),
                request("E10", "squatted@example.com", "ENG"),
                request("E11", "social@example.com", "ENG"),
                request("E12", "claimed@example.com", "ENG"),
                request("E13", "evil@example.com", "ENG", "Evil-Corp-IdP"),
                request("E14", "contractor@example.com", null, "Contractors"),
                request("E15", huge, null));
        AvroSerializer<ProvisioningRequest> avro = new AvroSerializer<>(stack.serdeConfig(), false);
        Map<String, Object> producerConfig = stack.clientConfig();
        producerConfig.put("acks", "all");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer())) {
            for (ProvisioningRequest request : batch) {
                producer.send(new ProducerRecord<>(
                                requestsTopic, request.getEmployeeId(), avro.serialize(requestsTopic, request)))
                        .get();
            }
            producer.send(new ProducerRecord<>(
                            requestsTopic, "E9", "{\"employeeId\":\"E9\"}".getBytes(StandardCharsets.UTF_8)))
                    .get();
        }

        Map<String, String> config = new HashMap<>();
        config.put("connector.class", Auth0ProvisioningSinkConnector.class.getName());
        config.put("tasks.max", "1");
        config.put("topics", requestsTopic);
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        config.put("auth0.domain", auth0.baseUrl());
        config.put("auth0.client.id", "m2m-provisioning");
        config.put("auth0.client.secret", SECRET);
        config.put("auth0.request.timeout.ms", "1000");
        config.put("auth0.retry.backoff.initial.ms", "50");
        config.put("role.mapping", "ENG:rol_eng,SALES:rol_sales");
        config.put("auth0.allowed.connections", "Username-Password-Authentication,Contractors");
        config.put("results.topic", resultsTopic);
        config.put("results.bootstrap.servers", stack.bootstrapServers());
        config.put("schema.registry.url", stack.schemaRegistryUrl());
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", deadLetters);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");

        try (EmbeddedConnectWorker worker = new EmbeddedConnectWorker(stack.bootstrapServers())) {
            assertThat(worker.putConnector("auth0-provisioning", config).statusCode())
                    .isEqualTo(201);
            worker.awaitRunning("auth0-provisioning", 1);
            List<ConsumerRecord<String, ProvisioningResult>> records = stack.consume(
                    resultsTopic, new AvroDeserializer<>(ProvisioningResult.class, stack.serdeConfig()), batch.size());
            Map<String, ProvisioningResult> results =
                    records.stream().collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value));
            assertThat(results).hasSize(batch.size());
            assertThat(results.get("E1").getStatus()).isEqualTo(ProvisioningStatus.CREATED);
            assertThat(results.get("E1").getAuth0UserId()).isEqualTo("auth0|new1");
            assertThat(results.get("E2").getStatus()).isEqualTo(ProvisioningStatus.ALREADY_EXISTS);
            assertThat(results.get("E2").getAuth0UserId()).isEqualTo("auth0|old1");
            auth0.verify(1, postRequestedFor(urlEqualTo("/api/v2/users/auth0%7Cold1/roles")));
            assertThat(results.get("E10").getStatus()).isEqualTo(ProvisioningStatus.FAILED);
            assertThat(results.get("E10").getError())
                    .isEqualTo(
                            "Auth0 user auth0|squat1 on connection Username-Password-Authentication"
                                    + " has that e-mail, but its app_metadata.employeeId is not set, not E10; not taken, no role assigned");
            assertThat(results.get("E11").getStatus()).isEqualTo(ProvisioningStatus.FAILED);
            assertThat(results.get("E11").getError())
                    .isEqualTo(
                            "Auth0 answered 409 but the user with that e-mail is not on connection"
                                    + " Username-Password-Authentication (it is on google-oauth2); not taken, no role assigned");
            assertThat(results.get("E12").getStatus()).isEqualTo(ProvisioningStatus.FAILED);
            assertThat(results.get("E12").getError())
                    .contains("app_metadata.employeeId names another employee, not E12");
            assertThat(List.of("E10", "E11", "E12"))
                    .allSatisfy(e -> assertThat(results.get(e).getAuth0UserId()).isNull());
            for (String squatter : List.of("auth0%7Csquat1", "google-oauth2%7C2042", "auth0%7Cother1")) {
                auth0.verify(0, postRequestedFor(urlEqualTo("/api/v2/users/" + squatter + "/roles")));
            }
            assertThat(results.get("E13").getStatus()).isEqualTo(ProvisioningStatus.INVALID);
            assertThat(results.get("E13").getError())
                    .isEqualTo("connection Evil-Corp-IdP is not in auth0.allowed.connections"
                            + " (allowed: Contractors, Username-Password-Authentication)");
            assertThat(results.get("E14").getStatus()).isEqualTo(ProvisioningStatus.CREATED);
            assertThat(results.get("E14").getAuth0UserId()).isEqualTo("auth0|contractor1");
            assertThat(results.get("E15").getStatus()).isEqualTo(ProvisioningStatus.INVALID);
            assertThat(results.get("E15").getError())
                    .isEqualTo("email is " + huge.length() + " characters long, at most 254 are taken");
            assertThat(results.get("E3").getStatus()).isEqualTo(ProvisioningStatus.INVALID);
            assertThat(results.get("E3").getError()).isEqualTo("email 'not-an-email' is not an e-mail address");
            assertThat(results.get("E4").getStatus()).isEqualTo(ProvisioningStatus.INVALID);
            assertThat(results.get("E4").getError()).contains("roleCode CEO has no Auth0 role");
            assertThat(results.get("E5").getStatus()).isEqualTo(ProvisioningStatus.CREATED);
            assertThat(results.get("E5").getAttempts()).isEqualTo(2);
            assertThat(results.get("E6").getAuth0UserId()).isEqualTo("auth0|flaky1");
            assertThat(results.get("E6").getAttempts()).isEqualTo(2);
            assertThat(results.get("E7").getAuth0UserId())
                    .as("the slow first answer timed out and was retried")
                    .isEqualTo("auth0|slow1");
            assertThat(results.get("E8").getStatus()).isEqualTo(ProvisioningStatus.FAILED);
            assertThat(results.get("E8").getError())
                    .isEqualTo(
                            "Auth0 refused the user: HTTP 400 invalid_body (PasswordStrengthError: Password is too weak)");
            assertThat(results.values())
                    .allSatisfy(r -> assertThat(r.getDurationMs()).isNotNegative());

            auth0.verify(0, postRequestedFor(urlEqualTo("/api/v2/users")).withRequestBody(containing("not-an-email")));
            auth0.verify(
                    0, postRequestedFor(urlEqualTo("/api/v2/users")).withRequestBody(containing("boss@example.com")));
            auth0.verify(
                    0, postRequestedFor(urlEqualTo("/api/v2/users")).withRequestBody(containing("evil@example.com")));
            auth0.verify(
                    0,
                    postRequestedFor(urlEqualTo("/api/v2/users")).withRequestBody(containing(huge.substring(0, 100))));
            auth0.verify(1, postRequestedFor(urlEqualTo("/api/v2/users/auth0%7Cnew1/roles")));
            assertThat(stack.consume(deadLetters, new ByteArrayDeserializer(), 1))
                    .extracting(ConsumerRecord::key)
                    .containsExactly("E9");
        } finally {
            logs.close();
        }
        List<String> passwords = new ArrayList<>();
        auth0.findAll(postRequestedFor(urlEqualTo("/api/v2/users"))).forEach(r -> {
            try {
                passwords.add(JSON.readTree(r.getBodyAsString()).get("password").asText());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(passwords).isNotEmpty().allSatisfy(p -> assertThat(p).hasSize(32));
        // Made up by the connector, so known only now; the suite audit reads the logs after the build.
        passwords.forEach(TestSecrets::register);
        assertThat(logs.messages())
                .noneMatch(line -> line.contains(SECRET)
                        || line.contains("eyJ.prov-token")
                        || passwords.stream().anyMatch(line::contains));
    }

    @Test
    void emailChangesPatchTheEmployeesOwnUserAtTheRateLimitWithMetrics() throws Exception {
        String run = TestStack.uniqueTopic("prov-email");
        String requestsTopic = run + "-requests";
        String resultsTopic = run + "-results";
        stack.createTopics(requestsTopic, resultsTopic);
        TestSecrets.register(SECRET);
        TestSecrets.register("eyJ.prov-token.sig");
        auth0.stubFor(post("/oauth/token")
                .willReturn(okJson(
                        "{\"access_token\":\"eyJ.prov-token.sig\",\"expires_in\":86400,\"token_type\":\"Bearer\"}")));
        auth0.stubFor(post("/api/v2/users")
                .inScenario("limited")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("retry-after", "0"))
                .willSetStateTo("open"));
        auth0.stubFor(post("/api/v2/users")
                .inScenario("limited")
                .whenScenarioStateIs("open")
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody(created("auth0|bulk", "bulk@example.com"))));
        auth0.stubFor(usersOfEmployee("E20")
                .willReturn(okJson("["
                        + user("auth0|e20", "old20@example.com", "Contractors", "{\"employeeId\":\"E20\"}") + ","
                        + user(
                                "auth0|e20b",
                                "old20@example.com",
                                "Username-Password-Authentication",
                                "{\"employeeId\":\"E20\"}")
                        + "]")));
        auth0.stubFor(patch(urlEqualTo("/api/v2/users/auth0%7Ce20b"))
                .withRequestBody(equalToJson(
                        "{\"email\":\"new20@example.com\",\"connection\":\"Username-Password-Authentication\","
                                + "\"verify_email\":true}"))
                .willReturn(okJson(user(
                        "auth0|e20b",
                        "new20@example.com",
                        "Username-Password-Authentication",
                        "{\"employeeId\":\"E20\"}"))));
        auth0.stubFor(usersOfEmployee("E21").willReturn(okJson("[]")));
        auth0.stubFor(usersOfEmployee("E23")
                .willReturn(okJson("["
                        + user(
                                "auth0|e23",
                                "old23@example.com",
                                "Username-Password-Authentication",
                                "{\"employeeId\":\"E23\"}")
                        + "]")));
        auth0.stubFor(
                patch(urlEqualTo("/api/v2/users/auth0%7Ce23"))
                        .willReturn(
                                aResponse()
                                        .withStatus(400)
                                        .withHeader("Content-Type", "application/json")
                                        .withBody(
                                                "{\"statusCode\":400,\"error\":\"Bad Request\",\"message\":\"The specified new email already exists\",\"errorCode\":\"auth0_idp_error\"}")));

        List<ProvisioningRequest> batch = new ArrayList<>();
        for (int i = 100; i < 200; i++) {
            batch.add(request("E" + i, "e" + i + "@example.com", null));
        }
        batch.add(emailChange("E20", "new20@example.com"));
        batch.add(emailChange("E21", "new21@example.com"));
        batch.add(emailChange("E22", "not an address"));
        batch.add(emailChange("E23", "taken23@example.com"));
        AvroSerializer<ProvisioningRequest> avro = new AvroSerializer<>(stack.serdeConfig(), false);
        Map<String, Object> producerConfig = stack.clientConfig();
        producerConfig.put("acks", "all");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer())) {
            for (ProvisioningRequest request : batch) {
                producer.send(new ProducerRecord<>(
                        requestsTopic, request.getEmployeeId(), avro.serialize(requestsTopic, request)));
            }
            producer.flush();
        }
        int metricsPort;
        try (ServerSocket free = new ServerSocket(0)) {
            metricsPort = free.getLocalPort();
        }
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", Auth0ProvisioningSinkConnector.class.getName());
        config.put("tasks.max", "1");
        config.put("topics", requestsTopic);
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        config.put("auth0.domain", auth0.baseUrl());
        config.put("auth0.client.id", "m2m-provisioning");
        config.put("auth0.client.secret", SECRET);
        config.put("auth0.retry.backoff.initial.ms", "50");
        config.put("auth0.rate.limit.per.second", "25");
        config.put("metrics.port", Integer.toString(metricsPort));
        config.put("results.topic", resultsTopic);
        config.put("results.bootstrap.servers", stack.bootstrapServers());
        config.put("schema.registry.url", stack.schemaRegistryUrl());

        try (EmbeddedConnectWorker worker = new EmbeddedConnectWorker(stack.bootstrapServers())) {
            assertThat(worker.putConnector("auth0-provisioning-email", config).statusCode())
                    .isEqualTo(201);
            worker.awaitRunning("auth0-provisioning-email", 1);
            Map<String, ProvisioningResult> results = stack
                    .consume(
                            resultsTopic,
                            new AvroDeserializer<>(ProvisioningResult.class, stack.serdeConfig()),
                            batch.size())
                    .stream()
                    .collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value));

            assertThat(results.get("E20").getStatus()).isEqualTo(ProvisioningStatus.EMAIL_UPDATED);
            assertThat(results.get("E20").getAuth0UserId())
                    .as("the employee's user on the request's connection, not the one on Contractors")
                    .isEqualTo("auth0|e20b");
            assertThat(results.get("E20").getEmail()).isEqualTo("new20@example.com");
            assertThat(results.get("E21").getStatus()).isEqualTo(ProvisioningStatus.FAILED);
            assertThat(results.get("E21").getError())
                    .isEqualTo(
                            "no Auth0 user on connection Username-Password-Authentication belongs to employee E21"
                                    + " (app_metadata.employeeId): unknown employee, or not provisioned by authstream; nothing changed");
            assertThat(results.get("E22").getStatus()).isEqualTo(ProvisioningStatus.INVALID);
            assertThat(results.get("E22").getError()).isEqualTo("email 'not an address' is not an e-mail address");
            assertThat(results.get("E23").getStatus()).isEqualTo(ProvisioningStatus.FAILED);
            assertThat(results.get("E23").getError())
                    .isEqualTo("Auth0 refused the e-mail change of auth0|e23: HTTP 400 auth0_idp_error"
                            + " (The specified new email already exists)");
            auth0.verify(0, patchRequestedFor(urlEqualTo("/api/v2/users/auth0%7Ce20")));
            auth0.verify(0, getRequestedFor(urlPathEqualTo("/api/v2/users")).withQueryParam("q", containing("E22")));

            List<Instant> created = results.values().stream()
                    .filter(r -> r.getStatus() == ProvisioningStatus.CREATED)
                    .map(ProvisioningResult::getCompletedAt)
                    .sorted()
                    .toList();
            assertThat(created).hasSize(100);
            // 101 calls for the 100 creations (one refused with 429) at 25/s, 25 of them a burst: 3 s at least.
            assertThat(Duration.between(created.get(0), created.get(99)))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(2_800));

            HttpResponse<String> scraped = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(scraped.statusCode()).isEqualTo(200);
            assertThat(scraped.headers().firstValue("Content-Type"))
                    .contains("text/plain; version=0.0.4; charset=utf-8");
            assertThat(scraped.body())
                    .contains("auth0_user_creation_total{outcome=\"CREATED\"} 100\n")
                    .contains("auth0_user_creation_duration_seconds_count 100\n")
                    .contains("auth0_email_update_total{outcome=\"EMAIL_UPDATED\"} 1\n")
                    .contains("auth0_email_update_total{outcome=\"FAILED\"} 2\n")
                    .contains("auth0_email_update_total{outcome=\"INVALID\"} 1\n")
                    .contains("auth0_token_refresh_total 1\n")
                    .contains("auth0_api_errors_total{code=\"400\"} 1\n")
                    .contains("auth0_api_errors_total{code=\"429\"} 1\n");
        }
    }

    private static MappingBuilder usersOfEmployee(String employee) {
        return get(urlPathEqualTo("/api/v2/users"))
                .withQueryParam("search_engine", com.github.tomakehurst.wiremock.client.WireMock.equalTo("v3"))
                .withQueryParam(
                        "q",
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo(
                                "app_metadata.employeeId:\"" + employee + "\""));
    }

    private static ProvisioningRequest emailChange(String employee, String email) {
        return ProvisioningRequest.newBuilder(request(employee, email, null))
                .setFullName("")
                .setAction(ProvisioningAction.UPDATE_EMAIL)
                .build();
    }
}
