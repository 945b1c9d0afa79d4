package io.authstream.streams;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.streams.deadletter.DeadLetterOnProductionError;
import io.authstream.streams.deadletter.StreamsDeadLetters;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class StreamThreadFailureHandlerTest {

    /** The chain a two-minute broker outage produced on the embedded broker (BrokerOutageIT with a 130 s outage). */
    private static Throwable brokerOutage() {
        return new StreamsException(new KafkaException(
                "Cannot execute transactional method because we are in an error state",
                new TransactionAbortableException(
                        "Transaction Request was aborted after exhausting retries.",
                        new TimeoutException(
                                "Topic app-events-by-ip-repartition not present in metadata after 60000 ms."))));
    }

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final StreamsDeadLetters deadLetters = new StreamsDeadLetters(clock);
    private final StreamThreadFailureHandler handler = new StreamThreadFailureHandler(clock, deadLetters);

    /** Where a failed output came from: an input record at {@code offset}, or none (-1). */
    private record Origin(long offset) implements ErrorHandlerContext {
        @Override
        public String topic() {
            return offset < 0 ? null : "auth.events.raw";
        }

        @Override
        public int partition() {
            return offset < 0 ? -1 : 0;
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
    void aThreadKilledByARefusedOutputIsReplacedOnlyWhenItsInputRecordWillBeDeadLetteredOnTheRetry() {
        DeadLetterOnProductionError production = new DeadLetterOnProductionError();
        production.configure(Map.of(StreamsDeadLetters.CONFIG, deadLetters));
        ProducerRecord<byte[], byte[]> output = new ProducerRecord<>("auth.events.ordered", new byte[1], new byte[1]);
        Throwable death =
                new StreamsException("Error encountered sending record", new RecordTooLargeException("too large"));

        production.handleError(new Origin(-1), output, new RecordTooLargeException("too large"));
        assertThat(handler.handle(death))
                .as("no input record to dead-letter: the retry would fail alike")
                .isEqualTo(SHUTDOWN_CLIENT);

        production.handleError(new Origin(12), output, new RecordTooLargeException("too large"));
        assertThat(handler.handle(death)).isEqualTo(REPLACE_THREAD);
        clock.advance(Duration.ofMinutes(3));
        assertThat(handler.handle(death)).as("long after the refusal").isEqualTo(SHUTDOWN_CLIENT);
    }

    @Test
    void aThreadKilledByAKafkaOutageIsReplaced() {
        assertThat(handler.handle(brokerOutage())).isEqualTo(REPLACE_THREAD);
        assertThat(handler.handle(new StreamsException(new TimeoutException("fetch"))))
                .isEqualTo(REPLACE_THREAD);
        // Abortable by definition: the transaction is retried, whatever its own cause.
        assertThat(handler.handle(new StreamsException(new TransactionAbortableException("aborted"))))
                .isEqualTo(REPLACE_THREAD);
        assertThat(handler.recentReplacements()).isEqualTo(3);
    }

    @Test
    void anyOtherDeathShutsTheClientDown() {
        assertThat(handler.handle(new StreamsException(new IllegalStateException("bug"))))
                .isEqualTo(SHUTDOWN_CLIENT);
        assertThat(handler.handle(new KafkaException("fenced for good"))).isEqualTo(SHUTDOWN_CLIENT);
        assertThat(handler.handle(new OutOfMemoryError())).isEqualTo(SHUTDOWN_CLIENT);
        assertThat(handler.recentReplacements()).isZero();
    }

    @Test
    void deathsThatKeepComingAreNotAnOutage() {
        for (int i = 0; i < StreamThreadFailureHandler.MAX_REPLACEMENTS; i++) {
            assertThat(handler.handle(brokerOutage())).isEqualTo(REPLACE_THREAD);
            clock.advance(Duration.ofSeconds(30));
        }
        assertThat(handler.handle(brokerOutage())).isEqualTo(SHUTDOWN_CLIENT);
    }

    @Test
    void onlyTheDeathsOfTheLastPeriodCount() {
        for (int i = 0; i < StreamThreadFailureHandler.MAX_REPLACEMENTS; i++) {
            handler.handle(brokerOutage());
        }
        clock.advance(StreamThreadFailureHandler.PERIOD.plusSeconds(1));
        assertThat(handler.handle(brokerOutage())).isEqualTo(REPLACE_THREAD);
        assertThat(handler.recentReplacements()).isEqualTo(1);
    }

    private static final class SettableClock extends Clock {
        private Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
