package io.authstream.streams.input;

import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.deadletter.DeadLetterReason;
import io.authstream.streams.deadletter.RefusedInput;
import io.authstream.streams.deadletter.StreamsDeadLetters;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * The topology's first step: passes the events {@link InputChecks} takes and refuses the rest
 * with {@link RefusedInput}, which the processing exception handler dead-letters as read. Also
 * refuses an input record one of whose outputs Kafka refused before (see {@link StreamsDeadLetters}):
 * on the retry that follows, it is dead-lettered instead of failing the task again.
 */
public final class InputGuard implements FixedKeyProcessor<String, AuthEvent, AuthEvent> {

    private final InputChecks checks;
    private final StreamsDeadLetters deadLetters;
    private FixedKeyProcessorContext<String, AuthEvent> context;

    private InputGuard(InputChecks checks, StreamsDeadLetters deadLetters) {
        this.checks = checks;
        this.deadLetters = deadLetters;
    }

    public static FixedKeyProcessorSupplier<String, AuthEvent, AuthEvent> supplier(
            InputChecks checks, StreamsDeadLetters deadLetters) {
        return () -> new InputGuard(checks, deadLetters);
    }

    @Override
    public void init(FixedKeyProcessorContext<String, AuthEvent> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, AuthEvent> record) {
        context.recordMetadata()
                .flatMap(metadata ->
                        deadLetters.refusedOutput(metadata.topic(), metadata.partition(), metadata.offset()))
                .ifPresent(why -> {
                    throw new RefusedInput(DeadLetterReason.PRODUCTION_FAILED, why);
                });
        checks.check(record.value(), record.timestamp());
        context.forward(record);
    }
}
