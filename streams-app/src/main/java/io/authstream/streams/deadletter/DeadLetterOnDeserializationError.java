package io.authstream.streams.deadletter;

import io.authstream.schemas.deadletter.DeadLetterReason;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record the app cannot deserialize (not Avro, an unknown schema id) goes to the dead-letter
 * topic as read. A registry that cannot be reached says nothing about the record: the thread
 * fails (and is replaced, as for a Kafka outage) rather than dead-letter good events.
 */
public final class DeadLetterOnDeserializationError implements DeserializationExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterOnDeserializationError.class);

    private StreamsDeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = StreamsDeadLetters.from(configs);
    }

    @Override
    public Response handleError(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (RegistryOutage.isOutage(exception)) {
            LOG.warn(
                    "the schema registry cannot be reached to read {}-{}@{}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    exception.toString());
            return Response.fail();
        }
        String detail = "cannot deserialize the value: " + exception;
        LOG.warn(
                "dead-lettered {}-{}@{} (undeserializable): {}",
                record.topic(),
                record.partition(),
                record.offset(),
                exception.toString());
        return Response.resume(List.of(
                deadLetters.record(context, record.key(), record.value(), DeadLetterReason.UNDESERIALIZABLE, detail)));
    }
}
