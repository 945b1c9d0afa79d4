package io.authstream.normalize;

/**
 * One event of an authenticated request could not be turned into an {@code AuthEvent}. The
 * event is not lost: it goes to the dead-letter topic with this message as the reason.
 */
public final class NormalizationException extends RuntimeException {

    public NormalizationException(String reason) {
        super(reason);
    }
}
