package io.authstream.streams.security;

import io.authstream.config.Setting;
import io.authstream.config.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

    private static final long MONTH_MS = 30L * 24 * 3600 * 1000;

    public static final Setting<Long> IMPOSSIBLE_TRAVEL_KMH = Setting.number(
                    "SECURITY_IMPOSSIBLE_TRAVEL_KMH",
                    1,
                    1_000_000,
                    "Speed between two sign-ins that is impossible travel.")
            .defaultValue(900);
    public static final Setting<Long> IMPOSSIBLE_TRAVEL_MIN_KM = Setting.number(
                    "SECURITY_IMPOSSIBLE_TRAVEL_MIN_KM", 0, 20_000, "Distances below this never alert (geo-IP noise).")
            .defaultValue(100);
    public static final Setting<Integer> NEW_COUNTRY_LEARNING_SIGN_INS = Setting.integer(
                    "SECURITY_NEW_COUNTRY_LEARNING_SIGN_INS",
                    0,
                    10_000,
                    "Sign-ins with a known country a user needs before a sign-in from a new country alerts.")
            .defaultValue(5);
    public static final Setting<Duration> LATENESS = Setting.millis(
                    "SECURITY_LATENESS_MS",
                    0,
                    MONTH_MS,
                    "How far (event time) past its rule's window behind the newest event an event still counts; older ones are dropped as late.")
            .defaultValue(DEFAULT_LATENESS.toMillis());

    /** Each rule's two settings, made once so that the declared instance is the one read. */
    private static final Map<String, Setting<Integer>> THRESHOLDS = new ConcurrentHashMap<>();

    private static final Map<String, Setting<Duration>> WINDOWS = new ConcurrentHashMap<>();

    /** Every setting: each threshold rule's threshold and window, then the stateful detectors'. */
    public static List<Setting<?>> settings() {
        List<Setting<?>> settings = new ArrayList<>();
        Stream.concat(ThresholdRules.BY_IP.stream(), ThresholdRules.BY_USER.stream())
                .forEach(rule -> {
                    settings.add(threshold(rule));
                    settings.add(window(rule));
                });
        settings.addAll(
                List.of(IMPOSSIBLE_TRAVEL_KMH, IMPOSSIBLE_TRAVEL_MIN_KM, NEW_COUNTRY_LEARNING_SIGN_INS, LATENESS));
        return settings;
    }

    public static SecuritySettings from(Settings settings) {
        return new SecuritySettings(
                limits(settings, ThresholdRules.BY_IP),
                limits(settings, ThresholdRules.BY_USER),
                settings.get(IMPOSSIBLE_TRAVEL_KMH),
                settings.get(IMPOSSIBLE_TRAVEL_MIN_KM),
                settings.get(NEW_COUNTRY_LEARNING_SIGN_INS),
                settings.get(LATENESS));
    }

    private static List<ThresholdRule> limits(Settings settings, List<ThresholdRule> rules) {
        return rules.stream()
                .map(rule -> rule.withLimits(settings.get(threshold(rule)), settings.get(window(rule))))
                .toList();
    }

    /** {@code SECURITY_<RULE>_THRESHOLD}. */
    private static Setting<Integer> threshold(ThresholdRule rule) {
        return THRESHOLDS.computeIfAbsent(
                rule.id(),
                id -> Setting.integer(
                                prefix(rule) + "_THRESHOLD",
                                1,
                                1_000_000,
                                "Events (or distinct values) that make a " + rule.id() + " alert.")
                        .defaultValue(rule.threshold()));
    }

    private static Setting<Duration> window(ThresholdRule rule) {
        return WINDOWS.computeIfAbsent(
                rule.id(),
                id -> Setting.millis(
                                prefix(rule) + "_WINDOW_MS",
                                1_000,
                                MONTH_MS,
                                "Event-time window of the " + rule.id() + " rule.")
                        .defaultValue(rule.window().toMillis()));
    }

    private static String prefix(ThresholdRule rule) {
        return "SECURITY_" + rule.id().toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
