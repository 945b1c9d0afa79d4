package io.authstream.streams.deadletter;

import io.authstream.schemas.Topics;
import io.authstream.schemas.deadletter.DeadLetterHeaders;
import io.authstream.schemas.deadletter.DeadLetterReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * The Streams app's dead letters: records for {@code auth.events.deadletter} built alike by the
 * input guard and the exception handlers, counted by reason, and the memory of input records whose
 * output Kafka refused, so that the retry of such a record dead-letters it instead of failing again.
 *
 * <p>Why that memory: under exactly-once, a record Kafka refuses fails the whole transaction, so
 * a handler cannot simply skip it; the stream thread dies, Kafka Streams re-processes from the
 * last commit, and the same record would fail forever. Remembered here, the input guard
 * dead-letters it on the retry and the task goes on. Only a refusal made while its input record
 * was being processed names that record (the producer's own checks, a serializer); one the broker
 * answers later, or one of a punctuation's output, names none, and the input guard's bounds are
 * what keeps those from happening. The memory is this instance's (a restart forgets it, and the
 * record fails once more before it is remembered again).
 *
 * <p>One instance per app, shared by the topology (given to {@code AuthTopology.build}) and the
 * handlers Kafka Streams creates (given through the Streams properties under {@link #CONFIG}).
 */
public final class StreamsDeadLetters implements MeterBinder {

    /** The Streams property holding this instance, for the handlers' {@code configure}. */
    public static final String CONFIG = "authstream.dead.letters";

    public static final String SOURCE = "streams-app";
    public static final String ORIGIN_TOPIC = "authstream.origin.topic";
    public static final String ORIGIN_PARTITION = "authstream.origin.partition";
    public static final String ORIGIN_OFFSET = "authstream.origin.offset";
    /** Set when the value was cut to fit the dead-letter topic; the record at the origin still has it whole. */
    public static final String TRUNCATED = "authstream.truncated";
    /** A value of the dead letter cut past this (the topic takes 8 MiB; headers need some of it). */
    static final int MAX_VALUE_BYTES = Topics.DEAD_LETTER_MAX_MESSAGE_BYTES - 64 * 1024;

    private static final int MAX_REMEMBERED = 10_000;
    /** A thread that dies this soon after a remembered refusal is taken to have died of it. */
    private static final Duration REFUSAL_EXPLAINS_DEATH = Duration.ofMinutes(2);

    /** An input record: where it was read. */
    public record Origin(String topic, int partition, long offset) {}

    private final Clock clock;
    private final Map<DeadLetterReason, AtomicLong> counts = new EnumMap<>(DeadLetterReason.class);
    private final Map<Origin, String> refusedOutputs = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Origin, String> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };
    /** Read on every input record: no lock while nothing was ever refused, which is the usual case. */
    private volatile boolean anyRefused;

    private volatile Instant lastRefusal = Instant.MIN;

    public StreamsDeadLetters(Clock clock) {
        this.clock = clock;
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            counts.put(reason, new AtomicLong());
        }
    }

    /** The instance in a handler's configs. */
    static StreamsDeadLetters from(Map<String, ?> configs) {
        Object value = configs.get(CONFIG);
        if (!(value instanceof StreamsDeadLetters deadLetters)) {
            throw new ConfigException(CONFIG, value, "the Streams properties must hold the app's StreamsDeadLetters");
        }
        return deadLetters;
    }

    /**
     * A dead letter of the input record {@code context} describes, holding {@code key} and
     * {@code value} as read from the input topic, and counted.
     */
    ProducerRecord<byte[], byte[]> record(
            ErrorHandlerContext context, byte[] key, byte[] value, DeadLetterReason reason, String detail) {
        boolean truncated = value != null && value.length > MAX_VALUE_BYTES;
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
                Topics.AUTH_EVENTS_DEADLETTER.name(),
                null,
                key,
                truncated ? Arrays.copyOf(value, MAX_VALUE_BYTES) : value);
        if (context.headers() != null) {
            for (Header header : context.headers()) {
                record.headers().add(header);
            }
        }
        record.headers().add(DeadLetterHeaders.REASON, utf8(reason.describe(detail)));
        record.headers().add(DeadLetterHeaders.CODE, utf8(reason.code()));
        record.headers().add(DeadLetterHeaders.SOURCE, utf8(SOURCE));
        record.headers().add(DeadLetterHeaders.RECEIVED_AT, utf8(clock.instant().toString()));
        if (context.topic() != null) {
            record.headers().add(ORIGIN_TOPIC, utf8(context.topic()));
            record.headers().add(ORIGIN_PARTITION, utf8(Integer.toString(context.partition())));
            record.headers().add(ORIGIN_OFFSET, utf8(Long.toString(context.offset())));
        }
        if (truncated) {
            record.headers().add(TRUNCATED, utf8(value.length + " bytes cut to " + MAX_VALUE_BYTES));
        }
        counts.get(reason).incrementAndGet();
        return record;
    }

    /**
     * Remembers that Kafka refused an output of the input record {@code context} describes.
     *
     * @return whether the context named that record (so its retry will dead-letter it)
     */
    boolean outputRefused(ErrorHandlerContext context, Exception refusal) {
        if (context.topic() == null || context.offset() < 0) {
            return false;
        }
        synchronized (refusedOutputs) {
            refusedOutputs.put(
                    new Origin(context.topic(), context.partition(), context.offset()),
                    "Kafka refused an output of this record: " + refusal);
        }
        anyRefused = true;
        lastRefusal = clock.instant();
        return true;
    }

    /** Why this input record must be dead-lettered on its retry, when Kafka refused one of its outputs before. */
    public Optional<String> refusedOutput(String topic, int partition, long offset) {
        if (!anyRefused) {
            return Optional.empty();
        }
        synchronized (refusedOutputs) {
            return Optional.ofNullable(refusedOutputs.get(new Origin(topic, partition, offset)));
        }
    }

    /** Whether a stream thread that died now most likely died of a refused output whose retry will dead-letter its record. */
    public boolean refusedRecordRememberedRecently() {
        return Duration.between(lastRefusal, clock.instant()).compareTo(REFUSAL_EXPLAINS_DEATH) < 0;
    }

    public long count(DeadLetterReason reason) {
        return counts.get(reason).get();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counts.forEach(
                (reason, count) -> FunctionCounter.builder("authstream.streams.dead.letters", count, AtomicLong::get)
                        .description("Records the Streams app sent to auth.events.deadletter, by reason")
                        .tag("reason", reason.code())
                        .register(registry));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
