package io.authstream.streams.deadletter;

import io.authstream.schemas.deadletter.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record the topology refused ({@link RefusedInput}) or failed on goes to the dead-letter topic
 * as it was read, with the reason, and processing goes on: no input record can stop the app.
 * A record met in a punctuation (the reorder buffer's release) has no input bytes; its value as
 * the failing processor held it is kept instead, as JSON.
 */
public final class DeadLetterOnProcessingError implements ProcessingExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterOnProcessingError.class);

    private StreamsDeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = StreamsDeadLetters.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        DeadLetterReason reason;
        String detail;
        if (exception instanceof RefusedInput refused) {
            reason = refused.reason();
            detail = refused.getMessage();
            LOG.warn(
                    "dead-lettered {}-{}@{} ({}): {}",
                    context.topic(),
                    context.partition(),
                    context.offset(),
                    reason.code(),
                    detail);
        } else {
            reason = DeadLetterReason.PROCESSING_FAILED;
            detail = context.processorNodeId() + " failed: " + exception;
            LOG.error(
                    "processor {} failed on {}-{}@{}; the record is dead-lettered and processing goes on",
                    context.processorNodeId(),
                    context.topic(),
                    context.partition(),
                    context.offset(),
                    exception);
        }
        // A punctuation that failed has no record at all.
        Object failedValue = record == null ? null : record.value();
        Object failedKey = record == null ? null : record.key();
        byte[] value = context.sourceRawValue() != null
                ? context.sourceRawValue()
                : failedValue == null ? null : failedValue.toString().getBytes(StandardCharsets.UTF_8);
        byte[] key = context.sourceRawKey() != null
                ? context.sourceRawKey()
                : failedKey == null ? null : failedKey.toString().getBytes(StandardCharsets.UTF_8);
        return Response.resume(List.of(deadLetters.record(context, key, value, reason, detail)));
    }
}
