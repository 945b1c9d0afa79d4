package io.authstream.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The settings of one app, declared once: its {@link Setting}s, the variable prefixes it owns (a
 * variable there that it does not declare is a typo, and refused), the prefixes it passes through
 * to a Kafka client ({@code KAFKA_PRODUCER_LINGER_MS} → {@code linger.ms}) with the client settings
 * it fixes itself (a pass-through of one of those is refused rather than silently overridden), and
 * checks across settings (contradictions). {@link #read} collects every problem and reports them
 * all at once, naming the variables and never a secret's value.
 */
public final class SettingsDef {

    /**
     * Variables {@code <prefix><NAME>} given to a client as {@code <name>} (properties
     * {@code <prefix>name} as they are), unless declared settings themselves; {@code fixed}: client
     * key → what sets it instead.
     */
    public record PassThrough(String prefix, String client, Map<String, String> fixed) {
        public PassThrough {
            fixed = Map.copyOf(fixed);
        }
    }

    /** A condition across settings; the problem, or empty. */
    @FunctionalInterface
    public interface Check {
        Optional<String> problem(Settings settings);
    }

    /** A check and the settings it compares: it runs when each of those has a value. */
    private record Condition(List<Setting<?>> reads, Check check) {}

    private final String app;
    private final List<Setting<?>> settings;
    private final List<String> ownPrefixes;
    private final List<String> notOwned;
    private final List<PassThrough> passThroughs;
    private final List<Condition> checks;

    private SettingsDef(
            String app,
            List<Setting<?>> settings,
            List<String> ownPrefixes,
            List<String> notOwned,
            List<PassThrough> passThroughs,
            List<Condition> checks) {
        this.app = app;
        this.settings = List.copyOf(settings);
        this.ownPrefixes = List.copyOf(ownPrefixes);
        this.notOwned = List.copyOf(notOwned);
        this.passThroughs = List.copyOf(passThroughs);
        this.checks = List.copyOf(checks);
        Map<String, Long> names =
                settings.stream().collect(Collectors.groupingBy(Setting::name, Collectors.counting()));
        names.forEach((name, count) -> {
            if (count > 1) {
                throw new IllegalStateException(app + ": " + name + " is declared " + count + " times");
            }
        });
    }

    public static SettingsDef of(String app, List<Setting<?>> settings) {
        return new SettingsDef(app, settings, List.of(), List.of(), List.of(), List.of());
    }

    /** Variables under these prefixes are this app's: one it does not declare is refused. */
    public SettingsDef ownPrefixes(String... prefixes) {
        return new SettingsDef(app, settings, List.of(prefixes), notOwned, passThroughs, checks);
    }

    /** Prefixes inside the owned ones that belong to someone else (the test harness, say). */
    public SettingsDef exceptPrefixes(String... prefixes) {
        return new SettingsDef(app, settings, ownPrefixes, List.of(prefixes), passThroughs, checks);
    }

    public SettingsDef passThrough(String prefix, String client, Map<String, String> fixed) {
        List<PassThrough> more = new ArrayList<>(passThroughs);
        more.add(new PassThrough(prefix, client, fixed));
        return new SettingsDef(app, settings, ownPrefixes, notOwned, more, checks);
    }

    /** A condition across {@code reads}, checked when each of them has a value (parsed, or its default). */
    public SettingsDef check(List<? extends Setting<?>> reads, Check check) {
        List<Condition> more = new ArrayList<>(checks);
        more.add(new Condition(List.copyOf(reads), check));
        return new SettingsDef(app, settings, ownPrefixes, notOwned, passThroughs, more);
    }

    public String app() {
        return app;
    }

    public List<Setting<?>> settings() {
        return settings;
    }

    public List<String> ownPrefixes() {
        return ownPrefixes;
    }

    public List<PassThrough> passThroughs() {
        return passThroughs;
    }

    /**
     * The settings from {@code env} (blank counts as unset).
     *
     * @throws IllegalArgumentException listing every problem
     */
    public Settings read(Map<String, String> env) {
        return read(env, List.of());
    }

    /**
     * The settings from {@code env}, with problems the caller found before (bad arguments, say)
     * listed first.
     *
     * @throws IllegalArgumentException listing every problem
     */
    public Settings read(Map<String, String> env, List<String> earlier) {
        List<String> problems = new ArrayList<>(earlier);
        Map<Setting<?>, Object> values = new HashMap<>();
        for (Setting<?> setting : settings) {
            String given = env.get(setting.name());
            String text =
                    given == null || given.isBlank() ? setting.defaultValue().orElse(null) : given.trim();
            if (text == null) {
                setting.example()
                        .ifPresent(example -> problems.add(setting.name() + " is required (e.g. " + example + ")"));
                continue;
            }
            try {
                values.put(setting, setting.parse(text));
            } catch (Setting.Invalid e) {
                problems.add(setting.name() + e.getMessage());
            } catch (IllegalArgumentException e) {
                problems.add(setting.name() + " must be " + e.getMessage()
                        + (setting.isSecret() ? "" : ", got " + shown(text)));
            }
        }
        Set<String> declared = settings.stream().map(Setting::name).collect(Collectors.toSet());
        new TreeMap<>(env).forEach((name, value) -> {
            if (declared.contains(name)) {
                return;
            }
            Optional<PassThrough> passThrough = passThroughs.stream()
                    .filter(p -> name.startsWith(p.prefix()))
                    .findFirst();
            if (passThrough.isPresent()) {
                String key = clientKey(passThrough.get(), name);
                String fixedBy = passThrough.get().fixed().get(key);
                if (fixedBy != null) {
                    problems.add(
                            name + " would set the " + passThrough.get().client() + "'s " + key + ", which " + fixedBy);
                }
            } else if (owned(name)) {
                problems.add("unknown variable " + name
                        + nearest(name).map(n -> " (did you mean " + n + "?)").orElse("")
                        + "; " + app + " reads "
                        + String.join(
                                ", ", ownPrefixes.stream().map(p -> p + "*").toList())
                        + " as its own settings");
            }
        });
        Settings read = new Settings(values, passThroughValues(env, declared));
        for (Condition condition : checks) {
            if (condition.reads().stream().allMatch(values::containsKey)) {
                condition.check().problem(read).ifPresent(problems::add);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid " + app + " settings:\n  - " + String.join("\n  - ", problems));
        }
        return read;
    }

    private Map<String, Map<String, String>> passThroughValues(Map<String, String> env, Set<String> declared) {
        Map<String, Map<String, String>> byPrefix = new LinkedHashMap<>();
        for (PassThrough passThrough : passThroughs) {
            Map<String, String> client = new HashMap<>();
            env.forEach((name, value) -> {
                if (name.startsWith(passThrough.prefix()) && !declared.contains(name)) {
                    client.put(clientKey(passThrough, name), value);
                }
            });
            byPrefix.put(passThrough.prefix(), Map.copyOf(client));
        }
        return byPrefix;
    }

    private static String clientKey(PassThrough passThrough, String name) {
        return name.substring(passThrough.prefix().length())
                .toLowerCase(Locale.ROOT)
                .replace('_', '.');
    }

    private boolean owned(String name) {
        return ownPrefixes.stream().anyMatch(name::startsWith)
                && notOwned.stream().noneMatch(name::startsWith);
    }

    /** The declared name a typo most likely meant: at most a third of its letters off. */
    private Optional<String> nearest(String name) {
        Function<String, Integer> distance = candidate -> editDistance(name, candidate);
        return settings.stream()
                .map(Setting::name)
                .min(Comparator.comparing(distance))
                .filter(candidate -> distance.apply(candidate) <= Math.max(2, candidate.length() / 3));
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** Numbers as they are, anything else quoted (so blanks and stray characters show). */
    private static String shown(String text) {
        return text.matches("-?\\d{1,19}") ? text : "'" + text + "'";
    }
}
