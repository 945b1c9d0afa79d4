package io.authstream.gateway.http;

import io.authstream.normalize.NormalizationException;
import io.authstream.gateway.publish.DeadLetter;
import io.authstream.schemas.avro.AuthEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The events of one request, and the parts of it that go to the dead-letter topic instead. */
final class IngestBatch {

    private final String source;
    final List<AuthEvent> events = new ArrayList<>();
    final List<DeadLetter> deadLetters = new ArrayList<>();

    IngestBatch(String source) {
        this.source = source;
    }

    String source() {
        return source;
    }

    /**
     * Adds the event {@code normalize} builds, or dead-letters {@code raw} with the reason it could not.
     *
     * @return the reason it was dead-lettered, or null when it was added
     */
    String add(String raw, Supplier<AuthEvent> normalize) {
        try {
            events.add(normalize.get());
            return null;
        } catch (NormalizationException e) {
            deadLetter(raw, e.getMessage());
            return e.getMessage();
        }
    }

    void deadLetter(String raw, String reason) {
        deadLetters.add(new DeadLetter(source, raw.getBytes(StandardCharsets.UTF_8), reason));
    }
}
