package io.authstream.rulescli;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Outcome;
import io.authstream.schemas.avro.SecurityAlert;
import io.authstream.schemas.serde.AvroDeserializer;
import io.authstream.schemas.serde.AvroSerializer;
import io.authstream.schemas.testing.SampleEvents;
import io.authstream.streams.StreamsApp;
import io.authstream.streams.StreamsAppConfig;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rule published with {@code bin/rules publish} while events flow through the running Streams
 * app (real broker and registry) alerts on the events that follow, without a restart; withdrawn
 * with {@code bin/rules withdraw}, it stops. "Within seconds" is measured: no event the app
 * processed before the publication alerts, every event sent from {@link #APPLY} after the
 * publication until the withdrawal does, and none sent from APPLY after the withdrawal.
 */
@ExtendWith(StackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PublishedRuleIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Duration APPLY = Duration.ofSeconds(5);

    private final TestStack stack;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String client = "client-" + run;
    private final Map<String, Instant> sent = new ConcurrentHashMap<>();
    private final AtomicBoolean flowing = new AtomicBoolean(true);
    private StreamsApp app;
    private Thread traffic;

    @TempDir
    Path dir;

    PublishedRuleIT(TestStack stack) {
        this.stack = stack;
    }

    @BeforeAll
    void startTheAppAndTheTraffic() throws Exception {
        stack.createTopics(Topics.ALL, 3);
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
        env.put("SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl());
        env.put("GEOIP_DATABASE", "off");
        env.put("USER_AGENT_PARSING", "off");
        env.put("STREAMS_APPLICATION_ID", TestStack.uniqueTopic("published-rule"));
        env.put("STREAMS_STATE_DIR", Files.createTempDirectory("published-rule").toString());
        env.put("REORDER_GRACE_MS", "500");
        env.put("REORDER_PUNCTUATE_MS", "200");
        env.put("KAFKA_STREAMS_COMMIT_INTERVAL_MS", "200");
        env.put("STREAMS_HTTP_PORT", "0");
        app = StreamsApp.start(StreamsAppConfig.fromEnvironment(env));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (app.streams().state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
        traffic = new Thread(this::sendSapiEvents, "sapi-traffic");
        traffic.start();
    }

    @AfterAll
    void stop() throws InterruptedException {
        flowing.set(false);
        if (traffic != null) {
            traffic.join(10_000);
        }
        if (app != null) {
            app.close();
        }
    }

    /** One Management API change of {@link #client} every 100 ms, each with its send time remembered. */
    private void sendSapiEvents() {
        Map<String, Object> config = stack.clientConfig();
        config.put("acks", "all");
        try (KafkaProducer<String, AuthEvent> producer = new KafkaProducer<>(
                config, new StringSerializer(), new AvroSerializer<AuthEvent>(stack.serdeConfig(), false))) {
            int n = 0;
            while (flowing.get()) {
                Instant now = Instant.now();
                String id = "sapi-" + run + "-" + n++;
                AuthEvent event = AuthEvent.newBuilder(SampleEvents.minimal())
                        .setEventId(id)
                        .setType("auth0.sapi")
                        .setOriginalType("sapi")
                        .setOutcome(Outcome.SUCCESS)
                        .setClientId(client)
                        .setUserId(null)
                        .setIp(null)
                        .setOccurredAt(now)
                        .setReceivedAt(now)
                        .build();
                producer.send(new ProducerRecord<>(Topics.AUTH_EVENTS_RAW.name(), id, event));
                sent.put(id, now);
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final String RULE = """
            rules:
              - id: sapi-by-client-%s
                version: 1
                title: Every Management API change of the watched client
                severity: LOW
                description: Each sapi event of one client.
                eventTypes: [sapi]
                runbook: None, a test.
                match:
                  originalType: [sapi]
                  clientId: ["%s"]
                summary: "change by {clientId}"
                tests:
                  - name: a change alerts
                    expect: alert
                    events:
                      - {type: auth0.sapi, originalType: sapi, clientId: "%s"}
                  - name: another client's does not
                    expect: none
                    events:
                      - {type: auth0.sapi, originalType: sapi, clientId: other}
            """;

    private int rules(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--bootstrap-servers");
        all.add(stack.bootstrapServers());
        int status = RulesCommand.execute(
                new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        assertThat(status).as(out + "\n" + err).isZero();
        return status;
    }

    private Set<String> alertedEvents(String ruleId) {
        return stack
                .consumeAll(
                        Topics.AUTH_SECURITY_ALERTS.name(),
                        new AvroDeserializer<>(SecurityAlert.class, stack.serdeConfig()))
                .stream()
                .map(ConsumerRecord::value)
                .filter(a -> a.getRuleId().equals(ruleId))
                .flatMap(a -> a.getEvidence().stream())
                .collect(Collectors.toSet());
    }

    private Set<String> sentBetween(Instant from, Instant to) {
        return sent.entrySet().stream()
                .filter(e -> e.getValue().isAfter(from) && e.getValue().isBefore(to))
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    @Test
    void aPublishedRuleFiresWithoutARestartAndStopsOnceWithdrawn() throws Exception {
        String id = "sapi-by-client-" + run;
        Thread.sleep(2_000);
        // An event is matched when the app processes it, not when it is sent: the app must have
        // processed these before the rule exists, so that none of them may alert.
        Set<String> before = sentBetween(Instant.EPOCH, Instant.now());
        assertThat(before).as("events before the rule").isNotEmpty();
        awaitOrdered(before);
        Path file = Files.writeString(dir.resolve("mine.yml"), RULE.formatted(run, client, client));
        Instant published = Instant.now();
        rules("publish", file.toString());

        Thread.sleep(2 * APPLY.toMillis() + 5_000);
        assertThat(listing()).contains("\"id\":\"" + id + "\",\"running\":true,\"version\":1,\"origin\":\"PUBLISHED\"");
        // Every event sent from APPLY after the publication alerts; all of them before the withdrawal.
        Set<String> mustAlert = sentBetween(published.plus(APPLY), Instant.now());
        assertThat(mustAlert).hasSizeGreaterThan(20);
        awaitAlerted(id, mustAlert);
        assertThat(alertedEvents(id)).as("events processed before publication").doesNotContainAnyElementsOf(before);

        Instant withdrawn = Instant.now();
        rules("withdraw", id);
        Thread.sleep(APPLY.toMillis() + 5_000);
        assertThat(listing()).contains("\"id\":\"brute-force\"").doesNotContain(id);
        Set<String> mustNotAlert = sentBetween(withdrawn.plus(APPLY), Instant.now());
        assertThat(mustNotAlert).hasSizeGreaterThan(20);
        awaitOrdered(mustNotAlert);
        assertThat(alertedEvents(id))
                .as("events sent APPLY after the withdrawal")
                .doesNotContainAnyElementsOf(mustNotAlert);
    }

    private String listing() throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(app.httpUrl() + "/rules"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private void awaitAlerted(String ruleId, Set<String> events) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Set<String> missing = Set.copyOf(events);
        while (System.nanoTime() < deadline) {
            Set<String> alerted = alertedEvents(ruleId);
            missing = events.stream().filter(e -> !alerted.contains(e)).collect(Collectors.toSet());
            if (missing.isEmpty()) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(missing.size() + " of " + events.size() + " events sent while " + ruleId
                + " was in force have no alert, e.g. "
                + missing.stream().limit(3).toList());
    }

    /** The events went through the topology (so their having no alert means something). */
    private void awaitOrdered(Set<String> events) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Set<String> ordered = stack
                    .consumeAll(
                            Topics.AUTH_EVENTS_ORDERED.name(),
                            new AvroDeserializer<>(AuthEvent.class, stack.serdeConfig()))
                    .stream()
                    .map(r -> r.value().getEventId())
                    .collect(Collectors.toSet());
            if (ordered.containsAll(events)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the events sent after the withdrawal did not reach auth.events.ordered");
    }
}
