package io.authstream.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link IsoInstants#parse} answers exactly as {@link Instant#parse}: the same instant, or a refusal. */
class IsoInstantsProperties {

    @Property(tries = 20_000)
    void answersAsTheJdkDoesForTextsNearTheCommonForm(@ForAll("nearlyIso") String text) {
        assertSameAnswer(text);
    }

    @Property(tries = 5_000)
    void answersAsTheJdkDoesForAnyInstantItPrints(@ForAll("instants") Instant instant) {
        assertSameAnswer(instant.toString());
    }

    @Property(tries = 5_000)
    void writesWhatTheJdkWrites(@ForAll("instants") Instant instant) {
        assertThat(IsoInstants.format(instant)).isEqualTo(instant.toString());
    }

    @Example
    void writesWhatTheJdkWritesBeyondFourDigitYears() {
        for (Instant instant : new Instant[] {
            Instant.MIN,
            Instant.MAX,
            Instant.parse("+10000-01-01T00:00:00Z"),
            Instant.parse("-0001-12-31T23:59:59.5Z"),
            Instant.EPOCH,
            Instant.ofEpochSecond(-1, 1)
        }) {
            assertThat(IsoInstants.format(instant)).isEqualTo(instant.toString());
        }
    }

    @Property(tries = 3_000)
    void answersAsTheJdkDoesForArbitraryText(@ForAll("shortText") String text) {
        assertSameAnswer(text);
    }

    @Example
    void leapDaysHourTwentyFourAndLeapSecondsAreTheJdksToo() {
        for (String text : new String[] {
            "2024-02-29T12:00:00Z",
            "2023-02-29T12:00:00Z",
            "1900-02-29T00:00:00Z",
            "2000-02-29T00:00:00Z",
            "2100-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-12-31T24:00:00Z",
            "2016-12-31T23:59:60Z",
            "2026-01-01T00:00:00.Z",
            "2026-01-01t00:00:00z",
            "2026-01-01T00:00:00+01:00",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z",
            "+10000-01-01T00:00:00Z",
            "2026-01-01T00:00:00.1234567890Z",
            "2026-01-01T00:00Z",
            "２０２６-01-01T00:00:00Z",
        }) {
            assertSameAnswer(text);
        }
    }

    private static void assertSameAnswer(String text) {
        Instant expected;
        try {
            expected = Instant.parse(text);
        } catch (DateTimeParseException e) {
            assertThatThrownBy(() -> IsoInstants.parse(text))
                    .as("refused by Instant.parse: %s", text)
                    .isInstanceOf(DateTimeParseException.class);
            return;
        }
        assertThat(IsoInstants.parse(text)).as(text).isEqualTo(expected);
    }

    @Provide
    Arbitrary<String> nearlyIso() {
        // Century years (leap only every 400), leap and common years, and the ends of the range.
        Arbitrary<String> year = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 99).map(c -> String.format("%04d", c * 100)),
                Arbitraries.integers().between(0, 2499).map(y -> String.format("%04d", y * 4)),
                Arbitraries.integers().between(0, 9999).map(y -> String.format("%04d", y)),
                Arbitraries.of("0000", "9999", "1970", "1969"),
                Arbitraries.strings().withChars("0123456789+-x").ofMinLength(3).ofMaxLength(6));
        Arbitrary<String> month = Arbitraries.oneOf(
                Arbitraries.integers().between(1, 12).map(n -> String.format("%02d", n)),
                Arbitraries.of("02", "02", "00", "13"),
                Arbitraries.strings().withChars("0123456789 a").ofMinLength(1).ofMaxLength(3));
        // The last days of months, where month lengths and leap years decide.
        Arbitrary<String> day = Arbitraries.oneOf(
                Arbitraries.integers().between(27, 32).map(n -> String.format("%02d", n)),
                Arbitraries.integers().between(0, 31).map(n -> String.format("%02d", n)),
                Arbitraries.strings().withChars("0123456789 a").ofMinLength(1).ofMaxLength(3));
        Arbitrary<String> twoDigits = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 99).map(n -> String.format("%02d", n)),
                Arbitraries.integers().between(0, 24).map(n -> String.format("%02d", n)),
                Arbitraries.of("59", "60", "23", "24"),
                Arbitraries.strings().withChars("0123456789 a").ofMinLength(1).ofMaxLength(3));
        Arbitrary<String> fraction = Arbitraries.oneOf(
                Arbitraries.just(""),
                Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(11).map(f -> "." + f),
                Arbitraries.strings().withChars("0123456789,.x").ofMinLength(1).ofMaxLength(5));
        Arbitrary<String> zone = Arbitraries.of("Z", "Z", "Z", "z", "", "+01:00", "-00:00", "+0100", "ZZ", " Z");
        Arbitrary<String> separator = Arbitraries.of("T", "T", "T", "t", " ", "-", ":");
        return Combinators.combine(year, month, day, separator, twoDigits, twoDigits, twoDigits, fraction)
                .as((y, mo, d, t, h, mi, s, f) -> y + "-" + mo + "-" + d + t + h + ":" + mi + ":" + s + f)
                .flatMap(prefix -> zone.map(z -> prefix + z));
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Combinators.combine(
                        Arbitraries.longs().between(-62_167_219_200L - 86_400L * 400, 253_402_300_799L + 86_400L * 400),
                        Arbitraries.oneOf(
                                Arbitraries.just(0),
                                Arbitraries.integers().between(0, 999_999_999),
                                Arbitraries.integers().between(0, 999).map(ms -> ms * 1_000_000)))
                .as(Instant::ofEpochSecond);
    }

    @Provide
    Arbitrary<String> shortText() {
        return Arbitraries.strings()
                .withChars("0123456789-T:.Z+ ")
                .ofMinLength(0)
                .ofMaxLength(32);
    }
}
