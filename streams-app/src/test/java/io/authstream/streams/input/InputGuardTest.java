package io.authstream.streams.input;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Outcome;
import io.authstream.schemas.avro.SecurityAlert;
import io.authstream.schemas.deadletter.DeadLetterHeaders;
import io.authstream.schemas.testing.SampleEvents;
import io.authstream.streams.AuthTopology;
import io.authstream.streams.TestDrivers;
import io.authstream.streams.TopologyFixtures;
import io.authstream.streams.deadletter.DeadLetterOnProductionError;
import io.authstream.streams.deadletter.StreamsDeadLetters;
import io.authstream.streams.order.ReorderProcessor;
import io.authstream.streams.serde.StateAvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Records other producers may write to {@code auth.events.raw}, through the production topology:
 * each that must not reach the topology's clocks is on the dead-letter topic as it was written,
 * with its reason, and the app goes on as if it had not come (stream time unmoved, the detections
 * still alerting).
 */
class InputGuardTest {

    private static final Instant NOW = TopologyFixtures.T0;
    private static final StateAvroSerde<AuthEvent> EVENTS = new StateAvroSerde<>(AuthEvent.class);

    private TopologyTestDriver driver;
    private TestInputTopic<String, AuthEvent> raw;
    private TestInputTopic<String, byte[]> rawBytes;
    private TestOutputTopic<String, byte[]> deadLetters;
    private TestOutputTopic<String, AuthEvent> ordered;
    private TestOutputTopic<String, SecurityAlert> alerts;
    private int ids;

    @BeforeEach
    void start() {
        driver = TestDrivers.start(
                "input-guard-test", AuthTopology.Settings.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));
        raw = TestDrivers.raw(driver);
        rawBytes = driver.createInputTopic(
                Topics.AUTH_EVENTS_RAW.name(), new StringSerializer(), new ByteArraySerializer());
        deadLetters = driver.createOutputTopic(
                Topics.AUTH_EVENTS_DEADLETTER.name(), new StringDeserializer(), new ByteArrayDeserializer());
        ordered = TestDrivers.output(driver, Topics.AUTH_EVENTS_ORDERED.name(), AuthEvent.class);
        alerts = TestDrivers.output(driver, Topics.AUTH_SECURITY_ALERTS.name(), SecurityAlert.class);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private AuthEvent failedSignIn(Instant occurred, Instant received) {
        return AuthEvent.newBuilder(SampleEvents.minimal())
                .setEventId("guard-" + ++ids)
                .setType("user.sign_in_failed")
                .setOutcome(Outcome.FAILURE)
                .setUserId("auth0|victim")
                .setIp("203.0.113.9")
                .setOccurredAt(occurred)
                .setReceivedAt(received)
                .build();
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void eventTimesThatWouldStopOrBlindTheAppAreDeadLetteredAsWrittenAndTheBurstAfterThemStillAlerts() {
        Map<String, AuthEvent> hostile = new java.util.LinkedHashMap<>();
        hostile.put("ahead of its receive time", failedSignIn(NOW.plus(Duration.ofDays(3652)), NOW));
        hostile.put("before 1970-01-01T00:00:00Z", failedSignIn(Instant.parse("1969-07-20T20:17:40Z"), NOW));
        hostile.put("292471153 years 173 days ahead", failedSignIn(Instant.ofEpochMilli(Long.MAX_VALUE), NOW));
        hostile.put("1 h 0 min ahead of its receive time", failedSignIn(NOW.plus(Duration.ofHours(1)), NOW));
        // A producer that stamps its own receive time cannot move the clocks either.
        hostile.put(
                "receive time 2025-03-01T13:00:00Z is not between 1970 and this app's clock",
                failedSignIn(NOW.plus(Duration.ofHours(1)), NOW.plus(Duration.ofHours(1))));
        hostile.forEach((why, event) -> raw.pipeInput("auth0|victim", event, NOW.toEpochMilli()));

        List<TestRecord<String, byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).hasSize(hostile.size());
        List<AuthEvent> written = List.copyOf(hostile.values());
        List<String> reasons = List.copyOf(hostile.keySet());
        for (int i = 0; i < dead.size(); i++) {
            TestRecord<String, byte[]> record = dead.get(i);
            assertThat(header(record, DeadLetterHeaders.CODE)).isEqualTo("event_time_out_of_range");
            assertThat(header(record, DeadLetterHeaders.REASON))
                    .startsWith("event_time_out_of_range: ")
                    .contains(reasons.get(i));
            assertThat(header(record, DeadLetterHeaders.SOURCE)).isEqualTo(StreamsDeadLetters.SOURCE);
            assertThat(header(record, StreamsDeadLetters.ORIGIN_TOPIC)).isEqualTo(Topics.AUTH_EVENTS_RAW.name());
            assertThat(header(record, StreamsDeadLetters.ORIGIN_OFFSET)).isEqualTo(Integer.toString(i));
            assertThat(record.value()).as("the record as written").isEqualTo(EVENTS.toBytes(written.get(i)));
            assertThat(record.key()).isEqualTo("auth0|victim");
        }

        // Ten failed logins of one account from one IP within the hour: the brute-force rule.
        for (int i = 0; i < 10; i++) {
            raw.pipeInput("auth0|victim", failedSignIn(NOW.plusSeconds(i), NOW.plusSeconds(i)));
        }
        driver.advanceWallClockTime(Duration.ofSeconds(30));
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(alerts.readValuesToList())
                .extracting(SecurityAlert::getRuleId)
                .contains("brute-force");
        List<TestRecord<String, AuthEvent>> released = ordered.readRecordsToList();
        assertThat(released)
                .hasSize(10)
                .allSatisfy(r -> assertThat(r.headers().lastHeader(ReorderProcessor.LATE_HEADER))
                        .isNull());
        assertThat(released)
                .extracting(r -> r.getValue().getEventId())
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(6, 15)
                        .mapToObj(i -> "guard-" + i)
                        .toList());
    }

    @Test
    void anInputRecordWhoseOutputKafkaRefusedIsDeadLetteredOnItsRetry() {
        // What DeadLetterOnProductionError remembers when a refusal names its input record.
        DeadLetterOnProductionError production = new DeadLetterOnProductionError();
        production.configure(Map.of(StreamsDeadLetters.CONFIG, TestDrivers.deadLetters(driver)));
        production.handleError(
                new InputRecord(Topics.AUTH_EVENTS_RAW.name(), 0, 1),
                new ProducerRecord<>("x", new byte[0], new byte[0]),
                new org.apache.kafka.common.errors.RecordTooLargeException("too large for its topic"));

        raw.pipeInput("auth0|first", failedSignIn(NOW, NOW));
        raw.pipeInput("auth0|refused", failedSignIn(NOW, NOW));
        raw.pipeInput("auth0|third", failedSignIn(NOW, NOW));
        TestRecord<String, byte[]> dead = deadLetters.readRecord();
        assertThat(dead.key()).isEqualTo("auth0|refused");
        assertThat(header(dead, DeadLetterHeaders.REASON))
                .isEqualTo("production_failed: Kafka refused an output of this record: "
                        + "org.apache.kafka.common.errors.RecordTooLargeException: too large for its topic");
        assertThat(deadLetters.isEmpty()).isTrue();
        driver.advanceWallClockTime(Duration.ofSeconds(30));
        assertThat(ordered.readRecordsToList())
                .extracting(TestRecord::key)
                .containsExactly("auth0|first", "auth0|third");
    }

    /** The input record being processed when an output failed. */
    private record InputRecord(String topic, int partition, long offset) implements ErrorHandlerContext {
        @Override
        public Headers headers() {
            return new RecordHeaders();
        }

        @Override
        public String processorNodeId() {
            return "dedup";
        }

        @Override
        public TaskId taskId() {
            return new TaskId(0, 0);
        }

        @Override
        public long timestamp() {
            return 0;
        }

        @Override
        public byte[] sourceRawKey() {
            return null;
        }

        @Override
        public byte[] sourceRawValue() {
            return null;
        }
    }

    @Test
    void aTombstoneAnUnreadableValueAndOversizedFieldsAreDeadLetteredWithTheirReason() {
        rawBytes.pipeInput("auth0|t", null);
        rawBytes.pipeInput("auth0|bytes", "not avro at all".getBytes(StandardCharsets.UTF_8));
        AuthEvent longKey = AuthEvent.newBuilder(failedSignIn(NOW, NOW))
                .setUserId("auth0|" + "k".repeat(3000))
                .build();
        raw.pipeInput("auth0|long", longKey);
        AuthEvent huge = AuthEvent.newBuilder(failedSignIn(NOW, NOW))
                .setRaw("{\"x\":\"" + "r".repeat(600 * 1024) + "\"}")
                .build();
        raw.pipeInput("auth0|huge", huge);
        raw.pipeInput("auth0|fine", failedSignIn(NOW, NOW));

        Map<String, TestRecord<String, byte[]>> byKey = deadLetters.readRecordsToList().stream()
                .collect(Collectors.toMap(TestRecord::key, Function.identity(), (a, b) -> b));
        assertThat(header(byKey.get("auth0|t"), DeadLetterHeaders.REASON))
                .isEqualTo("invalid_event: the record has no value (a tombstone on an event topic)");
        assertThat(header(byKey.get("auth0|bytes"), DeadLetterHeaders.REASON))
                .startsWith("undeserializable: cannot deserialize");
        assertThat(byKey.get("auth0|bytes").value()).isEqualTo("not avro at all".getBytes(StandardCharsets.UTF_8));
        assertThat(header(byKey.get("auth0|long"), DeadLetterHeaders.REASON))
                .startsWith("field_too_large: userId is 3006 bytes");
        assertThat(header(byKey.get("auth0|huge"), DeadLetterHeaders.REASON))
                .startsWith("event_too_large: the event is ");
        assertThat(byKey.get("auth0|huge").value()).isEqualTo(EVENTS.toBytes(huge));
        assertThat(byKey).doesNotContainKey("auth0|fine");
        driver.advanceWallClockTime(Duration.ofSeconds(30));
        assertThat(ordered.readRecordsToList()).extracting(TestRecord::key).containsExactly("auth0|fine");
    }
}
