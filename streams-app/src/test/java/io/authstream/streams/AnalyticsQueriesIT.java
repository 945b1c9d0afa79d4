package io.authstream.streams;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authstream.enrich.testing.TestDatabases;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Outcome;
import io.authstream.schemas.deadletter.DeadLetterHeaders;
import io.authstream.schemas.serde.AvroSerializer;
import io.authstream.schemas.testing.SampleEvents;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two instances of the Streams app share the partitions; either answers any analytics query,
 * from its own stores or by asking the instance that holds the metric.
 */
@ExtendWith(StackExtension.class)
class AnalyticsQueriesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Instant DAY = Instant.parse("2025-06-01T00:00:00Z");
    private static final int PROVIDERS = 30;

    private final TestStack stack;

    AnalyticsQueriesIT(TestStack stack) {
        this.stack = stack;
    }

    private StreamsAppConfig config(String applicationId) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
        env.put("SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl());
        env.put("GEOIP_DATABASE", TestDatabases.geoIpDatabaseSetting());
        env.put("STREAMS_APPLICATION_ID", applicationId);
        env.put("STREAMS_STATE_DIR", Files.createTempDirectory("analytics-it").toString());
        env.put("STREAMS_HTTP_PORT", "0");
        env.put("REORDER_GRACE_MS", "500");
        env.put("REORDER_PUNCTUATE_MS", "100");
        env.put("KAFKA_STREAMS_COMMIT_INTERVAL_MS", "100");
        return StreamsAppConfig.fromEnvironment(env);
    }

    @Test
    void eitherInstanceAnswersEveryMetricFromWhereverItLives() throws Exception {
        stack.createTopics(Topics.ALL, 3);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String applicationId = "analytics-it-" + run;
        // Provider i gets i % 3 + 1 sign-ins of distinct users: 30 keys spread over the partitions.
        List<AuthEvent> events = new ArrayList<>();
        Map<String, Integer> expected = new HashMap<>();
        for (int p = 0; p < PROVIDERS; p++) {
            String provider = "idp-" + run + "-" + p;
            for (int n = 0; n <= p % 3; n++) {
                String user = "auth0|" + run + "-" + p + "-" + n;
                Instant at = DAY.plusSeconds(36_000 + p * 10L + n);
                events.add(AuthEvent.newBuilder(SampleEvents.full())
                        .setEventId(run + "-" + p + "-" + n)
                        .setUserId(user)
                        .setType("user.signed_in")
                        .setOutcome(Outcome.SUCCESS)
                        .setProvider(provider)
                        .setOccurredAt(at)
                        .setReceivedAt(at)
                        .build());
                expected.merge(provider, 1, Integer::sum);
            }
        }

        try (StreamsApp a = StreamsApp.start(config(applicationId));
                StreamsApp b = StreamsApp.start(config(applicationId))) {
            AvroSerializer<AuthEvent> serializer = new AvroSerializer<>(stack.serdeConfig(), false);
            stack.produce(Topics.AUTH_EVENTS_RAW.name(), (topic, event) -> serializer.serialize(topic, event), events);

            Set<String> servedBy = new HashSet<>();
            for (Map.Entry<String, Integer> provider : expected.entrySet()) {
                JsonNode answer = awaitCount(
                        a,
                        "/analytics/sign_ins?granularity=day&from=" + DAY + "&to=" + DAY + "&dimension=provider%3D"
                                + provider.getKey(),
                        provider.getValue());
                assertThat(answer.get("dimension").asText()).isEqualTo("provider=" + provider.getKey());
                assertThat(answer.get("rollups").get(0).get("windowStart").asText())
                        .isEqualTo(DAY.toString());
                servedBy.add(answer.get("servedBy").asText());
            }
            assertThat(servedBy)
                    .as("answers came from both instances, through the one asked")
                    .hasSize(2);

            // The daily distinct-users sketch lives on one instance; ask the other one too.
            for (StreamsApp asked : List.of(a, b)) {
                JsonNode active = awaitCount(
                        asked,
                        "/analytics/active_users?granularity=day&from=" + DAY + "&to=" + DAY,
                        events.size(),
                        () -> "records dropped: a " + droppedRecords(a) + ", b " + droppedRecords(b)
                                + "; dead letters: " + deadLetterReasons());
                assertThat(active.get("rollups").get(0).get("relativeError").asDouble())
                        .isLessThan(0.001);
            }

            HttpResponse<String> bad = get(a, "/analytics/sign_ins?granularity=week");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("granularity of sign_ins must be one of [hour, day], got 'week'");
            HttpResponse<String> unknown = get(b, "/analytics/logins");
            assertThat(unknown.statusCode()).isEqualTo(400);
            assertThat(unknown.body()).contains("unknown metric 'logins'");
        }
    }

    private static HttpResponse<String> get(StreamsApp app, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(app.httpUrl() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The reasons on the dead-letter topic, for a failure's message: a record an exception handler set aside. */
    private List<String> deadLetterReasons() {
        return stack.consumeAll(Topics.AUTH_EVENTS_DEADLETTER.name(), new ByteArrayDeserializer()).stream()
                .map(record -> {
                    Header reason = record.headers().lastHeader(DeadLetterHeaders.REASON);
                    return record.topic() + " " + (reason == null ? "(no reason)" : new String(reason.value(), UTF_8));
                })
                .toList();
    }

    /** Kafka Streams' own count of records it dropped (late for a window, or unreadable), by task; for a failure's message. */
    private static Map<String, Object> droppedRecords(StreamsApp app) {
        Map<String, Object> dropped = new TreeMap<>();
        app.streams().metrics().forEach((name, metric) -> {
            if (name.name().equals("dropped-records-total") && ((Number) metric.metricValue()).doubleValue() > 0) {
                dropped.put(name.tags().get("task-id"), metric.metricValue());
            }
        });
        return dropped;
    }

    private static JsonNode awaitCount(StreamsApp app, String path, long count) throws Exception {
        return awaitCount(app, path, count, () -> "");
    }

    /** Polls until the first window's count is {@code count} (processing, rebalances and caches settle). */
    private static JsonNode awaitCount(StreamsApp app, String path, long count, Supplier<String> diagnostics)
            throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<String> response = get(app, path);
            last = response.statusCode() + " " + response.body();
            if (response.statusCode() == 200) {
                JsonNode answer = JSON.readTree(response.body());
                if (answer.get("rollups").size() > 0
                        && answer.get("rollups").get(0).get("count").asLong() == count) {
                    return answer;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("GET " + path + " did not show " + count + " within 60 s; last answer: " + last + "; "
                + diagnostics.get());
    }
}
