package io.authstream.opscli;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.schemas.deadletter.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeadLetterFilterTest {

    private static final Instant AT = Instant.parse("2026-12-02T12:00:00Z");

    private static DeadLetterRecord letter(String code, String source, Instant at) {
        RecordHeaders headers = new RecordHeaders();
        if (code != null) {
            headers.add(DeadLetterHeaders.CODE, code.getBytes(StandardCharsets.UTF_8));
            headers.add(DeadLetterHeaders.REASON, (code + ": what was wrong").getBytes(StandardCharsets.UTF_8));
        }
        if (source != null) {
            headers.add(DeadLetterHeaders.SOURCE, source.getBytes(StandardCharsets.UTF_8));
        }
        headers.add(DeadLetterHeaders.RECEIVED_AT, "2026-12-02T11:59:59Z".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(
                "auth.events.deadletter",
                2,
                17,
                at.toEpochMilli(),
                TimestampType.LOG_APPEND_TIME,
                0,
                3,
                "k".getBytes(StandardCharsets.UTF_8),
                "abc".getBytes(StandardCharsets.UTF_8),
                headers,
                java.util.Optional.empty());
        return DeadLetterRecord.of(record);
    }

    @Test
    void headersAreReadAsTheWritersWriteThem() {
        DeadLetterRecord letter = letter("malformed_json", "auth0.log-stream", AT);
        assertThat(letter.code()).isEqualTo("malformed_json");
        assertThat(letter.detail()).isEqualTo("what was wrong");
        assertThat(letter.source()).isEqualTo("auth0.log-stream");
        assertThat(letter.receivedAt()).isEqualTo(Instant.parse("2026-12-02T11:59:59Z"));
        assertThat(letter.position()).isEqualTo("2-17");
        assertThat(letter.size()).isEqualTo(3);
        DeadLetterRecord bare = letter(null, null, AT);
        assertThat(bare.code()).isEqualTo("unknown");
        assertThat(bare.source()).isEqualTo("unknown");
    }

    @Test
    void noFilterTakesEverything() {
        DeadLetterFilter all = new DeadLetterFilter(List.of(), List.of(), null);
        assertThat(all.matches(letter("invalid_event", "streams-app", Instant.EPOCH)))
                .isTrue();
        assertThat(all.matches(letter(null, null, AT))).isTrue();
    }

    @Test
    void reasonsAndSourcesAreAlternativesAndBothMustHold() {
        DeadLetterFilter filter =
                new DeadLetterFilter(List.of("MALFORMED_JSON ", "invalid_event"), List.of("auth0.log-stream"), null);
        assertThat(filter.matches(letter("malformed_json", "auth0.log-stream", AT)))
                .isTrue();
        assertThat(filter.matches(letter("invalid_event", "auth0.log-stream", AT)))
                .isTrue();
        assertThat(filter.matches(letter("field_too_large", "auth0.log-stream", AT)))
                .isFalse();
        assertThat(filter.matches(letter("malformed_json", "auth0.event-stream", AT)))
                .isFalse();
        assertThat(filter.matches(letter(null, "auth0.log-stream", AT))).isFalse();
    }

    @Test
    void sinceTakesTheInstantItselfAndLater() {
        DeadLetterFilter filter = new DeadLetterFilter(null, null, AT);
        assertThat(filter.matches(letter("invalid_event", "x", AT))).isTrue();
        assertThat(filter.matches(letter("invalid_event", "x", AT.plusMillis(1))))
                .isTrue();
        assertThat(filter.matches(letter("invalid_event", "x", AT.minusMillis(1))))
                .isFalse();
    }
}
