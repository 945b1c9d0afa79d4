package io.authstream.streams.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.schemas.Topics;
import io.authstream.schemas.deadletter.DeadLetterHeaders;
import io.authstream.schemas.deadletter.DeadLetterReason;
import io.authstream.schemas.registry.SchemaRegistryException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** What each exception handler of the Streams app answers, and what it leaves on the dead-letter topic. */
class DeadLetterHandlersTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final byte[] RAW_KEY = "auth0|u".getBytes(StandardCharsets.UTF_8);
    private static final byte[] RAW_VALUE = {0, 0, 0, 0, 7, 1, 2, 3};

    /** An input record being processed (topic, partition and offset known) or a punctuation (none). */
    private record Context(String topic, int partition, long offset, byte[] sourceRawKey, byte[] sourceRawValue)
            implements ErrorHandlerContext {

        static Context input(long offset) {
            return new Context(Topics.AUTH_EVENTS_RAW.name(), 2, offset, RAW_KEY, RAW_VALUE);
        }

        static Context punctuation() {
            return new Context(null, -1, -1, null, null);
        }

        @Override
        public Headers headers() {
            return new RecordHeaders();
        }

        @Override
        public String processorNodeId() {
            return "reorder";
        }

        @Override
        public TaskId taskId() {
            return new TaskId(0, 2);
        }

        @Override
        public long timestamp() {
            return NOW.toEpochMilli();
        }
    }

    private final StreamsDeadLetters deadLetters = new StreamsDeadLetters(Clock.fixed(NOW, ZoneOffset.UTC));
    private final Map<String, Object> configs = Map.of(StreamsDeadLetters.CONFIG, deadLetters);

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void aRefusedInputIsDeadLetteredAsItWasReadWithItsReasonAndWhereItCameFrom() {
        DeadLetterOnProcessingError handler = new DeadLetterOnProcessingError();
        handler.configure(configs);
        ProcessingExceptionHandler.Response response = handler.handleError(
                Context.input(41),
                new Record<>("auth0|u", "event", 0L),
                new RefusedInput(DeadLetterReason.EVENT_TIME_OUT_OF_RANGE, "event time 2036-01-01T00:00:00Z is ahead"));
        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        ProducerRecord<byte[], byte[]> dead = response.deadLetterQueueRecords().get(0);
        assertThat(dead.topic()).isEqualTo(Topics.AUTH_EVENTS_DEADLETTER.name());
        assertThat(dead.key()).isEqualTo(RAW_KEY);
        assertThat(dead.value()).isEqualTo(RAW_VALUE);
        assertThat(header(dead, DeadLetterHeaders.REASON))
                .isEqualTo("event_time_out_of_range: event time 2036-01-01T00:00:00Z is ahead");
        assertThat(header(dead, DeadLetterHeaders.CODE)).isEqualTo("event_time_out_of_range");
        assertThat(header(dead, DeadLetterHeaders.SOURCE)).isEqualTo("streams-app");
        assertThat(header(dead, DeadLetterHeaders.RECEIVED_AT)).isEqualTo(NOW.toString());
        assertThat(header(dead, StreamsDeadLetters.ORIGIN_TOPIC)).isEqualTo("auth.events.raw");
        assertThat(header(dead, StreamsDeadLetters.ORIGIN_PARTITION)).isEqualTo("2");
        assertThat(header(dead, StreamsDeadLetters.ORIGIN_OFFSET)).isEqualTo("41");
        assertThat(deadLetters.count(DeadLetterReason.EVENT_TIME_OUT_OF_RANGE)).isEqualTo(1);
    }

    @Test
    void aProcessorFailingInAPunctuationIsDeadLetteredTooAndProcessingGoesOn() {
        DeadLetterOnProcessingError handler = new DeadLetterOnProcessingError();
        handler.configure(configs);
        ProcessingExceptionHandler.Response response =
                handler.handleError(Context.punctuation(), null, new IllegalStateException("a bug"));
        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        ProducerRecord<byte[], byte[]> dead = response.deadLetterQueueRecords().get(0);
        assertThat(dead.value()).isNull();
        assertThat(header(dead, DeadLetterHeaders.REASON))
                .isEqualTo("processing_failed: reorder failed: " + "java.lang.IllegalStateException: a bug");
        assertThat(dead.headers().lastHeader(StreamsDeadLetters.ORIGIN_TOPIC)).isNull();
    }

    @Test
    void anOutputKafkaRefusedForAnInputRecordItNamesIsRememberedSoItsRetryDeadLettersIt() {
        DeadLetterOnProductionError handler = new DeadLetterOnProductionError();
        handler.configure(configs);
        ProducerRecord<byte[], byte[]> output = new ProducerRecord<>("auth.events.ordered", new byte[1], new byte[1]);
        assertThat(deadLetters.refusedRecordRememberedRecently()).isFalse();

        assertThat(handler.handleError(Context.input(7), output, new RecordTooLargeException("too large"))
                        .result())
                .isEqualTo(ProductionExceptionHandler.Result.FAIL);
        assertThat(deadLetters.refusedOutput("auth.events.raw", 2, 7))
                .hasValueSatisfying(why -> assertThat(why).contains("RecordTooLargeException: too large"));
        assertThat(deadLetters.refusedOutput("auth.events.raw", 2, 8)).isEmpty();
        assertThat(deadLetters.refusedRecordRememberedRecently()).isTrue();
    }

    @Test
    void aRefusalNamingNoInputRecordIsNotTakenForOneAndABrokerAwayIsRetried() {
        DeadLetterOnProductionError handler = new DeadLetterOnProductionError();
        handler.configure(configs);
        ProducerRecord<byte[], byte[]> output =
                new ProducerRecord<>("app-reorder-buffer-changelog", new byte[1], new byte[1]);
        assertThat(handler.handleError(Context.punctuation(), output, new RecordTooLargeException("too large"))
                        .result())
                .isEqualTo(ProductionExceptionHandler.Result.FAIL);
        assertThat(deadLetters.refusedRecordRememberedRecently()).isFalse();
        assertThat(handler.handleError(Context.input(9), output, new TimeoutException("broker away"))
                        .result())
                .isEqualTo(ProductionExceptionHandler.Result.RETRY);
        assertThat(deadLetters.refusedOutput("auth.events.raw", 2, 9)).isEmpty();
    }

    @Test
    void anOutputThatCannotBeSerializedDeadLettersItsInputAndProcessingGoesOn() {
        DeadLetterOnProductionError handler = new DeadLetterOnProductionError();
        handler.configure(configs);
        ProductionExceptionHandler.Response response = handler.handleSerializationError(
                Context.input(3),
                new ProducerRecord<>("auth.profiles", "k", "v"),
                new SerializationException("incompatible schema"),
                ProductionExceptionHandler.SerializationExceptionOrigin.VALUE);
        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).singleElement().satisfies(dead -> {
            assertThat(dead.value()).isEqualTo(RAW_VALUE);
            assertThat(header(dead, DeadLetterHeaders.CODE)).isEqualTo("production_failed");
            assertThat(header(dead, DeadLetterHeaders.REASON))
                    .contains("an output to auth.profiles cannot be serialized");
        });
    }

    @Test
    void anUnreadableRecordIsDeadLetteredButAnUnreachableRegistryIsNotTheRecordsFault() {
        DeadLetterOnDeserializationError handler = new DeadLetterOnDeserializationError();
        handler.configure(configs);
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("auth.events.raw", 0, 5, RAW_KEY, RAW_VALUE);
        DeserializationExceptionHandler.Response unknown = handler.handleError(
                Context.input(5), record, new SchemaRegistryException("unknown schema id 7", 404, 40403));
        assertThat(unknown.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(header(unknown.deadLetterQueueRecords().get(0), DeadLetterHeaders.CODE))
                .isEqualTo("undeserializable");

        for (SchemaRegistryException away : List.of(
                new SchemaRegistryException("connection refused", new java.io.IOException("refused")),
                new SchemaRegistryException("registry error", 503, 50003))) {
            assertThat(handler.handleError(Context.input(6), record, new SerializationException("wrapped", away))
                            .result())
                    .as(away.getMessage())
                    .isEqualTo(DeserializationExceptionHandler.Result.FAIL);
        }
        assertThat(deadLetters.count(DeadLetterReason.UNDESERIALIZABLE)).isEqualTo(1);
    }

    @Test
    void aValueLargerThanTheDeadLetterTopicTakesIsCutAndSaysSo() {
        byte[] huge = new byte[StreamsDeadLetters.MAX_VALUE_BYTES + 10];
        ProducerRecord<byte[], byte[]> dead = deadLetters.record(
                new Context("auth.events.raw", 0, 1, RAW_KEY, huge),
                RAW_KEY,
                huge,
                DeadLetterReason.EVENT_TOO_LARGE,
                "big");
        assertThat(dead.value()).hasSize(StreamsDeadLetters.MAX_VALUE_BYTES);
        assertThat(header(dead, StreamsDeadLetters.TRUNCATED))
                .isEqualTo(huge.length + " bytes cut to " + StreamsDeadLetters.MAX_VALUE_BYTES);
    }
}
