package io.authstream.streams.input;

import io.authstream.normalize.EventLimits;
import io.authstream.normalize.EventTimeBounds;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.deadletter.DeadLetterReason;
import io.authstream.streams.deadletter.RefusedInput;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * What the Streams app takes from {@code auth.events.raw}, which producers other than ours may
 * write: the gateway's and the logs source's bounds once more (event time against receive time,
 * field and event sizes), and both times against this app's own clock, since a receive time too
 * can be anything. A receive time ahead would jump dedup's window store past every real event
 * (their copies would pass), an event time ahead would jump stream time (the detections blinded).
 */
public final class InputChecks {

    private final EventTimeBounds bounds;
    private final EventLimits limits;
    private final Clock clock;

    public InputChecks(EventTimeBounds bounds, EventLimits limits, Clock clock) {
        this.bounds = bounds;
        this.limits = limits;
        this.clock = clock;
    }

    /** Whether the event's time may become a record time of the topology (the timestamp extractor's question). */
    boolean timesTaken(AuthEvent event) {
        return timeProblem(event).isEmpty();
    }

    /** What is wrong with the event's times, if anything. */
    Optional<String> timeProblem(AuthEvent event) {
        Instant now = clock.instant();
        Instant received = event.getReceivedAt();
        if (received.isBefore(Instant.EPOCH) || received.isAfter(now.plus(bounds.maxAhead()))) {
            return Optional.of("receive time " + received + " is not between 1970 and this app's clock (" + now
                    + ") plus " + bounds.maxAhead().toMillis() + " ms");
        }
        Optional<String> problem = bounds.problem(event.getOccurredAt(), received);
        if (problem.isPresent()) {
            return problem;
        }
        if (event.getOccurredAt().isAfter(now.plus(bounds.maxAhead()))) {
            return Optional.of("event time " + event.getOccurredAt() + " is ahead of this app's clock (" + now
                    + ") by more than " + bounds.maxAhead().toMillis() + " ms");
        }
        return Optional.empty();
    }

    /**
     * @param recordTime the record time the timestamp extractor gave the event
     * @throws RefusedInput when the event must not enter the topology
     */
    void check(AuthEvent event, long recordTime) {
        if (event == null) {
            throw new RefusedInput(
                    DeadLetterReason.INVALID_EVENT, "the record has no value (a tombstone on an event topic)");
        }
        Optional<String> timeProblem = timeProblem(event);
        if (timeProblem.isPresent()) {
            throw new RefusedInput(DeadLetterReason.EVENT_TIME_OUT_OF_RANGE, timeProblem.get());
        }
        if (recordTime != event.getOccurredAt().toEpochMilli()) {
            // In range now, not when the record was read (its receive time was ahead of the clock then).
            throw new RefusedInput(
                    DeadLetterReason.EVENT_TIME_OUT_OF_RANGE,
                    "event time " + event.getOccurredAt() + " was out of range when the record was read");
        }
        limits.fieldProblem(event).ifPresent(problem -> {
            throw new RefusedInput(DeadLetterReason.FIELD_TOO_LARGE, problem);
        });
        limits.sizeProblem(EventLimits.textBytes(event)).ifPresent(problem -> {
            throw new RefusedInput(DeadLetterReason.EVENT_TOO_LARGE, problem);
        });
    }
}
