package io.authstream.streams.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authstream.schemas.avro.AuthEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Matches events against the {@code match} patterns of a list of rules, giving the ids of those
 * that match, with event-ruler's semantics ({@link #matchesByText} is the reference: one machine
 * of every rule, fed the whole document's JSON text).
 *
 * <p>Most rules name the events they look at by an exact {@code type} or {@code originalType}
 * (the pack's do), and most events are of a few kinds. So the rules are dispatched: for an event
 * of type {@code t} and original type {@code o}, only the rules whose top-level {@code type} list
 * (when it is a list of plain strings) holds {@code t} and whose {@code originalType} list holds
 * {@code o}, plus the rules that constrain neither, can match; they are compiled into a
 * {@link PatternMachine} of their own, made on the first such event and kept. An event no rule
 * can match costs a map look-up: no rule document is built. Kinds beyond {@link #MAX_KINDS}
 * (types are the normaliser's, so this means a producer inventing them) use the machine of every
 * rule.
 */
public final class RuleMatcher {

    static final int MAX_KINDS = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The rules' fixed values of one top-level field; empty when a rule does not fix that field. */
    private record Fixed(Optional<Set<String>> types, Optional<Set<String>> originalTypes) {

        boolean admits(String type, String originalType) {
            return types.map(t -> type != null && t.contains(type)).orElse(true)
                    && originalTypes
                            .map(o -> originalType != null && o.contains(originalType))
                            .orElse(true);
        }
    }

    private record Kind(String type, String originalType) {}

    private final List<RuleDefinition> rules;
    private final List<Fixed> fixed;
    private final PatternMachine all;
    private final Map<Kind, PatternMachine> byKind = new ConcurrentHashMap<>();
    private final Map<String, Integer> order = new HashMap<>();

    private RuleMatcher(List<RuleDefinition> rules) {
        this.rules = List.copyOf(rules);
        this.all = PatternMachine.of(this.rules);
        List<Fixed> constraints = new ArrayList<>(rules.size());
        for (RuleDefinition rule : this.rules) {
            order.put(rule.id(), order.size());
            constraints.add(fixed(rule.match()));
        }
        this.fixed = List.copyOf(constraints);
    }

    /** @throws IllegalArgumentException when two rules share an id or a pattern does not compile */
    public static RuleMatcher of(List<RuleDefinition> rules) {
        return new RuleMatcher(rules);
    }

    /** Ids of the rules the event matches, in the order the rules were given. */
    public List<String> matches(AuthEvent event) {
        PatternMachine machine = machineFor(event.getType(), event.getOriginalType());
        return machine == null ? new ArrayList<>(0) : machine.matches(event);
    }

    /** Ids of the rules a rule document matches, in the order the rules were given. */
    public List<String> matches(JsonNode document) {
        PatternMachine machine = machineFor(
                document.path("type").isTextual() ? document.get("type").asText() : null,
                document.path("originalType").isTextual()
                        ? document.get("originalType").asText()
                        : null);
        return machine == null ? new ArrayList<>(0) : machine.matches(document);
    }

    /**
     * The reference {@link #matches} is held to: event-ruler's {@code rulesForJSONEvent} on the
     * whole document as JSON text, with every rule in one machine (slower; for tests and the
     * benchmark).
     */
    public List<String> matchesByText(JsonNode document) {
        return all.matchesByText(document);
    }

    /** See {@link FieldPaths#valueAt}: the value at a dotted path, for groupBy, distinct and summaries. */
    public static Optional<String> valueAt(JsonNode document, String path) {
        return FieldPaths.valueAt(document, path);
    }

    /** How many kinds of event have a machine of their own so far (for tests). */
    int kinds() {
        return byKind.size();
    }

    /** The machine of the rules an event of this kind can match; null when there is none. */
    private PatternMachine machineFor(String type, String originalType) {
        Kind kind = new Kind(type, originalType);
        PatternMachine machine = byKind.get(kind);
        if (machine != null) {
            return machine == EMPTY ? null : machine;
        }
        if (byKind.size() >= MAX_KINDS) {
            return all;
        }
        machine = byKind.computeIfAbsent(kind, k -> {
            List<RuleDefinition> candidates = new ArrayList<>();
            for (int i = 0; i < rules.size(); i++) {
                if (fixed.get(i).admits(k.type(), k.originalType())) {
                    candidates.add(rules.get(i));
                }
            }
            return candidates.isEmpty() ? EMPTY : PatternMachine.of(candidates);
        });
        return machine == EMPTY ? null : machine;
    }

    /** Stands for "no rule can match this kind" in the map (which holds no nulls). */
    private static final PatternMachine EMPTY = PatternMachine.of(List.of());

    /**
     * The values a pattern fixes {@code type} and {@code originalType} to: its top-level key holds
     * a list of strings only (exact matches). Anything else (an operator, a number, a {@code $or}
     * around it) fixes nothing, and the rule is a candidate for every event.
     */
    private static Fixed fixed(String match) {
        JsonNode pattern;
        try {
            pattern = JSON.readTree(match);
        } catch (IOException e) {
            return new Fixed(Optional.empty(), Optional.empty());
        }
        return new Fixed(strings(pattern.get("type")), strings(pattern.get("originalType")));
    }

    private static Optional<Set<String>> strings(JsonNode list) {
        if (list == null || !list.isArray() || list.isEmpty()) {
            return Optional.empty();
        }
        Set<String> values = new LinkedHashSet<>();
        for (JsonNode value : list) {
            if (!value.isTextual()) {
                return Optional.empty();
            }
            values.add(value.asText());
        }
        return Optional.of(Set.copyOf(values));
    }

    @Override
    public String toString() {
        Set<String> ids = new HashSet<>();
        rules.forEach(r -> ids.add(r.id()));
        return "RuleMatcher" + Objects.toString(ids);
    }
}
