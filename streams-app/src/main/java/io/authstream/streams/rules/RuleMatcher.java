package io.authstream.streams.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.authstream.schemas.avro.AuthEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.event.ruler.Machine;

/**
 * The {@code match} patterns of a list of rules compiled into one event-ruler {@link Machine}:
 * each event is matched against all of them at once (event-ruler's cost grows with the event's
 * fields, hardly with the number of rules).
 */
public final class RuleMatcher {

    private final Machine machine;
    private final Map<String, Integer> order = new HashMap<>();

    private RuleMatcher(Machine machine) {
        this.machine = machine;
    }

    /** @throws IllegalArgumentException when two rules share an id or a pattern does not compile */
    public static RuleMatcher of(List<RuleDefinition> rules) {
        RuleMatcher matcher = new RuleMatcher(Machine.builder().build());
        for (RuleDefinition rule : rules) {
            if (matcher.order.putIfAbsent(rule.id(), matcher.order.size()) != null) {
                throw new IllegalArgumentException("two rules have the id " + rule.id());
            }
            try {
                matcher.machine.addRule(rule.id(), rule.match());
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(
                        "rule " + rule.id() + " (" + rule.source() + "): match does not compile: " + e.getMessage(), e);
            }
        }
        return matcher;
    }

    /** Ids of the rules the event matches, in the order the rules were given. */
    public List<String> matches(AuthEvent event) {
        return matchesJson(RuleDocument.json(event));
    }

    /** Ids of the rules a rule document matches, in the order the rules were given. */
    public List<String> matches(JsonNode document) {
        return matchesJson(document.toString());
    }

    private List<String> matchesJson(String json) {
        List<String> found;
        try {
            found = machine.rulesForJSONEvent(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("event-ruler could not read the rule document: " + e.getMessage(), e);
        }
        Set<String> unique = new HashSet<>(found);
        List<String> ids = new ArrayList<>(unique);
        ids.sort((a, b) -> Integer.compare(order.get(a), order.get(b)));
        return ids;
    }

    /** See {@link FieldPaths#valueAt}: the value at a dotted path, for groupBy, distinct and summaries. */
    public static Optional<String> valueAt(JsonNode document, String path) {
        return FieldPaths.valueAt(document, path);
    }
}
