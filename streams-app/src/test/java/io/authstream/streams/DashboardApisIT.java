package io.authstream.streams;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Outcome;
import io.authstream.schemas.avro.SecurityAlert;
import io.authstream.schemas.avro.Severity;
import io.authstream.schemas.deadletter.DeadLetterHeaders;
import io.authstream.schemas.serde.AvroSerializer;
import io.authstream.schemas.testing.SampleEvents;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dashboard's routes on two real instances of the Streams app and a real broker: the mix
 * adds up the windows of both instances, the alerts come from auth.security.alerts (those there
 * at start, then live over server-sent events), the dead letters are those on the topic, and the
 * pipeline names the app's consumer group with its lag.
 */
@ExtendWith(StackExtension.class)
class DashboardApisIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Instant DAY = Instant.parse("2025-07-01T00:00:00Z");
    private static final int KEPT = 5;

    private final TestStack stack;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    DashboardApisIT(TestStack stack) {
        this.stack = stack;
    }

    private StreamsAppConfig config(String applicationId) throws Exception {
        StreamsAppConfig base = AnalyticsProbe.config(stack, applicationId);
        Map<String, String> env = new java.util.HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
        env.put("SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl());
        env.put("GEOIP_DATABASE", io.authstream.enrich.testing.TestDatabases.geoIpDatabaseSetting());
        env.put("STREAMS_APPLICATION_ID", applicationId);
        env.put("STREAMS_STATE_DIR", base.stateDir());
        env.put("STREAMS_HTTP_PORT", "0");
        env.put("REORDER_GRACE_MS", "500");
        env.put("REORDER_PUNCTUATE_MS", "100");
        env.put("KAFKA_STREAMS_COMMIT_INTERVAL_MS", "100");
        env.put("DASHBOARD_ALERTS_KEPT", Integer.toString(KEPT));
        // The discard port: nothing answers, and /pipeline must say so rather than fail.
        env.put("DASHBOARD_GATEWAY_METRICS_URL", "http://127.0.0.1:9/metrics");
        return StreamsAppConfig.fromEnvironment(env);
    }

    private SecurityAlert alert(String id, Instant detectedAt) {
        return SecurityAlert.newBuilder()
                .setAlertId(id)
                .setRuleId("brute-force")
                .setSeverity(Severity.HIGH)
                .setUserId("auth0|" + run)
                .setIp("203.0.113.9")
                .setWindowStart(detectedAt.minusSeconds(60))
                .setWindowEnd(detectedAt)
                .setDetectedAt(detectedAt)
                .setSummary("10 failed logins for auth0|" + run)
                .setEvidence(List.of("e1", "e2"))
                .setAttributes(Map.of("count", "10", "countries", "DE->JP"))
                .build();
    }

    private void publishAlerts(SecurityAlert... alerts) {
        AvroSerializer<SecurityAlert> serializer = new AvroSerializer<>(stack.serdeConfig(), false);
        stack.produce(Topics.AUTH_SECURITY_ALERTS.name(), serializer::serialize, List.of(alerts));
    }

    /** A mark as {@code authstream dlq redrive} writes it: the dead letter's position, its reason. */
    private void publishRedriveMark(ConsumerRecord<String, byte[]> deadLetter, String reason) throws Exception {
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(stack.clientConfig(), new StringSerializer(), new ByteArraySerializer())) {
            String mark = JSON.createObjectNode()
                    .put("deadLetterTimestamp", deadLetter.timestamp())
                    .put("reason", reason)
                    .toString();
            producer.send(new ProducerRecord<>(
                            Topics.AUTH_DEADLETTER_REDRIVEN.name(),
                            deadLetter.partition() + "-" + deadLetter.offset(),
                            mark.getBytes(UTF_8)))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private void publishDeadLetter(String code, String source) throws Exception {
        Map<String, Object> config = stack.clientConfig();
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                    Topics.AUTH_EVENTS_DEADLETTER.name(), run, "{\"not\":\"an event\"}".getBytes(UTF_8));
            if (code != null) {
                record.headers().add(DeadLetterHeaders.CODE, code.getBytes(UTF_8));
                record.headers().add(DeadLetterHeaders.REASON, (code + ": test").getBytes(UTF_8));
            }
            if (source != null) {
                record.headers().add(DeadLetterHeaders.SOURCE, source.getBytes(UTF_8));
            }
            producer.send(record).get(30, TimeUnit.SECONDS);
        }
    }

    private static JsonNode get(StreamsApp app, String path) throws Exception {
        HttpResponse<String> answer = AnalyticsProbe.get(app, path);
        assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private static JsonNode await(StreamsApp app, String path, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> answer = AnalyticsProbe.get(app, path);
            if (answer.statusCode() == 200) {
                last = JSON.readTree(answer.body());
                if (done.test(last)) {
                    return last;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError(path + " did not answer as expected within 60 s; last answer: " + last);
    }

    @Test
    void theDashboardsRoutesAnswerFromTheTopicsAndBothInstances() throws Exception {
        stack.createTopics(Topics.ALL, 3);
        publishAlerts(alert(run + "-old", DAY.plusSeconds(100)), alert(run + "-older", DAY.plusSeconds(50)));
        publishDeadLetter("invalid_json", "auth0.log-stream");
        publishDeadLetter("invalid_json", "auth0.log-stream");
        publishDeadLetter("refused_input", "streams-app");
        publishDeadLetter(null, null);

        // Providers p0..p5 get 1..3 sign-ins each, over connections and clients of their own.
        List<AuthEvent> events = new ArrayList<>();
        Map<String, Long> providers = new TreeMap<>();
        Map<String, Long> clients = new TreeMap<>();
        for (int p = 0; p < 6; p++) {
            for (int n = 0; n <= p % 3; n++) {
                Instant at = DAY.plusSeconds(3_600 + p * 60L + n);
                String provider = "idp-" + run + "-" + p;
                String client = "app-" + run + "-" + (n % 2);
                events.add(AuthEvent.newBuilder(SampleEvents.full())
                        .setEventId(run + "-" + p + "-" + n)
                        .setUserId("auth0|" + run + "-" + p + "-" + n)
                        .setType("user.signed_in")
                        .setOutcome(Outcome.SUCCESS)
                        .setProvider(provider)
                        .setClientName(client)
                        .setOccurredAt(at)
                        .setReceivedAt(at)
                        .build());
                providers.merge(provider, 1L, Long::sum);
                clients.merge(client, 1L, Long::sum);
            }
        }

        String applicationId = "dashboard-it-" + run;
        try (StreamsApp a = StreamsApp.start(config(applicationId));
                StreamsApp b = StreamsApp.start(config(applicationId))) {
            AvroSerializer<AuthEvent> serializer = new AvroSerializer<>(stack.serdeConfig(), false);
            stack.produce(Topics.AUTH_EVENTS_RAW.name(), serializer::serialize, events);

            String range = "&granularity=day&from=" + DAY + "&to=" + DAY;
            for (StreamsApp asked : List.of(a, b)) {
                JsonNode mix = await(
                        asked,
                        "/analytics/sign_ins/mix?by=provider" + range,
                        m -> longs(m.get("values")).equals(providers));
                assertThat(mix.get("servedBy")).hasSize(2); // both instances' windows are in it
                JsonNode byClient = await(
                        asked,
                        "/analytics/sign_ins/mix?by=client" + range,
                        m -> longs(m.get("values")).equals(clients));
                assertThat(byClient.get("by").asText()).isEqualTo("client");
            }
            // Every provider's figure is what /analytics/sign_ins answers for that one provider.
            JsonNode mix = get(a, "/analytics/sign_ins/mix?by=provider" + range);
            for (Map.Entry<String, Long> provider : providers.entrySet()) {
                JsonNode one = get(b, "/analytics/sign_ins?dimension=provider%3D" + provider.getKey() + range);
                assertThat(mix.get("values").get(provider.getKey()).asLong())
                        .isEqualTo(one.get("rollups").get(0).get("count").asLong())
                        .isEqualTo(provider.getValue());
            }

            // The alerts there at start, newest first.
            JsonNode listed = await(a, "/alerts", l -> l.get("caughtUp").asBoolean());
            assertThat(listed.get("alerts"))
                    .extracting(x -> x.get("alertId").asText())
                    .containsExactly(run + "-old", run + "-older");
            JsonNode first = listed.get("alerts").get(0);
            assertThat(first.get("evidence").asInt()).isEqualTo(2);
            assertThat(first.get("attributes").get("countries").asText()).isEqualTo("DE->JP");

            // A new one arrives over the stream of the other instance, then is listed first.
            HttpResponse<InputStream> stream = HTTP.send(
                    HttpRequest.newBuilder(URI.create(b.httpUrl() + "/alerts/stream"))
                            .header("Accept", "text/event-stream") // as a browser's EventSource asks
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(stream.statusCode()).isEqualTo(200);
            BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), UTF_8));
            assertThat(lines.readLine()).startsWith(":");
            CompletableFuture<String> data = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        if (line.startsWith("data:")) {
                            return line;
                        }
                    }
                    return null;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            await(b, "/alerts", l -> l.get("caughtUp").asBoolean());
            publishAlerts(alert(run + "-live", DAY.plusSeconds(200)));
            assertThat(data.get(30, TimeUnit.SECONDS)).contains("\"alertId\":\"" + run + "-live\"");
            stream.body().close();
            await(
                    a,
                    "/alerts",
                    l -> l.get("alerts").get(0).get("alertId").asText().equals(run + "-live"));

            // Only the newest KEPT are kept.
            List<SecurityAlert> more = new ArrayList<>();
            for (int i = 0; i < KEPT + 1; i++) {
                more.add(alert(run + "-burst-" + i, DAY.plusSeconds(300 + i)));
            }
            publishAlerts(more.toArray(SecurityAlert[]::new));
            JsonNode kept = await(
                    a,
                    "/alerts",
                    l -> l.get("alerts").get(0).get("alertId").asText().equals(run + "-burst-" + KEPT));
            assertThat(kept.get("count").asInt()).isEqualTo(KEPT);

            // The dead letters by reason are those on the topic, headers read as the dashboard reads them.
            Map<String, Long> onTopic = new TreeMap<>();
            List<ConsumerRecord<String, byte[]>> deadLetters =
                    stack.consumeAll(Topics.AUTH_EVENTS_DEADLETTER.name(), new ByteArrayDeserializer());
            for (ConsumerRecord<String, byte[]> record : deadLetters) {
                Header code = record.headers().lastHeader(DeadLetterHeaders.CODE);
                onTopic.merge(code == null ? "unknown" : new String(code.value(), UTF_8), 1L, Long::sum);
            }
            assertThat(onTopic).containsEntry("invalid_json", 2L).containsEntry("unknown", 1L);
            JsonNode counted = await(b, "/dead-letters", d -> d.get("total").asLong() == deadLetters.size());
            assertThat(longs(counted.get("byReason"))).isEqualTo(onTopic);
            assertThat(counted.get("bySource").get("auth0.log-stream").asLong()).isEqualTo(2);
            assertThat(counted.get("awaiting").asLong()).isEqualTo(deadLetters.size());

            // One of them re-sent by a redrive: it no longer awaits one.
            ConsumerRecord<String, byte[]> resent = deadLetters.stream()
                    .filter(r -> r.headers().lastHeader(DeadLetterHeaders.CODE) != null)
                    .findFirst()
                    .orElseThrow();
            publishRedriveMark(resent, "invalid_json");
            JsonNode afterRedrive =
                    await(b, "/dead-letters", d -> d.get("redriven").asLong() == 1);
            assertThat(afterRedrive.get("awaiting").asLong()).isEqualTo(deadLetters.size() - 1);
            assertThat(afterRedrive.get("awaitingByReason").get("invalid_json").asLong())
                    .isEqualTo(onTopic.get("invalid_json") - 1);

            // The pipeline: both instances running, the app's group caught up with its input.
            JsonNode pipeline = await(
                    a,
                    "/pipeline",
                    p -> p.get("streams").get("state").asText().equals("RUNNING")
                            && stage(p, applicationId) != null
                            && stage(p, applicationId).get("lag").asLong() == 0
                            && stage(p, applicationId).get("byTopic").has(Topics.AUTH_EVENTS_RAW.name()));
            assertThat(pipeline.get("streams").get("threads")).isNotEmpty();
            assertThat(pipeline.get("gateway").get("reachable").asBoolean()).isFalse();
            assertThat(pipeline.get("gateway").get("problem").asText()).startsWith("not reachable");

            HttpResponse<String> bad = AnalyticsProbe.get(a, "/analytics/sign_ins/mix?by=provider&granularity=7d");
            assertThat(bad.statusCode()).isEqualTo(400);
        }
    }

    private static Map<String, Long> longs(JsonNode object) {
        Map<String, Long> values = new TreeMap<>();
        object.properties().forEach(e -> values.put(e.getKey(), e.getValue().asLong()));
        return values;
    }

    private static JsonNode stage(JsonNode pipeline, String group) {
        for (JsonNode stage : pipeline.get("stages")) {
            if (stage.get("group").asText().equals(group)) {
                return stage;
            }
        }
        return null;
    }
}
