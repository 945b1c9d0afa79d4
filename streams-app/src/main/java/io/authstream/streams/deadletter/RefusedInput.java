package io.authstream.streams.deadletter;

import io.authstream.schemas.deadletter.DeadLetterReason;

/**
 * Thrown by the input guard for a record the topology must not take; the processing exception
 * handler ({@link DeadLetterOnProcessingError}) dead-letters the record as read and processing
 * goes on. Thrown for bad input, not for bugs, so it carries no stack trace (cheap to make).
 */
public final class RefusedInput extends RuntimeException {

    private final DeadLetterReason reason;

    public RefusedInput(DeadLetterReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
