package io.authstream.streams.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The detection rules in force on this instance: the built-in pack, overridden by the user's
 * files ({@code RULES_DIR}) and then by rules published on {@code auth.rules}; a rule with an id
 * already present replaces it, a rule with {@code enabled: false} switches that id off, and
 * withdrawing a published rule brings back what it replaced. Ids listed in {@code RULES_DISABLED}
 * stay off whatever is published.
 *
 * <p>Every change compiles a new {@link Snapshot}; stream threads read the current one for each
 * event, so a change applies from the next event on, without a restart, and no event sees half of
 * one. Changes come from the global stream thread, one at a time.
 */
public final class RuleBook {

    /** The rules that run and their one compiled matcher. */
    public record Snapshot(RuleMatcher matcher, Map<String, RuleDefinition> rules) {

        public Optional<RuleDefinition> rule(String id) {
            return Optional.ofNullable(rules.get(id));
        }
    }

    /** Where a rule in force came from, for the HTTP listing and the logs. */
    public enum Origin {
        BUILT_IN,
        RULES_DIR,
        PUBLISHED
    }

    /** One id's state: the definition in force (or the disabling entry) and where it came from. */
    public record Entry(RuleDefinition rule, Origin origin) {}

    private final Map<String, Entry> base = new LinkedHashMap<>();
    private final Map<String, RuleDefinition> published = new LinkedHashMap<>();
    private final Map<String, String> refused = new TreeMap<>();
    private final Set<String> switchedOff;
    private volatile Snapshot current;

    private RuleBook(List<RuleDefinition> builtIn, List<RuleDefinition> userRules, Set<String> switchedOff) {
        builtIn.forEach(rule -> base.put(rule.id(), new Entry(rule, Origin.BUILT_IN)));
        userRules.forEach(rule -> base.put(rule.id(), new Entry(rule, Origin.RULES_DIR)));
        this.switchedOff = Set.copyOf(switchedOff);
        this.current = compile();
    }

    /**
     * @param builtIn the pack in the jar (with the settings' thresholds applied)
     * @param userRules the rules of {@code RULES_DIR}, overriding built-in ones of the same id
     * @param switchedOff ids that never run ({@code RULES_DISABLED})
     */
    public static RuleBook of(List<RuleDefinition> builtIn, List<RuleDefinition> userRules, Set<String> switchedOff) {
        return new RuleBook(builtIn, userRules, switchedOff);
    }

    /** The built-in pack alone. */
    public static RuleBook builtIn() {
        return of(RuleFileLoader.builtIn(), List.of(), Set.of());
    }

    public Snapshot current() {
        return current;
    }

    /**
     * Applies a record of auth.rules.
     *
     * @return why it was refused, or empty when it is in force (the previous version of the rule
     *     stays in force when it is refused)
     */
    public synchronized Optional<String> publish(String id, String text) {
        RuleDefinition rule;
        try {
            rule = RuleFileLoader.loadOne("auth.rules[" + id + "]", id, text);
            if (rule.enabled()) {
                RuleMatcher.of(List.of(rule));
            }
        } catch (RuleFileException e) {
            String reason = String.join("; ", e.problems());
            refused.put(id, reason);
            return Optional.of(reason);
        } catch (IllegalArgumentException e) {
            refused.put(id, e.getMessage());
            return Optional.of(e.getMessage());
        }
        refused.remove(id);
        published.put(id, rule);
        current = compile();
        return Optional.empty();
    }

    /** Applies a tombstone of auth.rules: what the published rule replaced is in force again. */
    public synchronized void withdraw(String id) {
        refused.remove(id);
        if (published.remove(id) != null) {
            current = compile();
        }
    }

    /** Every id with its entry in force, in order: built-in, then the user's, then published. */
    public synchronized Map<String, Entry> entries() {
        Map<String, Entry> all = new LinkedHashMap<>(base);
        published.forEach((id, rule) -> all.put(id, new Entry(rule, Origin.PUBLISHED)));
        return all;
    }

    /** Published records refused, by id, with the reason. */
    public synchronized Map<String, String> refused() {
        return Map.copyOf(refused);
    }

    public Set<String> switchedOff() {
        return switchedOff;
    }

    private Snapshot compile() {
        Map<String, RuleDefinition> running = new LinkedHashMap<>();
        for (Entry entry : entries().values()) {
            RuleDefinition rule = entry.rule();
            if (rule.enabled() && !switchedOff.contains(rule.id())) {
                running.put(rule.id(), rule);
            }
        }
        Collection<RuleDefinition> rules = running.values();
        return new Snapshot(RuleMatcher.of(new ArrayList<>(rules)), Map.copyOf(running));
    }
}
