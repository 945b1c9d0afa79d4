package io.authstream.connect.logs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.authstream.embedded.connect.EmbeddedConnectWorker;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.deadletter.DeadLetterHeaders;
import io.authstream.schemas.serde.AvroDeserializer;
import io.authstream.testrecords.TestSecrets;
import io.authstream.teststack.LogCapture;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The logs source in a real Connect worker against a WireMock Auth0 answering as documented:
 * a 401 for a revoked token, bootstrap from the oldest log, checkpoint paging, a 429 with reset
 * headers, a 500, a record it cannot normalise, a restart that resumes from the stored checkpoint,
 * and logs dated out of range (years ahead, 1969, Long.MAX_VALUE ms, an hour ahead, too old).
 */
@ExtendWith(StackExtension.class)
class Auth0LogsSourceConnectorIT {

    @RegisterExtension
    static WireMockExtension auth0 = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private static final String SECRET = "logs-client-secret-8b1e";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestStack stack;

    Auth0LogsSourceConnectorIT(TestStack stack) {
        this.stack = stack;
    }

    private static String log(String id, String type, String user, String date) {
        return """
                {"date":"%s","type":"%s","user_id":"%s","user_name":"%s@example.com","ip":"203.0.113.5",
                 "client_id":"aI61p8I8aFjmYRliLWgvM9ev97kCCNDB","client_name":"Default App","connection":"Username-Password-Authentication",
                 "strategy":"auth0","log_id":"%s"}""".formatted(date, type, user, user.replace("auth0|", ""), id);
    }

    @Test
    void pullsLogsInOrderFromACheckpointThroughRateLimitsAndResumesAfterARestart() throws Exception {
        LogCapture logs = LogCapture.start();
        String run = TestStack.uniqueTopic("logs");
        String topic = run + "-raw";
        String deadLetters = run + "-dlq";
        stack.createTopics(topic, deadLetters);

        TestSecrets.register(SECRET);
        TestSecrets.register("eyJ.logs-token.sig");
        auth0.stubFor(
                post("/oauth/token")
                        .willReturn(
                                okJson(
                                        "{\"access_token\":\"eyJ.logs-token.sig\",\"scope\":\"read:logs\",\"expires_in\":86400,\"token_type\":\"Bearer\"}")));
        // The first call meets a revoked token (401): the client takes a new one and carries on.
        auth0.stubFor(get("/api/v2/logs?sort=date%3A1&per_page=1&page=0")
                .inScenario("revoked")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(
                        aResponse()
                                .withStatus(401)
                                .withHeader("Content-Type", "application/json")
                                .withBody(
                                        "{\"statusCode\":401,\"error\":\"Unauthorized\",\"message\":\"Invalid token\",\"attributes\":{\"error\":\"Invalid token\"}}"))
                .willSetStateTo("renewed"));
        auth0.stubFor(get("/api/v2/logs?sort=date%3A1&per_page=1&page=0")
                .inScenario("revoked")
                .whenScenarioStateIs("renewed")
                .willReturn(okJson("["
                        + log(
                                "90020260101000000000000000000000000000000000000000000001",
                                "s",
                                "auth0|a",
                                "2026-01-01T00:00:00.000Z")
                        + "]")));
        String first = "90020260101000000000000000000000000000000000000000000001";
        String second = "90020260101000000000000000000000000000000000000000000002";
        String third = "90020260101000000000000000000000000000000000000000000003";
        long reset = Instant.now().getEpochSecond() + 1;
        auth0.stubFor(get("/api/v2/logs?from=" + first + "&take=2")
                .inScenario("paging")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(
                        aResponse()
                                .withStatus(429)
                                .withHeader("x-ratelimit-limit", "50")
                                .withHeader("x-ratelimit-remaining", "0")
                                .withHeader("x-ratelimit-reset", Long.toString(reset))
                                .withHeader("Content-Type", "application/json")
                                .withBody(
                                        "{\"statusCode\":429,\"error\":\"Too Many Requests\",\"message\":\"Global limit has been reached\",\"errorCode\":\"too_many_requests\"}"))
                .willSetStateTo("limited"));
        auth0.stubFor(get("/api/v2/logs?from=" + first + "&take=2")
                .inScenario("paging")
                .whenScenarioStateIs("limited")
                .willReturn(aResponse()
                        .withStatus(500)
                        .withBody("{\"statusCode\":500,\"error\":\"Internal Server Error\"}"))
                .willSetStateTo("recovered"));
        auth0.stubFor(get("/api/v2/logs?from=" + first + "&take=2")
                .inScenario("paging")
                .whenScenarioStateIs("recovered")
                .willReturn(okJson("[" + log(second, "f", "auth0|b", "2026-01-01T00:00:01.000Z") + ","
                        + "{\"log_id\":\"" + third + "\",\"data\":{\"date\":\"yesterday\",\"type\":\"s\"}}" + "]")));
        auth0.stubFor(get("/api/v2/logs?from=" + third + "&take=2").willReturn(okJson("[]")));

        Map<String, String> config = new HashMap<>();
        config.put("connector.class", Auth0LogsSourceConnector.class.getName());
        config.put("tasks.max", "1");
        config.put("auth0.domain", auth0.baseUrl());
        config.put("auth0.client.id", "m2m-logs");
        config.put("auth0.client.secret", SECRET);
        config.put("auth0.retry.backoff.initial.ms", "50");
        config.put("topic", topic);
        config.put("dead.letter.topic", deadLetters);
        config.put("batch.size", "2");
        config.put("poll.interval.ms", "300");
        config.put("progress.interval.ms", "100");
        config.put("schema.registry.url", stack.schemaRegistryUrl());
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");

        try (EmbeddedConnectWorker worker = new EmbeddedConnectWorker(stack.bootstrapServers())) {
            assertThat(worker.putConnector("auth0-logs", config).statusCode()).isEqualTo(201);
            worker.awaitRunning("auth0-logs", 1);
            List<ConsumerRecord<String, AuthEvent>> events =
                    stack.consume(topic, new AvroDeserializer<>(AuthEvent.class, stack.serdeConfig()), 2);
            assertThat(events).extracting(r -> r.value().getEventId()).containsExactly(first, second);
            assertThat(events).extracting(ConsumerRecord::key).containsExactly("auth0|a", "auth0|b");
            assertThat(events.get(1).value().getType()).isEqualTo("user.sign_in_failed");
            assertThat(events.get(0).value().getSource()).isEqualTo("auth0.logs-api");
            List<ConsumerRecord<String, byte[]>> dead = stack.consume(deadLetters, new ByteArrayDeserializer(), 1);
            assertThat(header(dead.get(0), DeadLetterHeaders.REASON))
                    .startsWith("invalid_event: ")
                    .contains("\"date\" is not an ISO-8601 timestamp");
            assertThat(header(dead.get(0), DeadLetterHeaders.CODE)).isEqualTo("invalid_event");

            // What the task met at the Management API, as its plugin metrics.
            assertThat(pluginMetric("auth0-logs", ManagementApiCounts.API_ERRORS, "code", "429"))
                    .isEqualTo(1);
            assertThat(pluginMetric("auth0-logs", ManagementApiCounts.API_ERRORS, "code", "500"))
                    .isEqualTo(1);
            assertThat(pluginMetric("auth0-logs", ManagementApiCounts.TOKEN_REFRESH_FAILURES, null, null))
                    .isZero();
            assertThat(pluginMetric("auth0-logs", LastLogTime.METRIC, null, null))
                    .as("the logs were read just now")
                    .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60.0));

            // Restart: the task resumes after the last stored log id, not from the oldest log again.
            awaitRequests("/api/v2/logs?from=" + third + "&take=2", 1);
            // The backfill's progress: caught up after three logs, in its metrics and its stored offset.
            awaitOffset(worker, "auth0-logs", third);
            assertThat(taskMetric("auth0-logs", BackfillProgress.LOGS_READ)).isEqualTo(3);
            assertThat(taskMetric("auth0-logs", BackfillProgress.BEHIND)).isZero();
            assertThat(taskMetric("auth0-logs", BackfillProgress.LAG))
                    .isGreaterThan(Duration.between(Instant.parse("2026-01-01T00:00:01Z"), Instant.now())
                                    .toSeconds()
                            - 120);
            com.fasterxml.jackson.databind.JsonNode offset = offset(worker, "auth0-logs");
            assertThat(offset.path("log_id").asText()).isEqualTo(third);
            assertThat(offset.path("log_date").asText()).isEqualTo("2026-01-01T00:00:01Z");
            worker.restartConnector("auth0-logs");
            worker.awaitRunning("auth0-logs", 1);
            int before = auth0.findAll(getRequestedFor(urlEqualTo("/api/v2/logs?from=" + third + "&take=2")))
                    .size();
            awaitRequests("/api/v2/logs?from=" + third + "&take=2", before + 1);
            auth0.verify(2, getRequestedFor(urlEqualTo("/api/v2/logs?sort=date%3A1&per_page=1&page=0")));
            // Tokens: the first, its renewal after the 401, and the restarted task's own.
            auth0.verify(
                    3, com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlEqualTo("/oauth/token")));
            assertThat(stack.consumeAll(topic, new ByteArrayDeserializer())).hasSize(2);
        } finally {
            logs.close();
        }
        assertThat(logs.messages()).noneMatch(line -> line.contains(SECRET) || line.contains("eyJ.logs-token"));
        assertThat(logs.messages())
                .anyMatch(line -> line.contains("429 too_many_requests (Global limit has been reached)"));
        assertThat(logs.messages())
                .anyMatch(line -> line.startsWith("backfill caught up of " + auth0.baseUrl() + ": 3 logs read, "
                        + "reached 2026-01-01T00:00:01Z ("));
    }

    /** A metric of the task without tags of its own (Connect's connector and task tags only), from JMX. */
    private static double taskMetric(String connector, String attribute) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names =
                server.queryNames(new ObjectName("kafka.connect:type=plugins,connector=" + connector + ",*"), null);
        ObjectName name = names.stream()
                .filter(n -> n.getKeyPropertyList().keySet().equals(Set.of("type", "connector", "task")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no task metrics among " + names));
        return ((Number) server.getAttribute(name, attribute)).doubleValue();
    }

    /** The source offset the worker stored for the task (GET /connectors/{name}/offsets). */
    private static com.fasterxml.jackson.databind.JsonNode offset(EmbeddedConnectWorker worker, String connector)
            throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(
                                        worker.url().resolve("/connectors/" + connector + "/offsets"))
                                .GET()
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("offsets").path(0).path("offset");
    }

    private static void awaitOffset(EmbeddedConnectWorker worker, String connector, String logId) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!offset(worker, connector).path("log_id").asText().equals(logId)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the stored offset did not reach " + logId + " within 30 s");
            }
            Thread.sleep(200);
        }
    }

    @Test
    void logsDatedOutOfRangeAreDeadLetteredAndCountedAndTheOthersGoOn() throws Exception {
        LogCapture logs = LogCapture.start();
        String run = TestStack.uniqueTopic("logs-time");
        String topic = run + "-raw";
        String deadLetters = run + "-dlq";
        stack.createTopics(topic, deadLetters);
        Instant now = Instant.now();
        String good = "90020260301000000000000000000000000000000000000000000001";
        String last = "90020260301000000000000000000000000000000000000000000009";
        Map<String, String> outOfRange = new LinkedHashMap<>();
        outOfRange.put(
                "90020260301000000000000000000000000000000000000000000002",
                "\"" + now.plus(Duration.ofDays(3653)) + "\""); // ten years ahead
        outOfRange.put("90020260301000000000000000000000000000000000000000000003", "\"1969-12-31T23:59:59.000Z\"");
        outOfRange.put(
                "90020260301000000000000000000000000000000000000000000004", Long.toString(Long.MAX_VALUE)); // epoch ms
        outOfRange.put(
                "90020260301000000000000000000000000000000000000000000005", "92233720368547758070"); // beyond a long
        outOfRange.put(
                "90020260301000000000000000000000000000000000000000000006",
                "\"" + now.plus(Duration.ofHours(1)) + "\"");
        outOfRange.put(
                "90020260301000000000000000000000000000000000000000000007",
                "\"" + now.minus(Duration.ofDays(3660)) + "\""); // past the ten-year horizon
        StringBuilder page = new StringBuilder("[");
        outOfRange.forEach(
                (id, date) -> page.append("{\"log_id\":\"")
                        .append(id)
                        .append("\",\"data\":{\"date\":")
                        .append(date)
                        .append(
                                ",\"type\":\"s\",\"user_id\":\"auth0|time\",\"client_id\":\"aI61p8I8aFjmYRliLWgvM9ev97kCCNDB\"}},"));
        // Too large for where they would be stored: a user id no DynamoDB key takes, an event no topic takes.
        Map<String, String> tooLarge = new LinkedHashMap<>();
        String longUser = "90020260301000000000000000000000000000000000000000000010";
        String hugeLog = "90020260301000000000000000000000000000000000000000000011";
        tooLarge.put(longUser, "field_too_large");
        tooLarge.put(hugeLog, "event_too_large");
        page.append(log(
                        longUser,
                        "s",
                        "auth0|" + "u".repeat(3000),
                        now.minusSeconds(6).toString()))
                .append(',');
        page.append("{\"log_id\":\"")
                .append(hugeLog)
                .append("\",\"data\":{\"date\":\"")
                .append(now.minusSeconds(6))
                .append("\",\"type\":\"sapi\",\"details\":{\"request\":{\"body\":\"")
                .append("b".repeat(600 * 1024))
                .append("\"}}}},");
        page.append(log(last, "s", "auth0|after", now.minusSeconds(5).toString()))
                .append("]");

        TestSecrets.register(SECRET);
        TestSecrets.register("eyJ.logs-token.sig");
        auth0.stubFor(
                post("/oauth/token")
                        .willReturn(
                                okJson(
                                        "{\"access_token\":\"eyJ.logs-token.sig\",\"scope\":\"read:logs\",\"expires_in\":86400,\"token_type\":\"Bearer\"}")));
        auth0.stubFor(get("/api/v2/logs?from=" + good + "&take=100").willReturn(okJson(page.toString())));
        auth0.stubFor(get("/api/v2/logs?from=" + last + "&take=100").willReturn(okJson("[]")));

        Map<String, String> config = new HashMap<>();
        config.put("connector.class", Auth0LogsSourceConnector.class.getName());
        config.put("tasks.max", "1");
        config.put("auth0.domain", auth0.baseUrl());
        config.put("auth0.client.id", "m2m-logs");
        config.put("auth0.client.secret", SECRET);
        config.put("topic", topic);
        config.put("dead.letter.topic", deadLetters);
        config.put("start.log.id", good);
        config.put("poll.interval.ms", "300");
        config.put("schema.registry.url", stack.schemaRegistryUrl());
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        String connector = TestStack.uniqueTopic("auth0-logs-time");

        try (EmbeddedConnectWorker worker = new EmbeddedConnectWorker(stack.bootstrapServers())) {
            assertThat(worker.putConnector(connector, config).statusCode()).isEqualTo(201);
            worker.awaitRunning(connector, 1);
            List<ConsumerRecord<String, byte[]>> all =
                    stack.consume(deadLetters, new ByteArrayDeserializer(), outOfRange.size() + tooLarge.size());
            List<ConsumerRecord<String, byte[]>> dead = all.subList(0, outOfRange.size());
            assertThat(dead)
                    .extracting(r -> JSON.readTree(r.value()).get("log_id").asText())
                    .containsExactlyElementsOf(outOfRange.keySet());
            List<ConsumerRecord<String, byte[]>> large = all.subList(outOfRange.size(), all.size());
            assertThat(large)
                    .extracting(r -> JSON.readTree(r.value()).get("log_id").asText())
                    .containsExactlyElementsOf(tooLarge.keySet());
            assertThat(large)
                    .extracting(r -> header(r, DeadLetterHeaders.CODE))
                    .containsExactlyElementsOf(tooLarge.values());
            assertThat(header(large.get(0), DeadLetterHeaders.REASON)).contains("userId is 3006 bytes");
            assertThat(dead).allSatisfy(r -> {
                assertThat(header(r, DeadLetterHeaders.CODE)).isEqualTo("event_time_out_of_range");
                assertThat(header(r, DeadLetterHeaders.REASON)).startsWith("event_time_out_of_range: ");
                assertThat(header(r, DeadLetterHeaders.SOURCE)).isEqualTo("auth0.logs-api");
                assertThat(Instant.parse(header(r, DeadLetterHeaders.RECEIVED_AT)))
                        .isAfterOrEqualTo(now.minusSeconds(1));
            });
            stack.consume(topic, new ByteArrayDeserializer(), 1);
            List<ConsumerRecord<String, AuthEvent>> events =
                    stack.consumeAll(topic, new AvroDeserializer<>(AuthEvent.class, stack.serdeConfig()));
            assertThat(events).extracting(r -> r.value().getEventId()).containsExactly(last);
            assertThat(deadLetterCount(connector, "event_time_out_of_range")).isEqualTo(outOfRange.size());
            assertThat(deadLetterCount(connector, "invalid_event")).isZero();
            assertThat(deadLetterCount(connector, "field_too_large")).isEqualTo(1);
            assertThat(deadLetterCount(connector, "event_too_large")).isEqualTo(1);
            assertThat(worker.status(connector)
                            .path("tasks")
                            .get(0)
                            .path("state")
                            .asText())
                    .isEqualTo("RUNNING");
        } finally {
            logs.close();
        }
        for (String id : outOfRange.keySet()) {
            assertThat(logs.messages())
                    .as(id)
                    .anyMatch(line ->
                            line.equals("Auth0 log " + id + " sent to " + deadLetters + ": event_time_out_of_range"));
        }
        assertThat(logs.messages()).noneMatch(line -> line.contains("auth0|time") || line.contains("1969-12-31"));
    }

    /** The task's dead-letters-total for {@code code}, as the worker's JMX reporter shows it. */
    private static double deadLetterCount(String connector, String code) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names =
                server.queryNames(new ObjectName("kafka.connect:type=plugins,connector=" + connector + ",*"), null);
        ObjectName name = names.stream()
                .filter(n -> code.equals(n.getKeyProperty("reason")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no dead-letters-total for " + code + " among " + names));
        return ((Number) server.getAttribute(name, "dead-letters-total")).doubleValue();
    }

    /** The task's plugin metric {@code metric} (with {@code tag=value} when a tag is given), from JMX. */
    private static double pluginMetric(String connector, String metric, String tag, String value) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names =
                server.queryNames(new ObjectName("kafka.connect:type=plugins,connector=" + connector + ",*"), null);
        for (ObjectName name : names) {
            if (tag == null
                    ? name.getKeyProperty("reason") == null && name.getKeyProperty("code") == null
                    : value.equals(name.getKeyProperty(tag))) {
                try {
                    return ((Number) server.getAttribute(name, metric)).doubleValue();
                } catch (javax.management.AttributeNotFoundException elsewhere) {
                    // Another metric under the same tags.
                }
            }
        }
        throw new AssertionError("no " + metric + " " + tag + "=" + value + " among " + names);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static void awaitRequests(String url, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (auth0.findAll(getRequestedFor(urlEqualTo(url))).size() < count) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("Auth0 did not see " + count + " requests of " + url + " within 30 s");
            }
            Thread.sleep(100);
        }
    }
}
