package io.authstream.streams;

import io.authstream.streams.deadletter.RegistryOutage;
import io.authstream.streams.deadletter.StreamsDeadLetters;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a stream thread's death means. Kafka being away longer than the clients wait (a broker
 * restart, a network partition: the cause is a retriable error such as a timeout), or the schema
 * registry being unreachable, kills the
 * thread with nothing wrong in the app, so the thread is replaced: the new one takes the tasks
 * back, restores them from their changelogs (exactly-once throws away the unclean state) and
 * carries on. So is a thread killed by an output Kafka refused when that refusal named its input
 * record: exactly-once fails the transaction, and the replacement dead-letters the input record
 * ({@link StreamsDeadLetters}). Anything else is a bug or a broken environment, and so are deaths that keep
 * coming: the client is shut down, {@code /health/live} fails, and the supervisor restarts the
 * app. Without a handler Kafka Streams shuts the client down on the first death, even from a
 * two-minute broker outage.
 */
final class StreamThreadFailureHandler implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StreamThreadFailureHandler.class);

    /** A long outage can take every thread in turn; more deaths than this in {@link #PERIOD} is not an outage. */
    static final int MAX_REPLACEMENTS = 10;

    static final Duration PERIOD = Duration.ofMinutes(10);

    private final Clock clock;
    private final StreamsDeadLetters deadLetters;
    private final Deque<Instant> replacements = new ArrayDeque<>();

    StreamThreadFailureHandler(Clock clock, StreamsDeadLetters deadLetters) {
        this.clock = clock;
        this.deadLetters = deadLetters;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        Instant now = clock.instant();
        while (!replacements.isEmpty() && replacements.peekFirst().isBefore(now.minus(PERIOD))) {
            replacements.removeFirst();
        }
        boolean outage = isKafkaOutage(exception);
        if (!outage && !deadLetters.refusedRecordRememberedRecently()) {
            LOG.error(
                    "a stream thread died of an error that is not a Kafka outage; shutting the client down", exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        String cause = outage ? "a Kafka outage" : "an output Kafka refused";
        if (replacements.size() >= MAX_REPLACEMENTS) {
            LOG.error(
                    "a stream thread died of {}, the {}th time in {} min; shutting the client down",
                    cause,
                    replacements.size() + 1,
                    PERIOD.toMinutes(),
                    exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replacements.addLast(now);
        LOG.warn(
                "a stream thread died of {} ({}); replacing it ({} of at most {} in {} min)",
                cause,
                rootCause(exception),
                replacements.size(),
                MAX_REPLACEMENTS,
                PERIOD.toMinutes());
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** Threads replaced in the current period. */
    synchronized int recentReplacements() {
        return replacements.size();
    }

    /**
     * Kafka Streams wraps the client's error (a {@code StreamsException} around the producer's
     * {@code KafkaException} around the cause), so the whole chain is searched.
     */
    static boolean isKafkaOutage(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof RetriableException || t instanceof TransactionAbortableException) {
                return true;
            }
            if (RegistryOutage.isOutage(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static String rootCause(Throwable exception) {
        Throwable root = exception;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
