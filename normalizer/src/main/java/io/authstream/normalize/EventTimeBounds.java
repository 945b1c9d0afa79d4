package io.authstream.normalize;

import io.authstream.config.Setting;
import io.authstream.config.Settings;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.deadletter.DeadLetterReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The event times authstream takes. Event time drives every clock of the topology (reorder
 * release, rule windows, analytics windows, the broker's retention of changelogs), so one event
 * dated years ahead would push stream time past every later real event (all of them then late:
 * the detections blinded), and the broker refuses record times more than an hour ahead
 * ({@code log.message.timestamp.after.max.ms}), which stopped the Streams app. An event is taken
 * when its time is
 * <ul>
 *   <li>at most {@code maxAhead} after the time it was received (clock skew between the sender
 *       and us: minutes, not hours),</li>
 *   <li>at most {@code maxAge} before it (a backfill of years-old logs is fine; a date from
 *       another era is a bug or a forgery), and</li>
 *   <li>not before 1970 (record timestamps cannot be negative).</li>
 * </ul>
 * Comparisons are on {@link Instant}s, so no date, however far out, overflows here.
 */
public record EventTimeBounds(Duration maxAhead, Duration maxAge) {

    public static final Duration DEFAULT_MAX_AHEAD = Duration.ofMinutes(5);
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(3650);
    /** The largest allowed skew: the broker refuses record timestamps more than an hour ahead. */
    public static final Duration LIMIT_MAX_AHEAD = Duration.ofMinutes(59);

    public EventTimeBounds {
        if (maxAhead.isNegative() || maxAhead.compareTo(LIMIT_MAX_AHEAD) > 0) {
            throw new IllegalArgumentException(
                    "maxAhead must be between 0 and " + LIMIT_MAX_AHEAD + ", got " + maxAhead);
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive, got " + maxAge);
        }
    }

    public static EventTimeBounds defaults() {
        return new EventTimeBounds(DEFAULT_MAX_AHEAD, DEFAULT_MAX_AGE);
    }

    public static final Setting<Duration> MAX_AHEAD = Setting.millis(
                    "EVENT_TIME_MAX_AHEAD_MS",
                    0,
                    LIMIT_MAX_AHEAD.toMillis(),
                    "An event dated more than this after its receive time is dead-lettered (event_time_out_of_range); "
                            + "at most 3540000 (59 min: the broker refuses record times an hour ahead).")
            .defaultValue(DEFAULT_MAX_AHEAD.toMillis());
    public static final Setting<Long> MAX_AGE_DAYS = Setting.number(
                    "EVENT_TIME_MAX_AGE_DAYS",
                    1,
                    100L * 365,
                    "An event dated more than this many days before its receive time is dead-lettered "
                            + "(event_time_out_of_range); backfills of older logs need a larger value.")
            .defaultValue(DEFAULT_MAX_AGE.toDays());

    /** The settings of the apps that take events (gateway, Streams app). */
    public static List<Setting<?>> settings() {
        return List.of(MAX_AHEAD, MAX_AGE_DAYS);
    }

    public static EventTimeBounds from(Settings settings) {
        return new EventTimeBounds(settings.get(MAX_AHEAD), Duration.ofDays(settings.get(MAX_AGE_DAYS)));
    }

    /** What is wrong with {@code eventTime} for an event received at {@code receivedAt}; empty when it is taken. */
    public Optional<String> problem(Instant eventTime, Instant receivedAt) {
        if (eventTime.isBefore(Instant.EPOCH)) {
            return Optional.of("event time " + eventTime + " is before 1970-01-01T00:00:00Z");
        }
        if (eventTime.isAfter(receivedAt.plus(maxAhead))) {
            return Optional.of("event time " + eventTime + " is " + describe(Duration.between(receivedAt, eventTime))
                    + " ahead of its receive time " + receivedAt + "; at most " + describe(maxAhead) + " is taken");
        }
        if (eventTime.isBefore(receivedAt.minus(maxAge))) {
            return Optional.of("event time " + eventTime + " is " + describe(Duration.between(eventTime, receivedAt))
                    + " before its receive time " + receivedAt + "; at most " + maxAge.toDays() + " days is taken");
        }
        return Optional.empty();
    }

    /**
     * The event, when its {@code occurredAt} is taken against its {@code receivedAt}.
     *
     * @throws NormalizationException with {@link DeadLetterReason#EVENT_TIME_OUT_OF_RANGE} otherwise
     */
    public AuthEvent check(AuthEvent event) {
        problem(event.getOccurredAt(), event.getReceivedAt()).ifPresent(problem -> {
            throw new NormalizationException(DeadLetterReason.EVENT_TIME_OUT_OF_RANGE, problem);
        });
        return event;
    }

    /** A duration a person reads at a glance: "4 years 31 days", "2 h 5 min", "300 ms". */
    static String describe(Duration duration) {
        long days = duration.toDays();
        if (days >= 365) {
            return days / 365 + " years " + days % 365 + " days";
        }
        if (days > 0) {
            return days + " days " + duration.toHoursPart() + " h";
        }
        if (duration.toHours() > 0) {
            return duration.toHours() + " h " + duration.toMinutesPart() + " min";
        }
        if (duration.toMinutes() > 0) {
            return duration.toMinutes() + " min " + duration.toSecondsPart() + " s";
        }
        if (duration.getSeconds() > 0) {
            return duration.getSeconds() + " s";
        }
        return duration.toMillis() + " ms";
    }
}
