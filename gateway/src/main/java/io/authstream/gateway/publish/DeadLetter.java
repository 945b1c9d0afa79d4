package io.authstream.gateway.publish;

import io.authstream.schemas.deadletter.DeadLetterReason;

/**
 * Input that an authenticated request delivered but that could not become an AuthEvent: kept
 * byte for byte on the dead-letter topic, with the reason in headers, for people and replays.
 *
 * @param source ingest path (the record key), e.g. {@code auth0.log-stream}
 * @param payload the event's original bytes
 * @param reason why it was refused, from the fixed set
 * @param detail what exactly was wrong, for a person
 */
public record DeadLetter(String source, byte[] payload, DeadLetterReason reason, String detail) {}
