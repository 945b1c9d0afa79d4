package io.authstream.gateway.http;

import io.authstream.gateway.publish.EncodedEvent;
import io.authstream.gateway.publish.EventPublisher;
import io.authstream.normalize.EventLimits;
import io.authstream.normalize.EventTimeBounds;
import io.authstream.normalize.NormalizationException;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.deadletter.DeadLetterReason;

/**
 * The checks a normalised event passes before it is published, in the order that makes each
 * reason the most telling one: its event time within bounds, every field small enough for where
 * it is stored, and its encoding small enough for the topics.
 */
final class EventAdmission {

    private final EventTimeBounds bounds;
    private final EventLimits limits;
    private final EventPublisher publisher;

    EventAdmission(EventTimeBounds bounds, EventLimits limits, EventPublisher publisher) {
        this.bounds = bounds;
        this.limits = limits;
        this.publisher = publisher;
    }

    /**
     * @throws NormalizationException with the reason the event is refused
     */
    EncodedEvent admit(AuthEvent event) {
        bounds.check(event);
        limits.checkFields(event);
        EncodedEvent encoded = publisher.encode(event);
        limits.sizeProblem(encoded.value().length).ifPresent(problem -> {
            throw new NormalizationException(DeadLetterReason.EVENT_TOO_LARGE, problem);
        });
        return encoded;
    }
}
