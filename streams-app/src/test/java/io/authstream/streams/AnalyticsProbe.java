package io.authstream.streams;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authstream.enrich.testing.TestDatabases;
import io.authstream.schemas.Topics;
import io.authstream.schemas.deadletter.DeadLetterHeaders;
import io.authstream.teststack.TestStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The analytics ITs' way to a Streams app: its settings, its HTTP API, and what to say when a count does not come. */
final class AnalyticsProbe {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private AnalyticsProbe() {}

    static StreamsAppConfig config(TestStack stack, String applicationId) throws Exception {
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

    /** Kafka Streams' dropped records, the dead letters and the analytics changelogs' offsets of {@code apps}. */
    static String diagnostics(TestStack stack, String applicationId, StreamsApp... apps) {
        StringBuilder text = new StringBuilder("records dropped:");
        for (StreamsApp app : apps) {
            text.append(' ').append(droppedRecords(app));
        }
        return text.append("; dead letters: ")
                .append(deadLetterReasons(stack))
                .append("; changelogs: ")
                .append(changelogOffsets(stack, applicationId))
                .toString();
    }

    static HttpResponse<String> get(StreamsApp app, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(app.httpUrl() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Each analytics changelog partition's first and next offset, for a failure's message. */
    private static String changelogOffsets(TestStack stack, String applicationId) {
        try {
            List<String> topics = stack.admin().listTopics().names().get().stream()
                    .filter(name -> name.startsWith(applicationId + "-analytics") && name.endsWith("-changelog"))
                    .sorted()
                    .toList();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (var description :
                    stack.admin().describeTopics(topics).allTopicNames().get().values()) {
                description.partitions().forEach(partition -> {
                    var tp = new TopicPartition(description.name(), partition.partition());
                    earliest.put(tp, OffsetSpec.earliest());
                    latest.put(tp, OffsetSpec.latest());
                });
            }
            var first = stack.admin().listOffsets(earliest).all().get();
            var next = stack.admin().listOffsets(latest).all().get();
            return new TreeMap<>(first.keySet().stream()
                            .collect(Collectors.toMap(
                                    Object::toString,
                                    tp -> first.get(tp).offset() + ".."
                                            + next.get(tp).offset())))
                    .toString();
        } catch (Exception e) {
            return "(" + e + ")";
        }
    }

    /** The reasons on the dead-letter topic, for a failure's message: a record an exception handler set aside. */
    private static List<String> deadLetterReasons(TestStack stack) {
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

    static JsonNode awaitCount(StreamsApp app, String path, long count) throws Exception {
        return awaitCount(app, path, count, () -> "");
    }

    /** Polls until the first window's count is {@code count} (processing, rebalances and caches settle). */
    static JsonNode awaitCount(StreamsApp app, String path, long count, Supplier<String> diagnostics) throws Exception {
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
