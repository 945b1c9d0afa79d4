package io.authstream.streams.rules;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations in rule files: ISO-8601 ({@code PT5M}, {@code P1D}) or short ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 7d}). */
public final class RuleDurations {

    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private RuleDurations() {}

    /** @throws IllegalArgumentException naming the text when it is neither form */
    public static Duration parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        Matcher shortForm = SHORT.matcher(trimmed);
        if (shortForm.matches()) {
            long amount = Long.parseLong(shortForm.group(1));
            return switch (shortForm.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(trimmed.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("\"" + text
                    + "\" is not a duration (ISO-8601 such as PT5M, or a number with ms, s, m, h or d such as 5m)");
        }
    }

    /** The short form when it is exact ({@code 5m}, {@code 1h}, {@code 90s}), else ISO-8601. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis == 0) {
            return "0s";
        }
        if (millis % 86_400_000L == 0) {
            return millis / 86_400_000L + "d";
        }
        if (millis % 3_600_000L == 0) {
            return millis / 3_600_000L + "h";
        }
        if (millis % 60_000L == 0) {
            return millis / 60_000L + "m";
        }
        if (millis % 1000L == 0) {
            return millis / 1000L + "s";
        }
        return millis + "ms";
    }
}
