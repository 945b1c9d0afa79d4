package io.authstream.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authstream.fixtures.Samples;
import io.authstream.normalize.Auth0LogNormalizer;
import io.authstream.normalize.EventKeys;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.deadletter.DeadLetterHeaders;
import io.authstream.schemas.serde.AvroDeserializer;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every ingest route on the real broker and registry: what is posted is what is read back, exactly. */
@ExtendWith(StackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestRoutesIT {

    private static final String AUTHORIZATION = "Bearer it-log-stream-secret";
    private static final String EVENT_STREAM_TOKEN = "it-event-stream-token";
    private static final String EVENT_STREAM_PASSWORD = "it-event-stream-password";
    private static final String EVENTBRIDGE_KEY = "it-eventbridge-key";
    private static final String EVENTBRIDGE_PASSWORD = "it-eventbridge-password";
    private static final String ACTIONS_KEY = "it-actions-api-key";
    private static final String LOG_STREAM_HEADER_VALUE = "it-log-stream-custom-header-value";
    private static final String EVENT_STREAM_HEADER_VALUE = "it-event-stream-custom-header-value";
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final TestStack stack;
    private TestGateway gateway;
    private final Map<Integer, Long> startOffsets = new HashMap<>();

    IngestRoutesIT(TestStack stack) {
        this.stack = stack;
    }

    @BeforeAll
    void startGateway() {
        Map<String, String> env = new HashMap<>();
        env.put("GATEWAY_MAX_BODY_BYTES", "65536");
        env.put("GATEWAY_ACK_TIMEOUT_MS", "1500");
        env.put("GATEWAY_RETRY_AFTER_SECONDS", "2");
        env.put("KAFKA_PRODUCER_MAX_BLOCK_MS", "1000");
        env.put("AUTH0_LOG_STREAM_AUTHORIZATION", AUTHORIZATION);
        env.put("AUTH0_EVENT_STREAM_BEARER_TOKEN", EVENT_STREAM_TOKEN);
        env.put("AUTH0_EVENT_STREAM_BASIC_AUTH", "auth0:" + EVENT_STREAM_PASSWORD);
        env.put("AUTH0_LOG_STREAM_CUSTOM_HEADER", "X-Auth0-Log-Token: " + LOG_STREAM_HEADER_VALUE);
        env.put("AUTH0_EVENT_STREAM_CUSTOM_HEADER", "X-Auth0-Stream-Token: " + EVENT_STREAM_HEADER_VALUE);
        env.put("EVENTBRIDGE_API_KEY", EVENTBRIDGE_KEY);
        env.put("EVENTBRIDGE_BASIC_AUTH", "eventbridge:" + EVENTBRIDGE_PASSWORD);
        env.put("AUTH0_ACTIONS_API_KEY", ACTIONS_KEY);
        gateway = TestGateway.start(stack, env, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @BeforeEach
    void markTheEndOfTheRawTopic() {
        startOffsets.clear();
        for (ConsumerRecord<String, byte[]> record :
                stack.consumeAll(Topics.AUTH_EVENTS_RAW.name(), new ByteArrayDeserializer())) {
            startOffsets.merge(record.partition(), record.offset() + 1, Math::max);
        }
    }

    @AfterAll
    void stopGateway() {
        gateway.close();
    }

    @Test
    void everyLogStreamSampleIsReadBackExactly() throws Exception {
        List<String> samples = Samples.list("log-stream");
        for (String sample : samples) {
            HttpResponse<String> response = post(Samples.bytes(sample), AUTHORIZATION);
            assertThat(response.statusCode()).as(sample).isEqualTo(200);
            assertThat(JSON.readTree(response.body()).path("accepted").asInt()).isEqualTo(1);
        }
        Map<String, AuthEvent> expected =
                samples.stream().map(IngestRoutesIT::expected).collect(Collectors.toMap(AuthEvent::getEventId, e -> e));
        Map<String, ConsumerRecord<String, AuthEvent>> read = readRaw(expected.keySet());
        for (AuthEvent event : expected.values()) {
            ConsumerRecord<String, AuthEvent> record = read.get(event.getEventId());
            assertThat(record.value()).isEqualTo(event);
            assertThat(record.key()).isEqualTo(EventKeys.of(event));
        }
    }

    @Test
    void jsonArrayAndJsonLinesBodiesAreSplitIntoEvents() throws Exception {
        for (String body : List.of(
                "wire-bodies/401_JSONARRAY_body_5events.json", "wire-bodies/402_JSONLINES_body_5events.jsonl")) {
            HttpResponse<String> response = post(Samples.bytes(body), AUTHORIZATION);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(response.body()).path("accepted").asInt())
                    .as(body)
                    .isEqualTo(5);
            assertThat(JSON.readTree(response.body()).path("deadLettered").asInt())
                    .isZero();
        }
        JsonNode array = JSON.readTree(Samples.bytes("wire-bodies/401_JSONARRAY_body_5events.json"));
        Set<String> ids = new java.util.HashSet<>();
        array.forEach(e -> ids.add(e.path("log_id").asText()));
        // Both bodies carry the same five events: each arrives twice, once per delivery.
        Map<String, List<ConsumerRecord<String, AuthEvent>>> copies = readRawCopies(ids);
        assertThat(copies).hasSize(5);
        copies.forEach((id, records) -> assertThat(records).as(id).hasSize(2));
    }

    @Test
    void aPartlyUnparseableBatchPublishesTheGoodAndDeadLettersTheRest() throws Exception {
        String good1 =
                "{\"log_id\":\"it-partial-1\",\"data\":{\"type\":\"s\",\"date\":\"2025-05-01T10:00:00Z\",\"user_id\":\"auth0|p1\"}}";
        String broken = "{\"log_id\":\"it-partial-2\", \"data\": {oops}}";
        String badDate = "{\"log_id\":\"it-partial-3\",\"data\":{\"type\":\"s\",\"date\":\"last tuesday\"}}";
        String good2 =
                "{\"log_id\":\"it-partial-4\",\"data\":{\"type\":\"zz_future\",\"date\":\"2025-05-01T10:00:01Z\"}}";
        HttpResponse<String> response =
                post(String.join("\n", good1, broken, badDate, good2).getBytes(StandardCharsets.UTF_8), AUTHORIZATION);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.path("accepted").asInt()).isEqualTo(2);
        assertThat(answer.path("deadLettered").asInt()).isEqualTo(2);

        assertThat(readRaw(Set.of("it-partial-1", "it-partial-4"))).hasSize(2);
        Map<String, String> reasons = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : allDeadLetters()) {
            if (record.key().equals(GatewayServer.SOURCE_LOG_STREAM)) {
                reasons.put(
                        new String(record.value(), StandardCharsets.UTF_8),
                        new String(
                                record.headers()
                                        .lastHeader(DeadLetterHeaders.REASON)
                                        .value(),
                                StandardCharsets.UTF_8));
            }
        }
        assertThat(reasons.get(broken)).startsWith("malformed_json: line 2 is not valid JSON");
        assertThat(reasons.get(badDate))
                .startsWith("invalid_event: ")
                .contains("not an ISO-8601 timestamp: last tuesday");
    }

    @Test
    void wrongOrMissingCredentialsAre401AndPublishNothing() throws Exception {
        byte[] body = "{\"log_id\":\"it-unauth-1\",\"data\":{\"type\":\"s\"}}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> wrong = post(body, "Bearer guess");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(wrong.body()).path("error").asText()).isEqualTo("unauthorized");
        assertThat(JSON.readTree(wrong.body()).path("message").asText())
                .contains("the configured Authorization header");
        assertThat(wrong.body()).doesNotContain("it-log-stream-secret");
        // The value is compared verbatim: the secret without the "Bearer " the tenant configured is wrong too.
        assertThat(post(body, "it-log-stream-secret").statusCode()).isEqualTo(401);
        assertThat(post(body, null).statusCode()).isEqualTo(401);
    }

    @Test
    void malformedAndOversizedBodiesAreRefused() throws Exception {
        HttpResponse<String> malformed = post("[{\"log_id\":1},".getBytes(StandardCharsets.UTF_8), AUTHORIZATION);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(malformed.body()).path("message").asText()).contains("not valid JSON");

        byte[] huge = ("[" + "{\"log_id\":\"x\",\"data\":{\"type\":\"s\"}},".repeat(3000) + "{}]")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> tooLarge = post(huge, AUTHORIZATION);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(tooLarge.body()).path("message").asText()).contains("65536");
    }

    @Test
    void brokerDownGives503WithRetryAfterThenSucceedsOnceItIsBack() throws Exception {
        Assumptions.assumeTrue(stack.kafka().canStop(), "needs a broker this test can stop");
        byte[] body =
                "{\"log_id\":\"it-outage-1\",\"data\":{\"type\":\"s\",\"date\":\"2025-06-01T00:00:00Z\",\"user_id\":\"auth0|o\"}}"
                        .getBytes(StandardCharsets.UTF_8);
        stack.kafka().stop();
        try {
            HttpResponse<String> down = post(body, AUTHORIZATION);
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.headers().firstValue("Retry-After")).contains("2");
            assertThat(JSON.readTree(down.body()).path("error").asText()).isEqualTo("unavailable");
            assertThat(HTTP.send(
                                    HttpRequest.newBuilder(URI.create(gateway.url() + "/health/ready"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(503);
        } finally {
            stack.kafka().restart();
        }
        HttpResponse<String> back = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            back = post(body, AUTHORIZATION);
            if (back.statusCode() == 200) {
                break;
            }
            Thread.sleep(Long.parseLong(back.headers().firstValue("Retry-After").orElse("1")) * 500);
        }
        assertThat(back.statusCode()).isEqualTo(200);
        // At least once: the copy Kafka buffered during the outage may land as well as the retry; dedup downstream
        // drops it.
        assertThat(readRawCopies(Set.of("it-outage-1")).get("it-outage-1")).isNotEmpty();
        assertThat(HTTP.send(
                                HttpRequest.newBuilder(URI.create(gateway.url() + "/health/ready"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);
    }

    /** Auth0's third webhook authorization: a custom header, on both webhook routes, compared like the others. */
    @Test
    void bothWebhookRoutesTakeTheirCustomHeader() throws Exception {
        byte[] body =
                "{\"log_id\":\"it-custom-header-1\",\"data\":{\"type\":\"s\",\"date\":\"2026-11-23T09:59:00.000Z\",\"user_id\":\"auth0|custom\"}}"
                        .getBytes(StandardCharsets.UTF_8);
        assertThat(post(GatewayServer.LOG_STREAM_PATH, body, Map.of("x-auth0-log-token", LOG_STREAM_HEADER_VALUE))
                        .statusCode())
                .as("header names are case-insensitive")
                .isEqualTo(200);
        assertThat(readRaw(Set.of("it-custom-header-1"))).containsOnlyKeys("it-custom-header-1");
        HttpResponse<String> wrong = post(
                GatewayServer.LOG_STREAM_PATH, body, Map.of("X-Auth0-Log-Token", "it-log-stream-custom-header-valuX"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body())
                .contains("the configured Authorization header or X-Auth0-Log-Token: <the configured value>")
                .doesNotContain(LOG_STREAM_HEADER_VALUE);
        assertThat(post(GatewayServer.LOG_STREAM_PATH, body, Map.of("X-Auth0-Stream-Token", EVENT_STREAM_HEADER_VALUE))
                        .statusCode())
                .as("the other route's header")
                .isEqualTo(401);

        byte[] cloudEvent = Samples.bytes(Samples.list("event-streams").get(0));
        assertThat(post(
                                GatewayServer.EVENT_STREAM_PATH,
                                cloudEvent,
                                Map.of("X-Auth0-Stream-Token", EVENT_STREAM_HEADER_VALUE))
                        .statusCode())
                .isEqualTo(200);
        assertThat(post(GatewayServer.EVENT_STREAM_PATH, cloudEvent, Map.of("X-Auth0-Stream-Token", "guess"))
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void eventStreamsCloudEventsAreReadBackWithBearerOrBasic() throws Exception {
        // Two of Auth0's schema examples share one CloudEvents id, so records are matched per id, in order.
        Map<String, List<AuthEvent>> expected = new HashMap<>();
        List<Map<String, String>> auths = List.of(
                Map.of("Authorization", "Bearer " + EVENT_STREAM_TOKEN),
                Map.of("Authorization", basic("auth0:" + EVENT_STREAM_PASSWORD)));
        int i = 0;
        for (String sample : Samples.list("event-streams")) {
            HttpResponse<String> response =
                    post(GatewayServer.EVENT_STREAM_PATH, Samples.bytes(sample), auths.get(i++ % 2));
            assertThat(response.statusCode()).as(sample).isEqualTo(200);
            String raw = new String(Samples.bytes(sample), StandardCharsets.UTF_8).strip();
            AuthEvent event = io.authstream.normalize.EventStreamNormalizer.normalize(
                    JSON.readTree(raw), raw, GatewayServer.SOURCE_EVENT_STREAM, NOW);
            expected.computeIfAbsent(event.getEventId(), k -> new java.util.ArrayList<>())
                    .add(event);
        }
        readRawCopies(expected.keySet()).forEach((id, records) -> {
            assertThat(records).extracting(ConsumerRecord::value).containsExactlyElementsOf(expected.get(id));
            records.forEach(r -> assertThat(r.key()).isEqualTo(EventKeys.of(r.value())));
        });
        assertThat(post(
                                GatewayServer.EVENT_STREAM_PATH,
                                Samples.bytes(Samples.list("event-streams").get(0)),
                                Map.of("Authorization", "Bearer nope"))
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void eventBridgeEnvelopesAreDeduplicatedOnTheAuth0LogId() throws Exception {
        Map<String, AuthEvent> expected = new HashMap<>();
        for (String sample : Samples.list("eventbridge")) {
            HttpResponse<String> response =
                    post(GatewayServer.EVENTBRIDGE_PATH, Samples.bytes(sample), Map.of("x-api-key", EVENTBRIDGE_KEY));
            assertThat(response.statusCode()).as(sample).isEqualTo(200);
            String raw = new String(Samples.bytes(sample), StandardCharsets.UTF_8).strip();
            AuthEvent event = io.authstream.normalize.EventBridgeNormalizer.normalize(
                    JSON.readTree(raw), raw, GatewayServer.SOURCE_EVENTBRIDGE, NOW);
            assertThat(event.getEventId())
                    .isEqualTo(JSON.readTree(raw).path("detail").path("log_id").asText());
            expected.put(event.getEventId(), event);
        }
        readRaw(expected.keySet())
                .forEach((id, record) -> assertThat(record.value()).isEqualTo(expected.get(id)));
    }

    @Test
    void appEventsThroughEventBridgeWithBasicAuth() throws Exception {
        String envelope = """
                {"version":"0","id":"eb-app-1","detail-type":"user.signed_in","source":"com.example.token-exchange",
                 "time":"2025-07-01T08:00:00Z","detail":{"eventId":"app-evt-42","userId":"google-oauth2|777",
                 "email":"ann@example.com","displayName":"Ann","photoURL":"https://example.com/ann.png",
                 "provider":"google.com","timestamp":"2025-07-01T07:59:59.123Z"}}""";
        HttpResponse<String> response = post(
                GatewayServer.EVENTBRIDGE_PATH,
                envelope.getBytes(StandardCharsets.UTF_8),
                Map.of("Authorization", basic("eventbridge:" + EVENTBRIDGE_PASSWORD)));
        assertThat(response.statusCode()).isEqualTo(200);
        AuthEvent event =
                readRaw(Set.of("app:app-evt-42")).get("app:app-evt-42").value();
        assertThat(event.getType()).isEqualTo("user.signed_in");
        assertThat(event.getUserId()).isEqualTo("google-oauth2|777");
        assertThat(event.getPhotoUrl()).isEqualTo("https://example.com/ann.png");
        assertThat(event.getProvider()).isEqualTo("google.com");
        assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2025-07-01T07:59:59.123Z"));
        assertThat(event.getSource()).isEqualTo(GatewayServer.SOURCE_EVENTBRIDGE);
        assertThat(post(
                                GatewayServer.EVENTBRIDGE_PATH,
                                envelope.getBytes(StandardCharsets.UTF_8),
                                Map.of("x-api-key", "wrong"))
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void eventTimesOutOfRangeAreDeadLetteredWithTheirReasonAndCounted() throws Exception {
        // The record that stopped the Streams app: answered 200 {"accepted":1} before.
        Map<String, String> dates = Map.of(
                "it-time-2031",
                "\"2031-01-01T00:00:00.000Z\"",
                "it-time-1969",
                "\"1969-12-31T23:59:59Z\"",
                "it-time-max",
                Long.toString(Long.MAX_VALUE),
                "it-time-hour",
                "\"2026-11-23T11:00:00Z\"");
        StringBuilder body = new StringBuilder();
        dates.forEach((id, date) -> body.append("{\"log_id\":\"")
                .append(id)
                .append("\",\"data\":{\"type\":\"f\",\"date\":")
                .append(date)
                .append(",\"user_id\":\"auth0|time\"}}\n"));
        body.append(
                "{\"log_id\":\"it-time-ok\",\"data\":{\"type\":\"s\",\"date\":\"2021-11-03T10:12:31.000Z\",\"user_id\":\"auth0|time\"}}");
        HttpResponse<String> response = post(body.toString().getBytes(StandardCharsets.UTF_8), AUTHORIZATION);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("accepted").asInt()).isEqualTo(1);
        assertThat(JSON.readTree(response.body()).path("deadLettered").asInt()).isEqualTo(4);
        assertThat(readRaw(Set.of("it-time-ok"))).containsKey("it-time-ok");
        Map<String, ConsumerRecord<String, byte[]>> dead = deadLettersByLogId(dates.keySet());
        assertThat(dead).hasSize(4).allSatisfy((id, record) -> {
            assertThat(header(record, DeadLetterHeaders.CODE)).as(id).isEqualTo("event_time_out_of_range");
            assertThat(header(record, DeadLetterHeaders.REASON))
                    .as(id)
                    .startsWith("event_time_out_of_range: event time ");
        });
        assertThat(header(dead.get("it-time-hour"), DeadLetterHeaders.REASON))
                .contains("1 h 0 min ahead of its receive time");
        assertThat(scrape())
                .contains("authstream_gateway_dead_letters_total{reason=\"event_time_out_of_range\","
                        + "source=\"auth0.log-stream\"}");
    }

    @Test
    void fieldsTooLargeForTheirDestinationAreDeadLetteredByName() throws Exception {
        String longUser =
                "{\"log_id\":\"it-large-1\",\"data\":{\"type\":\"s\",\"date\":\"2026-11-23T09:00:00Z\",\"user_id\":\"auth0|"
                        + "x".repeat(3000) + "\"}}";
        HttpResponse<String> response = post(longUser.getBytes(StandardCharsets.UTF_8), AUTHORIZATION);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("deadLettered").asInt()).isEqualTo(1);
        assertThat(header(deadLettersByLogId(Set.of("it-large-1")).get("it-large-1"), DeadLetterHeaders.REASON))
                .isEqualTo("field_too_large: userId is 3006 bytes; a DynamoDB key takes at most 2048");
    }

    @Test
    void eachRouteTakesOnlyWhatItsSenderMaySay() throws Exception {
        // The relay: an Auth0 log record from a source that is not Auth0's partner event source, an app's user.deleted.
        String forgedLog = new String(
                        Samples.bytes("eventbridge/203_eb_fs_user-already-exists.json"), StandardCharsets.UTF_8)
                .replace("aws.partner/auth0.com/", "com.example.forger/");
        String deletion = """
                {"id":"eb-del-1","detail-type":"user.deleted","source":"com.example.app","time":"2026-11-23T09:00:00Z",
                 "detail":{"eventId":"it-scope-del","userId":"auth0|victim"}}""";
        for (String envelope : List.of(forgedLog, deletion)) {
            HttpResponse<String> relayed = post(
                    GatewayServer.EVENTBRIDGE_PATH,
                    envelope.getBytes(StandardCharsets.UTF_8),
                    Map.of("x-api-key", EVENTBRIDGE_KEY));
            assertThat(relayed.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(relayed.body()).path("accepted").asInt())
                    .as(envelope)
                    .isZero();
            assertThat(JSON.readTree(relayed.body()).path("deadLettered").asInt())
                    .as(envelope)
                    .isEqualTo(1);
        }
        // Actions: a subject cannot assert a deletion or a block.
        String message = "{\"username\":\"eve\",\"email\":\"eve@example.com\",\"user_id\":\"auth0|victim\"}";
        for (String subject : List.of("user.deleted", "user.blocked")) {
            HttpResponse<String> action = HTTP.send(
                    HttpRequest.newBuilder(URI.create(gateway.url() + GatewayServer.ACTIONS_PATH + "?subject=" + subject
                                    + "&message=" + enc(message)))
                            .header("x-api-key", ACTIONS_KEY)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(action.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(action.body()).path("deadLettered").asInt())
                    .as(subject)
                    .isEqualTo(1);
        }
        List<ConsumerRecord<String, byte[]>> refused = allDeadLetters().stream()
                .filter(r -> "not_allowed_on_route".equals(header(r, DeadLetterHeaders.CODE)))
                .toList();
        assertThat(refused)
                .extracting(r -> header(r, DeadLetterHeaders.REASON))
                .anyMatch(r -> r.contains("partner event source"))
                .anyMatch(r -> r.contains("\"user.deleted\" is reported only by Auth0"))
                .anyMatch(r -> r.contains("subject \"user.blocked\" names an event an Actions call cannot mean"));
        assertThat(readRawAll()).noneMatch(e -> "auth0|victim".equals(e.getUserId()));
    }

    @Test
    void aRecordKafkaCannotTakeIsAnswered413NeverA503TheSenderWouldRetryForever() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("GATEWAY_MAX_BODY_BYTES", "262144");
        env.put("KAFKA_PRODUCER_MAX_REQUEST_SIZE", "65536");
        env.put("AUTH0_LOG_STREAM_AUTHORIZATION", AUTHORIZATION);
        try (TestGateway small = TestGateway.start(stack, env, Clock.fixed(NOW, ZoneOffset.UTC))) {
            // A broken line is dead-lettered whole, and this one is larger than any record the producer sends.
            byte[] brokenLine =
                    ("{\"log_id\":\"it-413-0\",\"data\":{\"type\":\"s\",\"date\":\"2026-11-23T09:00:00Z\"}}\n"
                                    + "{\"log_id\":\"it-413-1\",\"data\":{" + "x".repeat(100_000) + "\n")
                            .getBytes(StandardCharsets.UTF_8);
            // An event within EVENT_MAX_BYTES that the producer still refuses.
            byte[] bigEvent = ("{\"log_id\":\"it-413-2\",\"data\":{\"type\":\"sapi\",\"date\":\"2026-11-23T09:00:00Z\","
                            + "\"details\":{\"body\":\"" + "y".repeat(100_000) + "\"}}}")
                    .getBytes(StandardCharsets.UTF_8);
            for (byte[] body : List.of(brokenLine, bigEvent)) {
                HttpResponse<String> response = HTTP.send(
                        HttpRequest.newBuilder(URI.create(small.url() + GatewayServer.LOG_STREAM_PATH))
                                .header("Authorization", AUTHORIZATION)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
                assertThat(JSON.readTree(response.body()).path("error").asText())
                        .isEqualTo("record_too_large");
                assertThat(response.headers().firstValue("Retry-After")).isEmpty();
            }
        }
        assertThat(readRawAll()).noneMatch(e -> e.getEventId().startsWith("it-413-"));
        assertThat(allDeadLetters()).noneMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains("it-413-"));
    }

    @Test
    void auth0ActionsGetRouteWithApiKey() throws Exception {
        String message = "{\"username\":\"bob\",\"email\":\"bob@example.com\",\"user_id\":\"auth0|bob1\"}";
        String query = "?topic=" + enc("arn:aws:sns:eu-west-1:123:signups") + "&subject=user.signed_up&message="
                + enc(message);
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(gateway.url() + GatewayServer.ACTIONS_PATH + query))
                        .header("x-api-key", ACTIONS_KEY)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        AuthEvent expected = io.authstream.normalize.ActionsNormalizer.normalize(
                "arn:aws:sns:eu-west-1:123:signups", "user.signed_up", message, GatewayServer.SOURCE_ACTIONS, NOW);
        assertThat(readRaw(Set.of(expected.getEventId()))
                        .get(expected.getEventId())
                        .value())
                .isEqualTo(expected);
        assertThat(expected.getEmail()).isEqualTo("bob@example.com");

        assertThat(HTTP.send(
                                HttpRequest.newBuilder(URI.create(gateway.url() + GatewayServer.ACTIONS_PATH + query))
                                        .GET()
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(401);
        HttpResponse<String> noMessage = HTTP.send(
                HttpRequest.newBuilder(URI.create(gateway.url() + GatewayServer.ACTIONS_PATH + "?topic=t"))
                        .header("x-api-key", ACTIONS_KEY)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noMessage.statusCode()).isEqualTo(400);
    }

    @Test
    void metricsCountRequestsEventsRejectsAndAckLatency() throws Exception {
        post(
                "{\"log_id\":\"it-metrics-1\",\"data\":{\"type\":\"s\",\"user_id\":\"auth0|m\"}}"
                        .getBytes(StandardCharsets.UTF_8),
                AUTHORIZATION);
        post("{}".getBytes(StandardCharsets.UTF_8), "Bearer wrong");
        String metrics = HTTP.send(
                        HttpRequest.newBuilder(URI.create(gateway.url() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics)
                .contains("authstream_gateway_events_total{source=\"auth0.log-stream\",type=\"user.signed_in\"}")
                .contains(
                        "authstream_gateway_rejects_total{reason=\"unauthorized\",route=\"/webhooks/auth0/log-stream\"}")
                .contains("authstream_gateway_requests_total{route=\"/webhooks/auth0/log-stream\",status=\"200\"}")
                .contains("authstream_gateway_ack_latency_seconds_count{route=\"/webhooks/auth0/log-stream\"}")
                .doesNotContain("it-log-stream-secret");
    }

    private static String enc(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    // ---- helpers ----

    private static AuthEvent expected(String sample) {
        try {
            String raw = new String(Samples.bytes(sample), StandardCharsets.UTF_8);
            // A single-object body is the event; the whitespace around it is not part of it.
            return Auth0LogNormalizer.normalize(JSON.readTree(raw), raw.strip(), GatewayServer.SOURCE_LOG_STREAM, NOW);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> post(byte[] body, String authorization) throws Exception {
        return post(
                GatewayServer.LOG_STREAM_PATH,
                body,
                authorization == null ? Map.of() : Map.of("Authorization", authorization));
    }

    private HttpResponse<String> post(String path, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String userInfo) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    /** The records of auth.events.raw with these event ids, exactly one each (the topic is shared with other tests). */
    private Map<String, ConsumerRecord<String, AuthEvent>> readRaw(Set<String> eventIds) {
        Map<String, List<ConsumerRecord<String, AuthEvent>>> found = readRawCopies(eventIds);
        found.forEach((id, copies) -> assertThat(copies).as("records of %s", id).hasSize(1));
        return found.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(0)));
    }

    /**
     * Records written since this test began: the same sample event is posted by several tests
     * (at least once is the contract), so each test only looks past its own starting offset.
     */
    private Map<String, List<ConsumerRecord<String, AuthEvent>>> readRawCopies(Set<String> eventIds) {
        long deadline = System.currentTimeMillis() + 30_000;
        Map<String, List<ConsumerRecord<String, AuthEvent>>> found;
        do {
            found = stack
                    .consumeAll(
                            Topics.AUTH_EVENTS_RAW.name(), new AvroDeserializer<>(AuthEvent.class, stack.serdeConfig()))
                    .stream()
                    .filter(r -> r.offset() >= startOffsets.getOrDefault(r.partition(), 0L))
                    .filter(r -> eventIds.contains(r.value().getEventId()))
                    .collect(Collectors.groupingBy(r -> r.value().getEventId()));
        } while (found.size() < eventIds.size() && System.currentTimeMillis() < deadline);
        assertThat(found.keySet()).containsExactlyInAnyOrderElementsOf(eventIds);
        return found;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The dead letters whose payload is a log record with one of {@code logIds}, by log id. */
    private Map<String, ConsumerRecord<String, byte[]>> deadLettersByLogId(Set<String> logIds) throws Exception {
        Map<String, ConsumerRecord<String, byte[]>> found = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : allDeadLetters()) {
            JsonNode payload;
            try {
                payload = JSON.readTree(record.value());
            } catch (IOException e) {
                continue;
            }
            String id = payload == null ? null : payload.path("log_id").asText(null);
            if (id != null && logIds.contains(id)) {
                found.put(id, record);
            }
        }
        return found;
    }

    private List<AuthEvent> readRawAll() {
        return stack
                .consumeAll(Topics.AUTH_EVENTS_RAW.name(), new AvroDeserializer<>(AuthEvent.class, stack.serdeConfig()))
                .stream()
                .map(ConsumerRecord::value)
                .toList();
    }

    private String scrape() throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(gateway.url() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private List<ConsumerRecord<String, byte[]>> allDeadLetters() {
        return stack.consumeAll(Topics.AUTH_EVENTS_DEADLETTER.name(), new ByteArrayDeserializer());
    }
}
