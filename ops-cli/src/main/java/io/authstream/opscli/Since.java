package io.authstream.opscli;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code --since} value: an ISO-8601 time ({@code 2026-12-02T13:00:00Z}, with an offset, or a
 * date alone, taken as midnight UTC), or a duration back from now ({@code 90s}, {@code 15m},
 * {@code 2h}, {@code 7d}, {@code 1h30m}, or ISO's {@code PT15M}).
 */
final class Since {

    private static final Pattern SHORT = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    private Since() {}

    /** The instant {@code text} names, durations counted back from {@code now}. */
    static Instant parse(String text, Instant now) {
        String value = text == null ? "" : text.trim();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("empty time: give e.g. 15m, 2h, 7d or 2026-12-02T13:00:00Z");
        }
        Matcher shortForm = SHORT.matcher(value);
        if (shortForm.matches() && !value.chars().allMatch(Character::isDigit)) {
            Duration back = Duration.ZERO;
            long[] unitSeconds = {86_400, 3_600, 60, 1};
            for (int i = 0; i < 4; i++) {
                if (shortForm.group(i + 1) != null) {
                    try {
                        back = back.plus(Duration.ofSeconds(
                                Math.multiplyExact(Long.parseLong(shortForm.group(i + 1)), unitSeconds[i])));
                    } catch (ArithmeticException | NumberFormatException e) {
                        throw new IllegalArgumentException("duration too large: " + value);
                    }
                }
            }
            return minus(now, back, value);
        }
        if (value.startsWith("P") || value.startsWith("p")) {
            Duration back;
            try {
                back = Duration.parse(value);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("not an ISO-8601 duration: " + value);
            }
            if (back.isNegative()) {
                throw new IllegalArgumentException("a duration back from now cannot be negative: " + value);
            }
            return minus(now, back, value);
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeException notOffset) {
            try {
                return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeException notDate) {
                throw new IllegalArgumentException("not a time or a duration: " + value
                        + " (give e.g. 15m, 2h, 7d, PT15M, 2026-12-02 or 2026-12-02T13:00:00Z)");
            }
        }
    }

    private static Instant minus(Instant now, Duration back, String value) {
        try {
            return now.minus(back);
        } catch (DateTimeException | ArithmeticException e) {
            throw new IllegalArgumentException("duration too large: " + value);
        }
    }
}
