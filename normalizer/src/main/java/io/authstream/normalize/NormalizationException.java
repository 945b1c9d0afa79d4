package io.authstream.normalize;

import io.authstream.schemas.deadletter.DeadLetterReason;

/**
 * One event of an authenticated request could not be turned into an {@code AuthEvent}, or may
 * not be taken from its route. The event is not lost: it goes to the dead-letter topic with
 * {@link #reason()} as its code and this message as the reason.
 */
public final class NormalizationException extends RuntimeException {

    private final DeadLetterReason reason;

    /** An event that is not of the route's kind ({@link DeadLetterReason#INVALID_EVENT}). */
    public NormalizationException(String message) {
        this(DeadLetterReason.INVALID_EVENT, message);
    }

    public NormalizationException(DeadLetterReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
