package io.authstream.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.deadletter.DeadLetterReason;
import io.authstream.schemas.testing.SampleEvents;
import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The event times and sizes authstream takes, at the gateway and again in the Streams app. */
class EventBoundsTest {

    static {
        GeneratedClasses.trust();
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant RECEIVED = Instant.parse("2026-12-01T12:00:00Z");
    private static final EventTimeBounds BOUNDS = EventTimeBounds.defaults();

    private static AuthEvent logDated(String date) throws Exception {
        String raw = "{\"log_id\":\"l1\",\"data\":{\"type\":\"s\",\"date\":" + date + ",\"user_id\":\"auth0|u\"}}";
        return Auth0LogNormalizer.normalize(JSON.readTree(raw), raw, "auth0.log-stream", RECEIVED);
    }

    private static void assertOutOfRange(String date, String why) {
        assertThatThrownBy(() -> BOUNDS.check(logDated(date)))
                .isInstanceOf(NormalizationException.class)
                .hasMessageContaining(why)
                .extracting(e -> ((NormalizationException) e).reason())
                .isEqualTo(DeadLetterReason.EVENT_TIME_OUT_OF_RANGE);
    }

    @Test
    void theTimesThatStoppedOrBlindedThePipelineAreOutOfRange() {
        assertOutOfRange("\"2031-01-01T00:00:00.000Z\"", "4 years 31 days ahead of its receive time");
        assertOutOfRange("\"2036-12-01T12:00:00Z\"", "ahead of its receive time");
        assertOutOfRange("\"1969-07-20T20:17:40Z\"", "before 1970-01-01T00:00:00Z");
        assertOutOfRange(Long.toString(Long.MAX_VALUE), "ahead of its receive time");
        assertOutOfRange("\"+999999999-12-31T23:59:59Z\"", "ahead of its receive time");
        assertOutOfRange(
                "\"2026-12-01T13:00:00Z\"",
                "1 h 0 min ahead of its receive time 2026-12-01T12:00:00Z; at most 5 min 0 s");
        assertOutOfRange("\"1990-01-01T00:00:00Z\"", "36 years");
    }

    @Test
    void anEpochMillisecondTimeBeyondALongIsOutOfRangeNotAnOverflow() {
        assertThatThrownBy(() -> logDated("123456789012345678901234567890"))
                .isInstanceOf(NormalizationException.class)
                .hasMessageContaining("beyond any representable time")
                .extracting(e -> ((NormalizationException) e).reason())
                .isEqualTo(DeadLetterReason.EVENT_TIME_OUT_OF_RANGE);
    }

    @Test
    void backfillsAndClockSkewAreTaken() throws Exception {
        assertThat(BOUNDS.check(logDated("\"2021-11-03T10:12:31.000Z\"")).getOccurredAt())
                .isEqualTo(Instant.parse("2021-11-03T10:12:31Z"));
        assertThat(BOUNDS.check(logDated("\"2026-12-01T12:04:59Z\""))).isNotNull();
        assertThat(BOUNDS.check(logDated("1700000000000")).getOccurredAt())
                .isEqualTo(Instant.parse("2023-11-14T22:13:20Z"));
    }

    @Property
    void anEventIsTakenExactlyWhenItsTimeIsWithinTheBounds(
            @ForAll @LongRange(min = -100_000_000_000_000L, max = 100_000_000_000_000L) long offsetMillis,
            @ForAll @LongRange(min = 0, max = 3_540_000) long aheadMillis) {
        EventTimeBounds bounds = new EventTimeBounds(Duration.ofMillis(aheadMillis), Duration.ofDays(3650));
        Instant eventTime = RECEIVED.plusMillis(offsetMillis);
        boolean inside = !eventTime.isBefore(Instant.EPOCH)
                && !eventTime.isAfter(RECEIVED.plusMillis(aheadMillis))
                && !eventTime.isBefore(RECEIVED.minus(Duration.ofDays(3650)));
        assertThat(bounds.problem(eventTime, RECEIVED).isEmpty()).isEqualTo(inside);
    }

    @Test
    void boundsTheBrokerWouldRefuseCannotBeConfigured() {
        assertThatThrownBy(() -> new EventTimeBounds(Duration.ofHours(1), Duration.ofDays(1)))
                .hasMessageContaining("maxAhead must be between 0 and PT59M");
    }

    @Test
    void aUserIdTooLongForADynamoDbKeyAndOversizedFieldsAreRefusedByName() {
        EventLimits limits = EventLimits.defaults();
        AuthEvent keyTooLong = AuthEvent.newBuilder(SampleEvents.minimal())
                .setUserId("auth0|" + "x".repeat(2043))
                .build();
        assertThatThrownBy(() -> limits.checkFields(keyTooLong))
                .hasMessageContaining("userId is 2049 bytes; a DynamoDB key takes at most 2048")
                .extracting(e -> ((NormalizationException) e).reason())
                .isEqualTo(DeadLetterReason.FIELD_TOO_LARGE);
        // Counted in UTF-8 bytes, as DynamoDB counts them: 1 024 two-byte letters fit, 1 025 do not.
        assertThat(limits.checkFields(AuthEvent.newBuilder(SampleEvents.minimal())
                        .setUserId("é".repeat(1024))
                        .build()))
                .isNotNull();
        assertThatThrownBy(() -> limits.checkFields(AuthEvent.newBuilder(SampleEvents.minimal())
                        .setUserId("é".repeat(1025))
                        .build()))
                .hasMessageContaining("userId is 2050 bytes");
        AuthEvent bigPhoto = AuthEvent.newBuilder(SampleEvents.minimal())
                .setPhotoUrl("https://x/" + "p".repeat(9000))
                .build();
        assertThatThrownBy(() -> limits.checkFields(bigPhoto))
                .hasMessageContaining("photoUrl is 9010 bytes; at most 8192");
        assertThat(limits.sizeProblem(512 * 1024)).isEmpty();
        assertThat(limits.sizeProblem(512 * 1024 + 1))
                .hasValueSatisfying(p -> assertThat(p).contains("EVENT_MAX_BYTES"));
    }

    @Test
    void utf8LengthsAreCountedWithoutEncoding() {
        for (String text :
                new String[] {"", "ascii", "é", "日本語", "😀 emoji", "\uD800 lone surrogate", "mixed é 日 😀"}) {
            assertThat(EventLimits.utf8Length(text))
                    .as(text)
                    .isEqualTo(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
    }
}
