package io.authstream.streams.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authstream.schemas.avro.AuthEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.event.ruler.Machine;

/**
 * Matches events against the {@code match} patterns of a list of rules, giving the ids of those
 * that match, with event-ruler's semantics ({@link #matchesByText} is the reference: one machine
 * of every rule, fed the whole document's JSON text).
 *
 * <p>Most rules name the events they look at by their {@code type}, {@code originalType} or
 * {@code outcome} (the pack's do), and most events are of a few kinds. So the rules are
 * dispatched: a rule's top-level conditions on those three fields (its <em>kind pattern</em>;
 * the rest of the pattern left out) are matched, by event-ruler, against the three values of an
 * event; a rule whose kind pattern does not match cannot match the event, as a pattern is the
 * conjunction of its top-level fields. The rules left are compiled into a {@link PatternMachine}
 * of their own, made on the first event of that kind and kept. An event no rule can match costs
 * a map look-up: no rule document is built. Kinds beyond {@link #MAX_KINDS} (types are the
 * normaliser's, so this means a producer inventing them) use the machine of every rule.
 */
public final class RuleMatcher {

    static final int MAX_KINDS = 1024;
    /** The fields events are dispatched by: the rule document's own, from the AuthEvent's fields of these names. */
    static final List<String> KIND_FIELDS = List.of("type", "originalType", "outcome");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OR = "$or";

    private record Kind(String type, String originalType, String outcome) {

        ObjectNode document() {
            ObjectNode document = JsonNodeFactory.instance.objectNode();
            put(document, KIND_FIELDS.get(0), type);
            put(document, KIND_FIELDS.get(1), originalType);
            put(document, KIND_FIELDS.get(2), outcome);
            return document;
        }

        private static void put(ObjectNode document, String field, String value) {
            if (value != null) {
                document.put(field, value);
            }
        }
    }

    private final List<RuleDefinition> rules;
    /** The kind patterns of the rules that have one, each under its rule's id. */
    private final Machine kindPatterns = Machine.builder().build();
    /** Ids of the rules without a kind pattern: candidates for every event. */
    private final Set<String> everyKind = new HashSet<>();

    private final PatternMachine all;
    private final Map<Kind, PatternMachine> byKind = new ConcurrentHashMap<>();

    private RuleMatcher(List<RuleDefinition> rules) {
        this.rules = List.copyOf(rules);
        this.all = PatternMachine.of(this.rules);
        for (RuleDefinition rule : this.rules) {
            Optional<String> kindPattern = kindPattern(rule.match());
            boolean added = false;
            if (kindPattern.isPresent()) {
                try {
                    kindPatterns.addRule(rule.id(), kindPattern.get());
                    added = true;
                } catch (IOException | RuntimeException e) {
                    // a part of a pattern that compiled whole: should not happen; the rule is then a candidate always
                }
            }
            if (!added) {
                everyKind.add(rule.id());
            }
        }
    }

    /** @throws IllegalArgumentException when two rules share an id or a pattern does not compile */
    public static RuleMatcher of(List<RuleDefinition> rules) {
        return new RuleMatcher(rules);
    }

    /** Ids of the rules the event matches, in the order the rules were given. */
    public List<String> matches(AuthEvent event) {
        PatternMachine machine = machineFor(new Kind(
                event.getType(),
                event.getOriginalType(),
                event.getOutcome() == null ? null : event.getOutcome().name()));
        return machine == null ? new ArrayList<>(0) : machine.matches(event);
    }

    /** Ids of the rules a rule document matches, in the order the rules were given. */
    public List<String> matches(JsonNode document) {
        for (String field : KIND_FIELDS) {
            if (document.has(field) && !document.get(field).isTextual()) {
                return all.matches(document); // not a kind's value: the kind pattern could not be matched alone
            }
        }
        PatternMachine machine = machineFor(new Kind(
                document.path(KIND_FIELDS.get(0)).textValue(),
                document.path(KIND_FIELDS.get(1)).textValue(),
                document.path(KIND_FIELDS.get(2)).textValue()));
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
    private PatternMachine machineFor(Kind kind) {
        PatternMachine machine = byKind.get(kind);
        if (machine != null) {
            return machine == EMPTY ? null : machine;
        }
        if (byKind.size() >= MAX_KINDS) {
            return all;
        }
        machine = byKind.computeIfAbsent(kind, k -> {
            Set<String> admitted = new HashSet<>(kindPatterns.rulesForJSONEvent(k.document()));
            List<RuleDefinition> candidates = new ArrayList<>();
            for (RuleDefinition rule : rules) {
                if (admitted.contains(rule.id()) || everyKind.contains(rule.id())) {
                    candidates.add(rule);
                }
            }
            return candidates.isEmpty() ? EMPTY : PatternMachine.of(candidates);
        });
        return machine == EMPTY ? null : machine;
    }

    /** Stands for "no rule can match this kind" in the map (which holds no nulls). */
    private static final PatternMachine EMPTY = PatternMachine.of(List.of());

    /**
     * A pattern's top-level fields among {@link #KIND_FIELDS}, as a pattern of their own; empty
     * when it has none ({@code $or} and every other field are left out: what is left matches at
     * least every event the whole pattern matches). A field a {@code $or} also names is left out
     * too: event-ruler then does not hold the event to both conditions (a branch's may stand in
     * for the top-level one), so the top-level one alone does not rule the event out.
     */
    static Optional<String> kindPattern(String match) {
        JsonNode pattern;
        try {
            pattern = JSON.readTree(match);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (pattern == null || !pattern.isObject()) {
            return Optional.empty();
        }
        ObjectNode kept = JsonNodeFactory.instance.objectNode();
        for (String field : KIND_FIELDS) {
            if (pattern.has(field) && !namedInOr(pattern.get(OR), field)) {
                kept.set(field, pattern.get(field));
            }
        }
        return kept.isEmpty() ? Optional.empty() : Optional.of(kept.toString());
    }

    /** Whether a branch of this {@code $or} (or of a {@code $or} in a branch) names the field at its top. */
    private static boolean namedInOr(JsonNode or, String field) {
        if (or == null || !or.isArray()) {
            return false;
        }
        for (JsonNode branch : or) {
            if (branch.isObject() && (branch.has(field) || namedInOr(branch.get(OR), field))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        Set<String> ids = new HashSet<>();
        rules.forEach(r -> ids.add(r.id()));
        return "RuleMatcher" + Objects.toString(ids);
    }
}
