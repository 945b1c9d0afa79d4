package io.authstream.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authstream.enrich.testing.TestDatabases;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Outcome;
import io.authstream.schemas.avro.SecurityAlert;
import io.authstream.schemas.deadletter.DeadLetterHeaders;
import io.authstream.schemas.serde.AvroDeserializer;
import io.authstream.schemas.serde.AvroSerializer;
import io.authstream.schemas.testing.SampleEvents;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hostile records written to {@code auth.events.raw} by a producer other than ours, one at a
 * time, with the Streams app running exactly-once on the real broker and registry: event times
 * years ahead, before 1970, at {@code Long.MAX_VALUE} ms and an hour ahead (which the broker's
 * changelogs refuse), a forged receive time, a tombstone, bytes that are not Avro, an unknown
 * schema id, a user id too long for DynamoDB, an event too large for the topics. After each the
 * app is {@code RUNNING} and the record is on the dead-letter topic with its reason; then a
 * brute-force burst still alerts. And an ordered topic too small for the events let through is
 * refused at start, before it could fail a transaction on every retry.
 */
@ExtendWith(StackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamsHostileInputIT {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsHostileInputIT.class);
    private static final Duration WAIT = Duration.ofSeconds(90);

    private final TestStack stack;
    private final String applicationId = TestStack.uniqueTopic("streams-hostile");
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private AvroSerializer<AuthEvent> serializer;
    private KafkaProducer<String, byte[]> producer;
    private StreamsApp app;
    private int ids;

    StreamsHostileInputIT(TestStack stack) {
        this.stack = stack;
    }

    @BeforeAll
    void startTheApp() throws Exception {
        stack.createTopics(Topics.ALL, 3);
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
        env.put("SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl());
        env.put("GEOIP_DATABASE", TestDatabases.geoIpDatabaseSetting());
        env.put("STREAMS_APPLICATION_ID", applicationId);
        env.put(
                "STREAMS_STATE_DIR",
                Files.createTempDirectory("streams-hostile").toString());
        env.put("REORDER_GRACE_MS", "1000");
        env.put("REORDER_PUNCTUATE_MS", "200");
        env.put("KAFKA_STREAMS_COMMIT_INTERVAL_MS", "200");
        env.put("STREAMS_HTTP_PORT", "0");
        app = StreamsApp.start(StreamsAppConfig.fromEnvironment(env));
        awaitRunning();
        Map<String, Object> config = stack.clientConfig();
        config.put("acks", "all");
        config.put("max.request.size", Integer.toString(4 * 1024 * 1024));
        producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        serializer = new AvroSerializer<>(stack.serdeConfig(), false);
        // The app has taken its partitions once a record written now comes out of it.
        String probe = user("probe");
        send(probe, encode(failedLogin(probe, "198.51.100.1", Instant.now())));
        awaitOrdered(probe);
    }

    @AfterAll
    void stopTheApp() {
        if (producer != null) {
            producer.close();
        }
        if (app != null) {
            app.close();
        }
    }

    private String user(String name) {
        return "auth0|hostile-" + run + "-" + name;
    }

    private AuthEvent failedLogin(String user, String ip, Instant at) {
        return AuthEvent.newBuilder(SampleEvents.minimal())
                .setEventId("hostile-" + run + "-" + ++ids)
                .setType("user.sign_in_failed")
                .setOutcome(Outcome.FAILURE)
                .setUserId(user)
                .setIp(ip)
                .setOccurredAt(at)
                .setReceivedAt(at)
                .build();
    }

    private byte[] encode(AuthEvent event) {
        return serializer.serialize(Topics.AUTH_EVENTS_RAW.name(), event);
    }

    private void send(String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(Topics.AUTH_EVENTS_RAW.name(), key, value))
                .get(30, TimeUnit.SECONDS);
    }

    /** One hostile input: the record key (unique), its value as written, and the dead-letter code expected. */
    private record Input(String name, String key, byte[] value, String code, String reasonContains) {}

    @Test
    void noRecordStopsOrBlindsTheAppEachIsDeadLetteredWithItsReasonAndABurstAfterThemStillAlerts() throws Exception {
        Instant now = Instant.now();
        List<Input> inputs = new ArrayList<>();
        inputs.add(timed("dated +10 years", now.plus(Duration.ofDays(3653)), now, "ahead of its receive time"));
        inputs.add(timed("dated 1969", Instant.parse("1969-07-20T20:17:40Z"), now, "before 1970-01-01T00:00:00Z"));
        inputs.add(timed(
                "dated Long.MAX_VALUE ms", Instant.ofEpochMilli(Long.MAX_VALUE), now, "ahead of its receive time"));
        inputs.add(timed(
                "dated one hour ahead", now.plus(Duration.ofHours(1)), now, "1 h 0 min ahead of its receive time"));
        inputs.add(timed(
                "received one hour ahead",
                now.plus(Duration.ofHours(1)),
                now.plus(Duration.ofHours(1)),
                "is not between 1970 and this app's clock"));
        inputs.add(new Input("a tombstone", user("tombstone"), null, "invalid_event", "has no value"));
        inputs.add(new Input(
                "not Avro",
                user("not-avro"),
                "not avro at all".getBytes(StandardCharsets.UTF_8),
                "undeserializable",
                "cannot deserialize"));
        inputs.add(new Input(
                "an unknown schema id",
                user("unknown-schema"),
                ByteBuffer.allocate(9)
                        .put((byte) 0)
                        .putInt(987_654_321)
                        .putInt(0)
                        .array(),
                "undeserializable",
                "unknown schema id"));
        String longUser = "auth0|" + "u".repeat(3000);
        inputs.add(new Input(
                "a user id of 3006 bytes",
                user("long-user"),
                encode(failedLogin(longUser, "198.51.100.2", now)),
                "field_too_large",
                "userId is 3006 bytes"));
        inputs.add(new Input(
                "an event of 700 KiB",
                user("huge"),
                encode(AuthEvent.newBuilder(failedLogin(user("huge"), "198.51.100.3", now))
                        .setRaw("{\"x\":\"" + "r".repeat(700 * 1024) + "\"}")
                        .build()),
                "event_too_large",
                "the event is "));

        Map<String, String> stateAfter = new LinkedHashMap<>();
        Map<String, Integer> deadLetters = new TreeMap<>();
        for (Input input : inputs) {
            send(input.key(), input.value());
            ConsumerRecord<String, byte[]> dead = awaitDeadLetter(input.key());
            assertThat(header(dead, DeadLetterHeaders.CODE)).as(input.name()).isEqualTo(input.code());
            assertThat(header(dead, DeadLetterHeaders.REASON)).as(input.name()).contains(input.reasonContains());
            assertThat(dead.value())
                    .as(input.name() + ": the record as written")
                    .isEqualTo(input.value());
            stateAfter.put(input.name(), app.streams().state().name());
            assertThat(app.streams().state()).as("after " + input.name()).isEqualTo(KafkaStreams.State.RUNNING);
            deadLetters.merge(input.code(), 1, Integer::sum);
        }

        // Ten failed logins of one account from one IP, now: the brute-force rule alerts.
        String victim = user("victim");
        Instant burst = Instant.now();
        for (int i = 0; i < 10; i++) {
            send(victim, encode(failedLogin(victim, "203.0.113.77", burst.plusMillis(i * 100L))));
        }
        List<SecurityAlert> alerts = awaitAlerts(victim);
        assertThat(alerts).extracting(SecurityAlert::getRuleId).contains("brute-force");
        assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);

        LOG.info(
                "streams hostile input figures: {} inputs tried; state after each {}; dead letters by reason {}; "
                        + "stream threads replaced {}; alerts raised by the burst after them {}",
                inputs.size(),
                stateAfter,
                deadLetters,
                app.replacedThreads(),
                alerts.stream().map(SecurityAlert::getRuleId).toList());
    }

    @Test
    void anOrderedTopicTakingLessThanTheEventsLetThroughIsRefusedAtStart() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
        env.put("SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl());
        env.put("GEOIP_DATABASE", "off");
        env.put("STREAMS_APPLICATION_ID", TestStack.uniqueTopic("streams-limits"));
        env.put("STREAMS_STATE_DIR", Files.createTempDirectory("streams-limits").toString());
        env.put("STREAMS_HTTP_PORT", "0");
        setMaxMessageBytes(Topics.AUTH_EVENTS_ORDERED.name(), Optional.of(256 * 1024));
        try {
            assertThatThrownBy(() -> StreamsApp.start(StreamsAppConfig.fromEnvironment(env))
                            .close())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("auth.events.ordered takes records of at most 262144 bytes")
                    .hasMessageContaining("EVENT_MAX_BYTES lets events of 524288 bytes through");
            env.put("EVENT_MAX_BYTES", Integer.toString(128 * 1024));
            StreamsApp.start(StreamsAppConfig.fromEnvironment(env)).close();
        } finally {
            setMaxMessageBytes(Topics.AUTH_EVENTS_ORDERED.name(), Optional.empty());
        }
    }

    private Input timed(String name, Instant occurred, Instant received, String reason) {
        String key = user(name.replace(' ', '-'));
        return new Input(
                name,
                key,
                encode(AuthEvent.newBuilder(failedLogin(key, "198.51.100.9", occurred))
                        .setReceivedAt(received)
                        .build()),
                "event_time_out_of_range",
                reason);
    }

    private void setMaxMessageBytes(String topic, Optional<Integer> bytes) throws Exception {
        ConfigResource ordered = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        AlterConfigOp op = bytes.map(b -> new AlterConfigOp(
                        new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(b)),
                        AlterConfigOp.OpType.SET))
                .orElse(new AlterConfigOp(
                        new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, ""), AlterConfigOp.OpType.DELETE));
        try (var admin = stack.admin()) {
            admin.incrementalAlterConfigs(Map.of(ordered, List.of(op))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private ConsumerRecord<String, byte[]> awaitDeadLetter(String key) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record :
                    stack.consumeAll(Topics.AUTH_EVENTS_DEADLETTER.name(), new ByteArrayDeserializer())) {
                if (key.equals(record.key())) {
                    return record;
                }
            }
            Thread.sleep(300);
        }
        throw new AssertionError("no dead letter keyed " + key + " within " + WAIT + "; app state "
                + app.streams().state());
    }

    private void awaitOrdered(String key) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (stack
                    .consumeAll(
                            Topics.AUTH_EVENTS_ORDERED.name(),
                            new AvroDeserializer<>(AuthEvent.class, stack.serdeConfig()))
                    .stream()
                    .anyMatch(r -> key.equals(r.key()))) {
                return;
            }
            Thread.sleep(300);
        }
        throw new AssertionError(
                "nothing keyed " + key + " on " + Topics.AUTH_EVENTS_ORDERED.name() + " within " + WAIT);
    }

    private List<SecurityAlert> awaitAlerts(String user) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<SecurityAlert> alerts = stack
                    .consumeAll(
                            Topics.AUTH_SECURITY_ALERTS.name(),
                            new AvroDeserializer<>(SecurityAlert.class, stack.serdeConfig()))
                    .stream()
                    .map(ConsumerRecord::value)
                    .filter(a -> user.equals(a.getUserId()))
                    .toList();
            if (!alerts.isEmpty()) {
                return alerts;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("no alert for " + user + " within " + WAIT + "; app state "
                + app.streams().state());
    }

    private void awaitRunning() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (app.streams().state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
    }
}
