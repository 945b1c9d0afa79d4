package io.authstream.schemas.deadletter;

/**
 * Headers of a record on {@code auth.events.deadletter}. The value is the input as it arrived
 * (the gateway and the logs source: the event's original JSON; the Streams app: the record's
 * bytes as read from its input topic), so nothing of it is lost and a fixed input can be put back.
 */
public final class DeadLetterHeaders {

    /** In words: the {@link DeadLetterReason} code, a colon, and what exactly was wrong. */
    public static final String REASON = "authstream.error.reason";
    /** The {@link DeadLetterReason} code alone. */
    public static final String CODE = "authstream.error.code";
    /** Which ingest path or stage dead-lettered it, e.g. {@code auth0.log-stream}, {@code streams-app}. */
    public static final String SOURCE = "authstream.source";
    /** When authstream received the input (ISO-8601). */
    public static final String RECEIVED_AT = "authstream.received-at";

    private DeadLetterHeaders() {}
}
