package io.authstream.streams.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authstream.schemas.avro.AuthEvent;
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
import software.amazon.event.ruler.Machine;
import software.amazon.event.ruler.Patterns;

/**
 * Matches events against the {@code match} patterns of a list of rules, giving the ids of those
 * that match, with event-ruler's semantics ({@link #matchesByText} is the reference: one machine
 * of every rule, fed the whole document's JSON text).
 *
 * <p>Most rules name the events they look at by their {@code type}, {@code originalType} or
 * {@code outcome} (the pack's do), and most events are of a few kinds. So the rules are
 * dispatched. Each sub-rule of a rule's pattern (event-ruler's own, {@link PatternAlternatives}:
 * the {@code $or} multiplied out, a conjunction of fields) is split in two: its conditions on
 * those three fields (its <em>kind pattern</em>) and the rest. The kind patterns are matched, by
 * event-ruler, against the three values of an event: a sub-rule whose kind pattern does not
 * match cannot match the event; one whose kind pattern matches does exactly when its rest does,
 * so for that kind only the rest is matched, and a sub-rule with no rest (a rule that only names
 * event types) matches every event of the kind without a look at it. The rests left
 * are compiled into a {@link PatternMachine} of their own, made on the first event of that kind
 * and kept. An event no rest can match costs a map look-up: no rule document is built. Kinds
 * beyond {@link #MAX_KINDS} (types are the normaliser's, so this means a producer inventing them)
 * use the machine of every rule.
 */
public final class RuleMatcher {

    static final int MAX_KINDS = 1024;
    /** The fields events are dispatched by: the rule document's own, from the AuthEvent's fields of these names. */
    static final List<String> KIND_FIELDS = List.of("type", "originalType", "outcome");

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

    /**
     * A sub-rule of a rule, split ({@link #split}): what it asks of the kind fields (null when it
     * asks nothing of them) and the sub-rule of the rest (null when it asks nothing else).
     */
    private record Split(
            PatternMachine.NamedPattern alternative,
            Map<String, List<Patterns>> kindPattern,
            PatternMachine.NamedPattern rest) {}

    /**
     * How events of one kind are matched: the rules they match whatever else they hold
     * ({@code always}, in rule order), and the machine of the rests of the others (null when
     * there is none).
     */
    private record KindMatcher(List<String> always, PatternMachine rests) {}

    private final List<RuleDefinition> rules;
    /** Each rule's place in the order the rules were given. */
    private final Map<String, Integer> order = new HashMap<>();
    /** Every rule's sub-rules, split, in rule order. */
    private final List<Split> splits = new ArrayList<>();
    /** The kind patterns of the sub-rules that have one, each under its sub-rule's name. */
    private final Machine kindPatterns = Machine.builder().build();

    private final PatternMachine all;
    private final Map<Kind, KindMatcher> byKind = new ConcurrentHashMap<>();
    private final HitDocuments hitDocuments;

    private RuleMatcher(List<RuleDefinition> rules) {
        this.rules = List.copyOf(rules);
        this.hitDocuments = new HitDocuments(this.rules);
        List<PatternMachine.NamedPattern> every = new ArrayList<>();
        for (RuleDefinition rule : this.rules) {
            if (order.putIfAbsent(rule.id(), order.size()) != null) {
                throw new IllegalArgumentException("two rules have the id " + rule.id());
            }
            // each pattern compiled once, for the machine of every rule and the dispatch's parts alike
            for (PatternMachine.NamedPattern alternative : PatternMachine.alternatives(rule)) {
                every.add(alternative);
                Split split = split(alternative);
                if (split.kindPattern() != null) {
                    kindPatterns.addPatternRule(alternative.name(), split.kindPattern());
                }
                splits.add(split);
            }
        }
        this.all = PatternMachine.of(every, order);
    }

    /** @throws IllegalArgumentException when two rules share an id or a pattern does not compile */
    public static RuleMatcher of(List<RuleDefinition> rules) {
        return new RuleMatcher(rules);
    }

    /** Ids of the rules the event matches, in the order the rules were given. */
    public List<String> matches(AuthEvent event) {
        KindMatcher matcher = matcherFor(new Kind(
                event.getType(),
                event.getOriginalType(),
                event.getOutcome() == null ? null : event.getOutcome().name()));
        return with(
                matcher.always(),
                matcher.rests() == null ? null : matcher.rests().matches(event));
    }

    /** Ids of the rules a rule document matches, in the order the rules were given. */
    public List<String> matches(JsonNode document) {
        for (String field : KIND_FIELDS) {
            if (document.has(field) && !document.get(field).isTextual()) {
                return all.matches(document); // not a kind's value: the kind pattern could not be matched alone
            }
        }
        KindMatcher matcher = matcherFor(new Kind(
                document.path(KIND_FIELDS.get(0)).textValue(),
                document.path(KIND_FIELDS.get(1)).textValue(),
                document.path(KIND_FIELDS.get(2)).textValue()));
        return with(
                matcher.always(),
                matcher.rests() == null ? null : matcher.rests().matches(document));
    }

    /** The rules matched whatever the event holds, and those its rests matched, in rule order. */
    private List<String> with(List<String> always, List<String> matched) {
        if (always.isEmpty()) {
            return matched == null ? new ArrayList<>(0) : matched;
        }
        if (matched == null || matched.isEmpty()) {
            return new ArrayList<>(always);
        }
        Set<String> ids = new HashSet<>(always);
        ids.addAll(matched);
        List<String> ordered = new ArrayList<>(ids);
        ordered.sort((a, b) -> Integer.compare(order.get(a), order.get(b)));
        return ordered;
    }

    /**
     * The rule document of an event these rules ({@link #matches} of it) matched, cut down to
     * what they read of it (groupBy, distinct, summary fields): for those, the same as
     * {@link RuleDocument#of}.
     */
    public ObjectNode documentFor(List<String> matched, AuthEvent event) {
        return hitDocuments.of(matched, event);
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

    /** How events of this kind are matched. */
    private KindMatcher matcherFor(Kind kind) {
        KindMatcher matcher = byKind.get(kind);
        if (matcher != null) {
            return matcher;
        }
        if (byKind.size() >= MAX_KINDS) {
            return new KindMatcher(List.of(), all);
        }
        return byKind.computeIfAbsent(kind, this::matcherOf);
    }

    private KindMatcher matcherOf(Kind kind) {
        Set<String> admitted = new HashSet<>(kindPatterns.rulesForJSONEvent(kind.document()));
        Set<String> always = new LinkedHashSet<>();
        List<PatternMachine.NamedPattern> rests = new ArrayList<>();
        for (Split split : splits) {
            String name = split.alternative().name();
            if (split.kindPattern() != null && !admitted.contains(name)) {
                continue;
            }
            if (split.rest() == null) {
                always.add(split.alternative().ruleId());
            } else {
                rests.add(split.rest());
            }
        }
        // a rule matched always need not be looked for in the rests
        rests.removeIf(rest -> always.contains(rest.ruleId()));
        return new KindMatcher(List.copyOf(always), rests.isEmpty() ? null : PatternMachine.of(rests, order));
    }

    /**
     * A sub-rule split in two: its fields among {@link #KIND_FIELDS} (its kind pattern) and the
     * others (its rest). A sub-rule is a conjunction of its fields, and those three are the
     * document's top-level text values, matched alone (no array holds them), so it matches an
     * event exactly when both parts do.
     */
    private static Split split(PatternMachine.NamedPattern alternative) {
        Map<String, List<Patterns>> kind = new HashMap<>();
        Map<String, List<Patterns>> rest = new HashMap<>();
        alternative.fields().forEach((field, patterns) -> {
            (KIND_FIELDS.contains(field) ? kind : rest).put(field, patterns);
        });
        return new Split(
                alternative,
                kind.isEmpty() ? null : kind,
                rest.isEmpty()
                        ? null
                        : new PatternMachine.NamedPattern(alternative.ruleId(), alternative.name(), rest));
    }

    @Override
    public String toString() {
        Set<String> ids = new HashSet<>();
        rules.forEach(r -> ids.add(r.id()));
        return "RuleMatcher" + Objects.toString(ids);
    }
}
