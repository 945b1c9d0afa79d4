package io.authstream.normalize;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;
import java.time.format.DateTimeParseException;

/**
 * {@link Instant#parse} and {@link Instant#toString}, each with a fast path for the one form every sender here uses,
 * {@code yyyy-MM-ddTHH:mm:ss[.f…]Z} (1 to 9 fraction digits): the JDK's parser builds a formatter
 * and a map of fields for every call, about 1 µs, which a JFR profile of the PutEvents path showed
 * at a third of normalising an entry. Anything else (offsets, hour 24, a leap second, a signed
 * year, a malformed text) goes to {@link Instant#parse}, so what is accepted and refused, and the
 * instant returned, are {@link Instant#parse}'s. {@link #format} writes what {@link Instant#toString}
 * writes.
 */
public final class IsoInstants {

    private static final long MIN_EPOCH_DAY = LocalDate.of(0, 1, 1).toEpochDay();
    private static final long MAX_EPOCH_DAY = LocalDate.of(9999, 12, 31).toEpochDay();

    private IsoInstants() {}

    /**
     * @throws DateTimeParseException as {@link Instant#parse} does
     */
    public static Instant parse(CharSequence text) {
        Instant fast = fastPath(text);
        return fast != null ? fast : Instant.parse(text);
    }

    /** {@link Instant#toString}'s text, written directly for the years 0 to 9999. */
    public static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        long days = Math.floorDiv(seconds, 86_400);
        if (days < MIN_EPOCH_DAY || days > MAX_EPOCH_DAY) {
            return instant.toString();
        }
        LocalDate date = LocalDate.ofEpochDay(days);
        int secondOfDay = Math.floorMod(seconds, 86_400);
        int nanos = instant.getNano();
        StringBuilder text = new StringBuilder(30);
        pad(text, date.getYear(), 4).append('-');
        pad(text, date.getMonthValue(), 2).append('-');
        pad(text, date.getDayOfMonth(), 2).append('T');
        pad(text, secondOfDay / 3_600, 2).append(':');
        pad(text, secondOfDay / 60 % 60, 2).append(':');
        pad(text, secondOfDay % 60, 2);
        if (nanos > 0) {
            text.append('.');
            if (nanos % 1_000_000 == 0) {
                pad(text, nanos / 1_000_000, 3);
            } else if (nanos % 1_000 == 0) {
                pad(text, nanos / 1_000, 6);
            } else {
                pad(text, nanos, 9);
            }
        }
        return text.append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder text, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            text.append('0');
        }
        return text.append(digits);
    }

    /** The instant of the common form, or null when {@code text} is not in it (or out of range). */
    private static Instant fastPath(CharSequence text) {
        int length = text.length();
        if (length < 20 || length > 30 || length == 21 || text.charAt(length - 1) != 'Z') {
            return null;
        }
        if (text.charAt(4) != '-'
                || text.charAt(7) != '-'
                || text.charAt(10) != 'T'
                || text.charAt(13) != ':'
                || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int nanos = 0;
        if (length > 20) {
            if (text.charAt(19) != '.') {
                return null;
            }
            int fractionDigits = length - 21;
            int fraction = digits(text, 20, fractionDigits);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = fractionDigits; i < 9; i++) {
                nanos *= 10;
            }
        }
        if (month < 1
                || month > 12
                || day < 1
                || day > Month.of(month).length(Year.isLeap(year))
                || hour > 23
                || minute > 59
                || second > 59) {
            return null;
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The value of {@code count} ASCII digits at {@code from}, or -1 when one is not a digit. */
    private static int digits(CharSequence text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }
}
