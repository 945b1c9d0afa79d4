package io.authstream.streams.http.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeadLetterCountsTest {

    @Test
    void countsByReasonAndBySourceWithMissingHeadersAsUnknown() {
        DeadLetterCounts counts = new DeadLetterCounts();
        counts.count("invalid_json", "auth0.log-stream");
        counts.count("invalid_json", "auth0.event-stream");
        counts.count("refused_input", "streams-app");
        counts.count(null, "");
        DeadLetterCounts.Snapshot snapshot = counts.snapshot();
        assertThat(snapshot.total()).isEqualTo(4);
        assertThat(snapshot.byReason())
                .containsExactly(
                        java.util.Map.entry("invalid_json", 2L),
                        java.util.Map.entry("refused_input", 1L),
                        java.util.Map.entry("unknown", 1L));
        assertThat(snapshot.bySource())
                .containsEntry("auth0.log-stream", 1L)
                .containsEntry("streams-app", 1L)
                .containsEntry("unknown", 1L)
                .hasSize(4);
    }
}
