package io.authstream.streams.security;

import io.authstream.config.Setting;
import io.authstream.config.Settings;
import io.authstream.streams.rules.RuleBook;
import io.authstream.streams.rules.RuleDefinition;
import io.authstream.streams.rules.RuleFileException;
import io.authstream.streams.rules.RuleFileLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * What the security stage runs: the built-in rule pack (with the thresholds and windows the
 * {@code SECURITY_<RULE>_THRESHOLD} / {@code _WINDOW_MS} settings give its first seven threshold
 * rules), the user's rule files ({@code RULES_DIR}), the ids switched off ({@code RULES_DISABLED}),
 * and the stateful travel detectors' settings.
 *
 * @param builtIn the built-in pack, with the settings' limits applied
 * @param userRules the rules of RULES_DIR (override built-in rules of the same id)
 * @param switchedOff rule ids that never run
 * @param newCountryLearningSignIns sign-ins with a country a user needs before a new country alerts
 * @param lateness how far past its rule's window behind stream time an event still counts (see {@link RuleCounter})
 */
public record SecuritySettings(
        List<RuleDefinition> builtIn,
        List<RuleDefinition> userRules,
        Set<String> switchedOff,
        double impossibleTravelKmh,
        double impossibleTravelMinKm,
        int newCountryLearningSignIns,
        Duration lateness) {

    public SecuritySettings {
        builtIn = List.copyOf(builtIn);
        userRules = List.copyOf(userRules);
        switchedOff = Set.copyOf(switchedOff);
    }

    /**
     * An hour covers a partition that lags behind the others while the app catches up; a larger
     * value keeps quiet subjects' windows longer.
     */
    static final Duration DEFAULT_LATENESS = Duration.ofHours(1);

    /** The built-in rules whose threshold and window have settings of their own (they were settings before rule files). */
    public static final List<String> TUNABLE_RULES = List.of(
            "brute-force",
            "credential-stuffing",
            "credential-stuffing-accounts",
            "signup-abuse",
            "multi-ip-sign-in",
            "mfa-push-fatigue",
            "rapid-credential-refresh");

    public static SecuritySettings defaults() {
        return new SecuritySettings(BuiltIn.RULES, List.of(), Set.of(), 900, 100, 5, DEFAULT_LATENESS);
    }

    /** A fresh rule book of these rules: one per topology, shared by its processors. */
    public RuleBook ruleBook() {
        return RuleBook.of(builtIn, userRules, switchedOff);
    }

    /** The same settings with other user rules (rule tests, the rules command). */
    public SecuritySettings withUserRules(List<RuleDefinition> rules) {
        return new SecuritySettings(
                builtIn,
                rules,
                switchedOff,
                impossibleTravelKmh,
                impossibleTravelMinKm,
                newCountryLearningSignIns,
                lateness);
    }

    private static final long MONTH_MS = 30L * 24 * 3600 * 1000;
    private static final Pattern ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

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

    public static final Setting<List<RuleDefinition>> RULES_DIR = Setting.of(
            "RULES_DIR",
            "directory",
            SecuritySettings::loadRulesDir,
            "Directory of the user's rule files (*.yml, *.yaml, *.json; docs/rules-format.md), loaded and validated at start; a rule with a built-in rule's id replaces it. Unset: the built-in pack and published rules only.");

    public static final Setting<Set<String>> RULES_DISABLED = Setting.of(
                    "RULES_DISABLED",
                    "comma-separated rule ids",
                    SecuritySettings::ids,
                    "Rule ids that never run, whatever RULES_DIR or auth.rules say (e.g. signup-abuse,multi-ip-sign-in).")
            .defaultValue("");

    /** Each tunable rule's two settings, made once so that the declared instance is the one read. */
    private static final Map<String, Setting<Integer>> THRESHOLDS = new ConcurrentHashMap<>();

    private static final Map<String, Setting<Duration>> WINDOWS = new ConcurrentHashMap<>();

    /** Every setting: each tunable rule's threshold and window, the rule sources, then the stateful detectors'. */
    public static List<Setting<?>> settings() {
        List<Setting<?>> settings = new ArrayList<>();
        for (String id : TUNABLE_RULES) {
            settings.add(threshold(id));
            settings.add(window(id));
        }
        settings.addAll(List.of(
                RULES_DIR,
                RULES_DISABLED,
                IMPOSSIBLE_TRAVEL_KMH,
                IMPOSSIBLE_TRAVEL_MIN_KM,
                NEW_COUNTRY_LEARNING_SIGN_INS,
                LATENESS));
        return settings;
    }

    public static SecuritySettings from(Settings settings) {
        List<RuleDefinition> builtIn = BuiltIn.RULES.stream()
                .map(rule -> TUNABLE_RULES.contains(rule.id())
                        ? rule.withLimits(settings.get(threshold(rule.id())), settings.get(window(rule.id())))
                        : rule)
                .toList();
        return new SecuritySettings(
                builtIn,
                settings.optional(RULES_DIR).orElse(List.of()),
                settings.get(RULES_DISABLED),
                settings.get(IMPOSSIBLE_TRAVEL_KMH),
                settings.get(IMPOSSIBLE_TRAVEL_MIN_KM),
                settings.get(NEW_COUNTRY_LEARNING_SIGN_INS),
                settings.get(LATENESS));
    }

    /** The pack, read once per JVM: it is in the jar and cannot change. */
    private static final class BuiltIn {
        static final List<RuleDefinition> RULES = RuleFileLoader.builtIn();

        static RuleDefinition rule(String id) {
            return RULES.stream()
                    .filter(r -> r.id().equals(id))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("the built-in pack has no rule " + id));
        }
    }

    /** {@code SECURITY_<RULE>_THRESHOLD}, defaulting to the pack's. */
    private static Setting<Integer> threshold(String id) {
        return THRESHOLDS.computeIfAbsent(
                id,
                rule -> Setting.integer(
                                prefix(rule) + "_THRESHOLD",
                                1,
                                1_000_000,
                                "Events (or distinct values) that make a " + rule + " alert (built-in rule).")
                        .defaultValue(BuiltIn.rule(rule).threshold()));
    }

    private static Setting<Duration> window(String id) {
        return WINDOWS.computeIfAbsent(
                id,
                rule -> Setting.millis(
                                prefix(rule) + "_WINDOW_MS",
                                1_000,
                                MONTH_MS,
                                "Event-time window of the built-in " + rule + " rule.")
                        .defaultValue(BuiltIn.rule(rule).window().orElseThrow().toMillis()));
    }

    private static String prefix(String id) {
        return "SECURITY_" + id.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static List<RuleDefinition> loadRulesDir(String text) {
        Path directory = Path.of(text);
        if (!Files.isDirectory(directory)) {
            throw new Setting.Invalid(": " + text + " is not a directory");
        }
        try {
            return RuleFileLoader.loadDirectory(directory);
        } catch (RuleFileException e) {
            throw new Setting.Invalid(": " + e.problems().size() + " problem(s) in the rule files:\n  "
                    + String.join("\n  ", e.problems()));
        }
    }

    private static Set<String> ids(String text) {
        Set<String> ids = new LinkedHashSet<>();
        for (String id : Arrays.stream(text.split(",")).map(String::strip).toList()) {
            if (id.isEmpty()) {
                continue;
            }
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException(
                        "rule ids (kebab-case), separated by commas; \"" + id + "\" is not one");
            }
            ids.add(id);
        }
        return ids;
    }
}
