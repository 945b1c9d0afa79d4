package io.authstream.streams.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authstream.schemas.avro.AuthEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.event.ruler.Machine;
import software.amazon.event.ruler.Patterns;

/**
 * The {@code match} patterns of some rules compiled into one event-ruler {@link Machine} (what
 * {@link RuleMatcher} runs for one kind of event):
 * each event is matched against all of them at once (event-ruler's cost grows with the event's
 * fields, hardly with the number of rules).
 *
 * <p>What event-ruler is given is the rule document cut down to the fields some pattern names
 * ({@link PatternPaths}), made straight from the event's fields and its raw text (what no pattern
 * names is skipped, not built), and given as a tree ({@code rulesForJSONEvent(JsonNode)}), not
 * the whole document as JSON text. The result is that of {@code rulesForJSONEvent} on the whole
 * document's text ({@link #matchesByText}), which the tests compare on every case of the built-in
 * pack and on generated events and raw texts.
 *
 * <p>A rule is added as the sub-rules event-ruler compiles its pattern into, each under a name
 * of its own ({@link PatternAlternatives}: event-ruler mixes up sub-rules kept under one name).
 *
 * <p>(event-ruler's {@code rulesForEvent(List)}, given the sorted fields of a document without
 * arrays, was measured slower: it splits every dotted field name on each step.)
 */
final class PatternMachine {

    /** Between a rule's id and the number of one of its alternatives: a character ids cannot hold. */
    private static final char ALTERNATIVE = '\u0000';

    /**
     * A sub-rule the machine holds ({@link PatternAlternatives}: field names to the patterns one of
     * which the field must meet), the rule it is part of, and the name event-ruler knows it by.
     */
    record NamedPattern(String ruleId, String name, Map<String, List<Patterns>> fields) {}

    private final Machine machine;
    /** The rule of each name event-ruler knows (a rule's id, or one per alternative: {@link PatternAlternatives}). */
    private final Map<String, String> ruleOfName = new HashMap<>();

    /** Each rule's place in the order the rules were given. */
    private final Map<String, Integer> order;

    private final PatternPaths paths;
    /** The AuthEvent fields some pattern names (but raw), by position. */
    private final int[] fieldPositions;

    private PatternMachine(Machine machine, PatternPaths paths, Map<String, Integer> order) {
        this.machine = machine;
        this.paths = paths;
        this.order = order;
        this.fieldPositions = RuleDocument.fieldPositions(paths::isBranch);
    }

    /**
     * These patterns in one machine; {@code order} gives each of their rules' place, by which
     * the ids matched are ordered.
     *
     * @throws IllegalArgumentException when a pattern does not compile
     */
    static PatternMachine of(List<NamedPattern> patterns, Map<String, Integer> order) {
        PatternMachine matcher = new PatternMachine(
                Machine.builder().build(),
                PatternPaths.ofNames(patterns.stream()
                        .flatMap(pattern -> pattern.fields().keySet().stream())
                        .toList()),
                order);
        for (NamedPattern pattern : patterns) {
            matcher.ruleOfName.put(pattern.name(), pattern.ruleId());
            try {
                matcher.machine.addPatternRule(pattern.name(), pattern.fields());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "rule " + pattern.ruleId() + ": match does not compile: " + e.getMessage(), e);
            }
        }
        return matcher;
    }

    /**
     * A rule's match as the sub-rules event-ruler is given, each under a name of its own
     * ({@link PatternAlternatives}); the one of a pattern without {@code $or} under the rule's id.
     *
     * @throws IllegalArgumentException when the pattern is not JSON, does not compile or has too
     *     many alternatives
     */
    static List<NamedPattern> alternatives(RuleDefinition rule) {
        try {
            List<Map<String, List<Patterns>>> alternatives = PatternAlternatives.of(rule.match());
            List<NamedPattern> named = new ArrayList<>(alternatives.size());
            for (int i = 0; i < alternatives.size(); i++) {
                String name = alternatives.size() == 1 ? rule.id() : rule.id() + ALTERNATIVE + i;
                named.add(new NamedPattern(rule.id(), name, alternatives.get(i)));
            }
            return named;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "rule " + rule.id() + " (" + rule.source() + "): match does not compile: " + e.getMessage(), e);
        }
    }

    /** Ids of the rules the event matches, in the order the rules were given. */
    List<String> matches(AuthEvent event) {
        ObjectNode document;
        try {
            document = RuleDocument.cutDown(event, paths, fieldPositions);
        } catch (PatternPaths.UnusualNode e) {
            return matchesByText(RuleDocument.of(event));
        }
        return matchesCutDown(document);
    }

    /** Ids of the rules a rule document matches, in the order the rules were given. */
    List<String> matches(JsonNode document) {
        if (!document.isObject()) {
            return matchesByText(document);
        }
        ObjectNode pruned;
        try {
            pruned = paths.prune(document, null);
        } catch (PatternPaths.UnusualNode e) {
            return matchesByText(document);
        }
        return matchesCutDown(pruned);
    }

    private List<String> matchesCutDown(ObjectNode document) {
        List<String> found;
        try {
            found = machine.rulesForJSONEvent(document);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("event-ruler could not read the rule document: " + e.getMessage(), e);
        }
        return inRuleOrder(found);
    }

    /**
     * The reference {@link #matches} is held to: event-ruler's {@code rulesForJSONEvent} on the
     * whole document as JSON text (slower; for tests and the benchmark).
     */
    List<String> matchesByText(JsonNode document) {
        List<String> found;
        try {
            found = machine.rulesForJSONEvent(document.toString());
        } catch (Exception e) {
            throw new IllegalArgumentException("event-ruler could not read the rule document: " + e.getMessage(), e);
        }
        return inRuleOrder(found);
    }

    private List<String> inRuleOrder(List<String> found) {
        if (found.size() <= 1) {
            List<String> ids = new ArrayList<>(1); // most events: nothing to order
            if (!found.isEmpty()) {
                ids.add(ruleOfName.get(found.get(0)));
            }
            return ids;
        }
        Set<String> unique = new HashSet<>();
        for (String name : found) {
            unique.add(ruleOfName.get(name));
        }
        List<String> ids = new ArrayList<>(unique);
        ids.sort((a, b) -> Integer.compare(order.get(a), order.get(b)));
        return ids;
    }
}
