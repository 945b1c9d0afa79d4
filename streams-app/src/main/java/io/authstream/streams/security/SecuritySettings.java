package io.authstream.streams.security;

import io.authstream.config.EnvSettings.Key;
import io.authstream.config.EnvSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Thresholds and windows of the security rules. Each threshold rule reads
 * {@code SECURITY_<RULE>_THRESHOLD} and {@code SECURITY_<RULE>_WINDOW_MS} (rule id upper-cased,
 * {@code -} → {@code _}); defaults are in {@link ThresholdRules}.
 *
 * @param newCountryLearningSignIns sign-ins with a country a user needs before a new country alerts
 * @param lateness how far past its rule's window behind stream time an event still counts (see {@link ThresholdDetector})
 */
public record SecuritySettings(
        List<ThresholdRule> byIp,
        List<ThresholdRule> byUser,
        double impossibleTravelKmh,
        double impossibleTravelMinKm,
        int newCountryLearningSignIns,
        Duration lateness) {

    /**
     * An hour covers a partition that lags behind the others while the app catches up; a larger
     * value keeps quiet subjects' windows longer.
     */
    static final Duration DEFAULT_LATENESS = Duration.ofHours(1);

    public static SecuritySettings defaults() {
        return new SecuritySettings(ThresholdRules.BY_IP, ThresholdRules.BY_USER, 900, 100, 5, DEFAULT_LATENESS);
    }

    /** Every key with its default, for {@code EnvSettings} and the README. */
    public static List<Key> keys() {
        List<Key> keys = new ArrayList<>();
        Stream.concat(ThresholdRules.BY_IP.stream(), ThresholdRules.BY_USER.stream()).forEach(rule -> {
            keys.add(new Key(prefix(rule) + "_THRESHOLD", Integer.toString(rule.threshold()), false,
                    "Events (or distinct values) that make a " + rule.id() + " alert."));
            keys.add(new Key(prefix(rule) + "_WINDOW_MS", Long.toString(rule.window().toMillis()), false,
                    "Event-time window of the " + rule.id() + " rule."));
        });
        keys.add(new Key("SECURITY_IMPOSSIBLE_TRAVEL_KMH", "900", false, "Speed between two sign-ins that is impossible travel."));
        keys.add(new Key("SECURITY_IMPOSSIBLE_TRAVEL_MIN_KM", "100", false, "Distances below this never alert (geo-IP noise)."));
        keys.add(new Key("SECURITY_NEW_COUNTRY_LEARNING_SIGN_INS", "5", false,
                "Sign-ins with a known country a user needs before a sign-in from a new country alerts."));
        keys.add(new Key("SECURITY_LATENESS_MS", Long.toString(DEFAULT_LATENESS.toMillis()), false,
                "How far (event time) past its rule's window behind the newest event an event still counts; older ones are dropped as late."));
        return keys;
    }

    public static SecuritySettings from(EnvSettings env) {
        return new SecuritySettings(limits(env, ThresholdRules.BY_IP), limits(env, ThresholdRules.BY_USER),
                env.number("SECURITY_IMPOSSIBLE_TRAVEL_KMH", 1, 1_000_000),
                env.number("SECURITY_IMPOSSIBLE_TRAVEL_MIN_KM", 0, 20_000),
                (int) env.number("SECURITY_NEW_COUNTRY_LEARNING_SIGN_INS", 0, 10_000),
                Duration.ofMillis(env.number("SECURITY_LATENESS_MS", 0, 30L * 24 * 3600 * 1000)));
    }

    private static List<ThresholdRule> limits(EnvSettings env, List<ThresholdRule> rules) {
        return rules.stream().map(rule -> rule.withLimits(
                (int) env.number(prefix(rule) + "_THRESHOLD", 1, 1_000_000),
                Duration.ofMillis(env.number(prefix(rule) + "_WINDOW_MS", 1_000, 30L * 24 * 3600 * 1000)))).toList();
    }

    private static String prefix(ThresholdRule rule) {
        return "SECURITY_" + rule.id().toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
