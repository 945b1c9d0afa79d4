package io.authstream.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One setting of an app, declared once: its variable name, type (how its text is parsed and
 * checked), default, documentation, and whether it is secret. {@link SettingsDef} reads an app's
 * settings by going through these declarations; the configuration reference is generated from
 * them.
 *
 * <p>A value that does not parse is reported as {@code NAME must be <what it must be>, got 'value'}
 * — without the value when the setting is secret.
 *
 * @param <T> what the text parses to
 */
public final class Setting<T> {

    /** Text to value; throws {@link IllegalArgumentException} whose message completes "NAME must be ...". */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(String text);
    }

    /**
     * A problem a parser states whole: its message follows the setting's name as it is (so it
     * starts with its own separator: {@code ": /x is not an MMDB file"}, {@code " entry 2: ..."}).
     */
    public static final class Invalid extends IllegalArgumentException {
        public Invalid(String message) {
            super(message);
        }
    }

    private final String name;
    private final String type;
    private final Parser<T> parser;
    private final String defaultValue;
    private final String example;
    private final boolean secret;
    private final String documentation;

    private Setting(
            String name,
            String type,
            Parser<T> parser,
            String defaultValue,
            String example,
            boolean secret,
            String documentation) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.defaultValue = defaultValue;
        this.example = example;
        this.secret = secret;
        this.documentation = Objects.requireNonNull(documentation, "documentation");
        if (defaultValue != null) {
            try {
                parser.parse(defaultValue);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(
                        name + ": the default '" + defaultValue + "' must be " + e.getMessage(), e);
            }
        }
    }

    public static <T> Setting<T> of(String name, String type, Parser<T> parser, String documentation) {
        return new Setting<>(name, type, parser, null, null, false, documentation);
    }

    public static Setting<String> text(String name, String documentation) {
        return of(name, "text", text -> text, documentation);
    }

    public static Setting<Long> number(String name, long min, long max, String documentation) {
        return of(name, "whole number " + min + "–" + max, text -> parseLong(text, min, max), documentation);
    }

    public static Setting<Integer> integer(String name, int min, int max, String documentation) {
        return of(name, "whole number " + min + "–" + max, text -> (int) parseLong(text, min, max), documentation);
    }

    public static Setting<Integer> port(String name, String documentation) {
        return integer(name, 0, 65535, documentation);
    }

    /** A duration given in milliseconds. */
    public static Setting<Duration> millis(String name, long min, long max, String documentation) {
        return of(
                name,
                "milliseconds " + min + "–" + max,
                text -> Duration.ofMillis(parseLong(text, min, max)),
                documentation);
    }

    public static Setting<Boolean> onOff(String name, String documentation) {
        return of(
                name,
                "on | off",
                text -> switch (text.toLowerCase(Locale.ROOT)) {
                    case "on" -> true;
                    case "off" -> false;
                    default -> throw new IllegalArgumentException("'on' or 'off'");
                },
                documentation);
    }

    /** The same setting with a default, used when the variable is unset or blank. */
    public Setting<T> defaultValue(Object value) {
        return new Setting<>(name, type, parser, String.valueOf(value), example, secret, documentation);
    }

    /** The same setting, required: start-up fails without it, naming {@code example}. */
    public Setting<T> required(String example) {
        return new Setting<>(name, type, parser, defaultValue, Objects.requireNonNull(example), secret, documentation);
    }

    /** The same setting, secret: its value is never part of a message, and tests register it for the secret audit. */
    public Setting<T> secret() {
        return new Setting<>(name, type, parser, defaultValue, example, true, documentation);
    }

    /** The same setting with one more condition on its parsed value; {@code mustBe} completes "NAME must be ...". */
    public Setting<T> check(Predicate<T> condition, String mustBe) {
        Parser<T> checked = text -> {
            T value = parser.parse(text);
            if (!condition.test(value)) {
                throw new IllegalArgumentException(mustBe);
            }
            return value;
        };
        return new Setting<>(name, type, checked, defaultValue, example, secret, documentation);
    }

    public String name() {
        return name;
    }

    /** What the text must look like, for the reference: "text", "whole number 0–65535", ... */
    public String type() {
        return type;
    }

    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    public boolean isRequired() {
        return example != null;
    }

    public Optional<String> example() {
        return Optional.ofNullable(example);
    }

    public boolean isSecret() {
        return secret;
    }

    public String documentation() {
        return documentation;
    }

    /** @throws IllegalArgumentException completing "NAME must be ..." */
    T parse(String text) {
        return parser.parse(text);
    }

    private static long parseLong(String text, long min, long max) {
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a whole number");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("between " + min + " and " + max);
        }
        return value;
    }

    @Override
    public String toString() {
        return name;
    }
}
