package io.authstream.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads an application's settings from environment variables: declared keys with defaults,
 * numbers checked against a range, pass-through of prefixed client settings, and every problem
 * collected so start-up reports them all at once. Messages name variables and bad values, never
 * the value of a secret.
 */
public final class EnvSettings {

    /** One setting: variable name, default (null when required or optional), whether it is a secret, meaning. */
    public record Key(String name, String defaultValue, boolean secret, String description) {}

    private final Map<String, String> env;
    private final List<Key> keys;
    private final List<String> problems = new ArrayList<>();

    public EnvSettings(Map<String, String> env, List<Key> keys) {
        this.env = env;
        this.keys = keys;
    }

    /** The variable's trimmed value, else the key's default (null when there is none). */
    public String value(String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return keys.stream().filter(k -> k.name().equals(name)).findFirst().map(Key::defaultValue).orElse(null);
        }
        return value.trim();
    }

    /** The value, or null with a problem recorded (mentioning {@code example}) when missing. */
    public String required(String name, String example) {
        String value = value(name);
        if (value == null) {
            problems.add(name + " is required (e.g. " + example + ")");
        }
        return value;
    }

    /** A whole number within [min, max]; a problem is recorded otherwise (the value is not secret). */
    public long number(String name, long min, long max) {
        String value = value(name);
        try {
            long parsed = Long.parseLong(value);
            if (parsed < min || parsed > max) {
                problems.add(name + " must be between " + min + " and " + max + ", got " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(name + " must be a whole number, got '" + value + "'");
            return min;
        }
    }

    /** {@code <PREFIX><NAME>} variables as client settings {@code <name>} ({@code _} → {@code .}). */
    public Map<String, String> passThrough(String prefix) {
        Map<String, String> settings = new HashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith(prefix)) {
                settings.put(name.substring(prefix.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return settings;
    }

    public void problem(String message) {
        problems.add(message);
    }

    /** @throws IllegalArgumentException listing every problem, when there is any */
    public void failIfProblems(String what) {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid " + what + " settings:\n  - " + String.join("\n  - ", problems));
        }
    }
}
