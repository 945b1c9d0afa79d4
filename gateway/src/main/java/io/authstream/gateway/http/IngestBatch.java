package io.authstream.gateway.http;

import io.authstream.gateway.publish.DeadLetter;
import io.authstream.gateway.publish.EncodedEvent;
import io.authstream.normalize.NormalizationException;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.deadletter.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The events of one request, each encoded for {@code auth.events.raw}, and the parts of it that go
 * to the dead-letter topic instead: what could not be normalised, what the route may not say, an
 * event time out of bounds, a field or an event too large for where it is stored.
 */
final class IngestBatch {

    private final String source;
    private final EventAdmission admission;
    final List<EncodedEvent> events = new ArrayList<>();
    final List<DeadLetter> deadLetters = new ArrayList<>();

    IngestBatch(String source, EventAdmission admission) {
        this.source = source;
        this.admission = admission;
    }

    String source() {
        return source;
    }

    /**
     * Adds the event {@code normalize} builds, once admitted, or dead-letters {@code raw} with
     * the reason it was not.
     *
     * @return the reason it was dead-lettered (code and detail), or null when it was added
     */
    String add(String raw, Supplier<AuthEvent> normalize) {
        try {
            events.add(admission.admit(normalize.get()));
            return null;
        } catch (NormalizationException e) {
            deadLetter(raw, e.reason(), e.getMessage());
            return e.reason().describe(e.getMessage());
        }
    }

    void deadLetter(String raw, DeadLetterReason reason, String detail) {
        deadLetters.add(new DeadLetter(source, raw.getBytes(StandardCharsets.UTF_8), reason, detail));
    }

    /** The largest dead letter of the batch, in bytes (0 when there is none). */
    int largestDeadLetter() {
        int largest = 0;
        for (DeadLetter deadLetter : deadLetters) {
            largest = Math.max(largest, deadLetter.payload().length);
        }
        return largest;
    }
}
