package io.authstream.streams.deadletter;

import io.authstream.schemas.deadletter.DeadLetterReason;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An output that cannot be written. One that cannot be serialized never reached the producer:
 * its input record is dead-lettered and processing goes on. One the producer or the broker
 * refused (too large, a timestamp out of range) has already failed the exactly-once transaction,
 * which no answer here can save: when the refusal names its input record, that record is
 * remembered ({@link StreamsDeadLetters}), the stream thread fails and is replaced
 * ({@code StreamThreadFailureHandler}), and on the retry the input guard dead-letters the record,
 * so the task goes on without it; otherwise the thread fails and the client shuts down. A retriable error (the
 * broker away) is retried as it is: the record is fine.
 */
public final class DeadLetterOnProductionError implements ProductionExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterOnProductionError.class);

    private StreamsDeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = StreamsDeadLetters.from(configs);
    }

    @Override
    @SuppressWarnings("rawtypes") // as Kafka's interface declares it
    public Response handleSerializationError(
            ErrorHandlerContext context,
            ProducerRecord record,
            Exception exception,
            SerializationExceptionOrigin origin) {
        LOG.warn(
                "an output to {} of {}-{}@{} cannot be serialized ({}); the input record is dead-lettered",
                record.topic(),
                context.topic(),
                context.partition(),
                context.offset(),
                exception.toString());
        return Response.resume(List.of(deadLetters.record(
                context,
                context.sourceRawKey(),
                context.sourceRawValue(),
                DeadLetterReason.PRODUCTION_FAILED,
                "an output to " + record.topic() + " cannot be serialized: " + exception)));
    }

    @Override
    public Response handleError(
            ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (exception instanceof RetriableException) {
            // The broker was away or slow (an outage): the record is fine and is sent again on the retry.
            return Response.retry();
        }
        if (deadLetters.outputRefused(context, exception)) {
            LOG.error(
                    "Kafka refused an output to {} of {}-{}@{} ({}); the thread is replaced and the record dead-lettered on "
                            + "its retry",
                    record.topic(),
                    context.topic(),
                    context.partition(),
                    context.offset(),
                    exception.toString());
        } else {
            LOG.error(
                    "Kafka refused an output to {} ({}) that names no input record (a punctuation's output, or the broker's "
                            + "late answer): the stream thread fails; check the topic's settings against EVENT_MAX_BYTES",
                    record.topic(),
                    exception.toString());
        }
        return Response.fail();
    }
}
