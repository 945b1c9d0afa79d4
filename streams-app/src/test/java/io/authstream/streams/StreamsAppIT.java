package io.authstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.enrich.testing.TestDatabases;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Outcome;
import io.authstream.schemas.avro.UserProfile;
import io.authstream.schemas.serde.AvroDeserializer;
import io.authstream.schemas.serde.AvroSerializer;
import io.authstream.schemas.testing.SampleEvents;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The streams app, exactly-once, on the real broker and registry: dedup, reorder, profiles, poison records. */
@ExtendWith(StackExtension.class)
class StreamsAppIT {

    private static final Instant T0 = Instant.parse("2025-04-01T08:00:00Z");

    private final TestStack stack;

    StreamsAppIT(TestStack stack) {
        this.stack = stack;
    }

    private static AuthEvent signIn(String id, String user, long seconds) {
        return AuthEvent.newBuilder(SampleEvents.full())
                .setEventId(id)
                .setUserId(user)
                .setType("user.signed_in")
                .setOutcome(Outcome.SUCCESS)
                .setOccurredAt(T0.plusSeconds(seconds))
                .setReceivedAt(T0.plusSeconds(seconds))
                .build();
    }

    @Test
    void dedupReorderProfilesAndPoisonRecordsOnTheRealBroker() throws Exception {
        stack.createTopics(Topics.ALL, 3);
        String user = TestStack.uniqueTopic("auth0|it");
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
        env.put("SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl());
        env.put("GEOIP_DATABASE", TestDatabases.geoIpDatabaseSetting());
        env.put("STREAMS_APPLICATION_ID", TestStack.uniqueTopic("streams-it"));
        env.put("STREAMS_STATE_DIR", Files.createTempDirectory("streams-it").toString());
        env.put("REORDER_GRACE_MS", "1000");
        env.put("REORDER_PUNCTUATE_MS", "200");
        env.put("KAFKA_STREAMS_COMMIT_INTERVAL_MS", "100");
        env.put("STREAMS_HTTP_PORT", "0");
        StreamsAppConfig config = StreamsAppConfig.fromEnvironment(env);

        Map<String, Object> producerConfig = stack.clientConfig();
        producerConfig.put("acks", "all");
        AvroSerializer<AuthEvent> events = new AvroSerializer<>(stack.serdeConfig(), false);
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer())) {
            for (AuthEvent event : List.of(signIn("it-2", user, 2), signIn("it-1", user, 1), signIn("it-1", user, 1))) {
                producer.send(new ProducerRecord<>(
                                Topics.AUTH_EVENTS_RAW.name(),
                                user,
                                events.serialize(Topics.AUTH_EVENTS_RAW.name(), event)))
                        .get();
            }
            producer.send(new ProducerRecord<>(
                            Topics.AUTH_EVENTS_RAW.name(), user, "not avro at all".getBytes(StandardCharsets.UTF_8)))
                    .get();
            producer.send(new ProducerRecord<>(
                            Topics.AUTH_EVENTS_RAW.name(),
                            user,
                            events.serialize(Topics.AUTH_EVENTS_RAW.name(), signIn("it-3", user, 3))))
                    .get();
        }

        try (StreamsApp app = StreamsApp.start(config)) {
            List<AuthEvent> ordered = waitFor(Topics.AUTH_EVENTS_ORDERED.name(), user, 3);
            assertThat(ordered).extracting(AuthEvent::getEventId).containsExactly("it-1", "it-2", "it-3");

            List<ConsumerRecord<String, UserProfile>> profiles = stack
                    .consumeAll(
                            Topics.AUTH_PROFILES.name(), new AvroDeserializer<>(UserProfile.class, stack.serdeConfig()))
                    .stream()
                    .filter(r -> user.equals(r.key()))
                    .toList();
            UserProfile profile = profiles.get(profiles.size() - 1).value();
            assertThat(profile.getLoginCount()).isEqualTo(3);
            assertThat(profile.getCreatedAt()).isEqualTo(T0.plusSeconds(1));
            assertThat(profile.getLastLoginDate()).isEqualTo(T0.plusSeconds(3));

            List<ConsumerRecord<String, String>> dead =
                    stack.consumeAll(Topics.AUTH_EVENTS_DEADLETTER.name(), new StringDeserializer()).stream()
                            .filter(r -> "not avro at all".equals(r.value()))
                            .toList();
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).headers().toArray()).isNotEmpty();

            assertThat(get(app.httpUrl() + "/health/live")).startsWith("200 ");
            assertThat(get(app.httpUrl() + "/health/ready")).isEqualTo("200 {\"status\":\"UP\",\"state\":\"RUNNING\"}");
            // Task metrics reach the registry at its next refresh after the assignment.
            String metrics = get(app.httpUrl() + "/metrics");
            for (long deadline = System.currentTimeMillis() + 15_000;
                    !metrics.contains("dedup_dropped") && System.currentTimeMillis() < deadline;
                    Thread.sleep(500)) {
                metrics = get(app.httpUrl() + "/metrics");
            }
            assertThat(sum(metrics, "kafka_authstream_streams_dedup_dropped_duplicates_total"))
                    .isEqualTo(1.0);
            assertThat(sum(metrics, "kafka_authstream_streams_reorder_late_events_total"))
                    .isEqualTo(0.0);
            assertThat(metrics).contains("kafka_stream_thread_process_total");
            assertThat(metrics)
                    .contains("authstream_streams_state{state=\"RUNNING\"} 1.0\n")
                    .contains("authstream_streams_state{state=\"ERROR\"} 0.0\n")
                    .contains("authstream_streams_state{state=\"REBALANCING\"} 0.0\n");
            // Each ordered event's time from receipt: the three were received (T0 + 1..3 s) before now.
            assertThat(sum(metrics, "authstream_streams_end_to_end_latency_seconds_count"))
                    .isEqualTo(3.0);
            assertThat(sum(metrics, "authstream_streams_end_to_end_latency_seconds_sum"))
                    .isGreaterThan(3
                                    * Duration.between(T0.plusSeconds(3), Instant.now())
                                            .toSeconds()
                            - 60);
            assertThat(sum(metrics, "authstream_streams_end_to_end_latency_seconds_bucket{le=\"+Inf\"}"))
                    .isEqualTo(3.0);
            assertThat(sum(metrics, "authstream_streams_end_to_end_latency_seconds_bucket{le=\"5.0\"}"))
                    .as("received long before now")
                    .isZero();
        }
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    /** Sum of a Prometheus metric over its label sets (one per task). */
    private static double sum(String scrape, String metric) {
        List<String> lines = scrape.lines()
                .filter(l ->
                        l.startsWith(metric.endsWith("}") ? metric + " " : metric + "{") || l.startsWith(metric + " "))
                .toList();
        assertThat(lines)
                .as(metric + " in the scrape; the topology's metrics were: "
                        + scrape.lines().filter(l -> l.contains("authstream")).toList())
                .isNotEmpty();
        return lines.stream()
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private List<AuthEvent> waitFor(String topic, String key, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        List<AuthEvent> found = List.of();
        while (System.currentTimeMillis() < deadline) {
            found = stack.consumeAll(topic, new AvroDeserializer<>(AuthEvent.class, stack.serdeConfig())).stream()
                    .filter(r -> key.equals(r.key()))
                    .map(ConsumerRecord::value)
                    .toList();
            if (found.size() >= count) {
                break;
            }
            Thread.sleep(500);
        }
        return found;
    }
}
