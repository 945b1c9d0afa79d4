package io.authstream.gateway.ingest;

/** The request body as a whole is not in a format the route accepts: answered 400, nothing published. */
public final class MalformedBodyException extends RuntimeException {

    public MalformedBodyException(String message) {
        super(message);
    }
}
