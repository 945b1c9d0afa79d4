package io.authstream.streams.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authstream.schemas.avro.AuthEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.event.ruler.Machine;

/**
 * The {@code match} patterns of some rules compiled into one event-ruler {@link Machine} (what
 * {@link RuleMatcher} runs for one kind of event):
 * each event is matched against all of them at once (event-ruler's cost grows with the event's
 * fields, hardly with the number of rules).
 *
 * <p>What event-ruler is given is the rule document cut down to the fields some pattern names
 * (see {@link #prune}), as a tree ({@code rulesForJSONEvent(JsonNode)}), not the whole document
 * as JSON text: the same array-consistent matching, without writing and re-reading the text, and
 * with far fewer fields to step through (event-ruler tries every later field of the event from
 * every state a partial match reaches, so fields no rule names cost it on every event). The
 * result is that of {@code rulesForJSONEvent} on the whole document's text ({@link #matchesByText}),
 * which the tests compare on every case of the built-in pack and on generated events.
 */
final class PatternMachine {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Machine machine;
    private final Map<String, Integer> order = new HashMap<>();
    /** Every field path a pattern names (event-ruler's keys, dot-joined), or more: only a superset is needed. */
    private final Set<String> leaves = new HashSet<>();
    /** {@link #leaves} and each of their dot-separated beginnings: the objects and arrays to look into. */
    private final Set<String> branches = new HashSet<>();
    /** False when a pattern was not read (it then matches whole documents, as JSON text). */
    private boolean pruning = true;

    private PatternMachine(Machine machine) {
        this.machine = machine;
    }

    /** @throws IllegalArgumentException when two rules share an id or a pattern does not compile */
    static PatternMachine of(List<RuleDefinition> rules) {
        PatternMachine matcher = new PatternMachine(Machine.builder().build());
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
            matcher.addPaths(rule.match());
        }
        return matcher;
    }

    /** Ids of the rules the event matches, in the order the rules were given. */
    List<String> matches(AuthEvent event) {
        if (!pruning) {
            return matchesByText(RuleDocument.of(event));
        }
        // the fields no pattern names are not even converted (nor raw parsed, when no pattern looks into it)
        return matches(RuleDocument.of(event, branches::contains));
    }

    /** Ids of the rules a rule document matches, in the order the rules were given. */
    List<String> matches(JsonNode document) {
        if (!pruning || !document.isObject()) {
            return matchesByText(document);
        }
        JsonNode pruned;
        try {
            pruned = prune(document, null);
        } catch (UnusualNode e) {
            return matchesByText(document);
        }
        List<String> found;
        try {
            found = machine.rulesForJSONEvent(pruned);
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
        if (found.isEmpty()) {
            return new ArrayList<>(0);
        }
        Set<String> unique = new HashSet<>(found);
        List<String> ids = new ArrayList<>(unique);
        ids.sort((a, b) -> Integer.compare(order.get(a), order.get(b)));
        return ids;
    }

    /**
     * Adds the field paths a pattern names: each key holding a list is a field event-ruler
     * matches; {@code $or} branches name fields at the level of the {@code $or}. Names are made
     * as event-ruler's rule compiler makes them: the keys above joined with dots, then the
     * field's key after a dot unless what is above joins to the empty text (a top-level key
     * {@code ""}); for an event, event-ruler joins every key with a dot. Reading more paths than
     * event-ruler keys is harmless (a field is kept that no state has a transition on), fewer is
     * not, so both joins are read, whatever is unusual is read both ways, and a pattern that
     * cannot be read turns pruning off.
     */
    private void addPaths(String match) {
        JsonNode pattern;
        try {
            pattern = JSON.readTree(match);
        } catch (IOException e) {
            pruning = false;
            return;
        }
        if (pattern == null || !pattern.isObject()) {
            pruning = false;
            return;
        }
        addPaths(pattern, null);
    }

    /** @param above the keys above joined with dots, null at the top */
    private void addPaths(JsonNode pattern, String above) {
        for (Map.Entry<String, JsonNode> field : pattern.properties()) {
            String key = field.getKey();
            JsonNode value = field.getValue();
            String nested = join(above, key);
            if (value.isObject()) {
                addPaths(value, nested);
            } else {
                addLeaf(above == null || above.isEmpty() ? key : above + '.' + key);
                addLeaf(nested);
                if (value.isArray()) {
                    for (JsonNode element : value) {
                        if (element.isObject()) {
                            // a $or branch (at the $or's level); for any other key, over-reading is harmless
                            addPaths(element, key.equals("$or") ? above : nested);
                        }
                    }
                }
            }
        }
    }

    private void addLeaf(String path) {
        leaves.add(path);
        branches.add(path);
        for (int dot = path.indexOf('.'); dot >= 0; dot = path.indexOf('.', dot + 1)) {
            branches.add(path.substring(0, dot));
        }
    }

    /** A name as event-ruler makes it for an event's field: the keys from the top joined with dots. */
    private static String join(String prefix, String key) {
        return prefix == null ? key : prefix + '.' + key;
    }

    /**
     * The document with only the fields event-ruler could use: a value whose path is a pattern's
     * field, and the objects and arrays on the way to one. event-ruler makes one field of each
     * value (named by its path, arrays adding no name), so the fields it gets are the document's
     * fields with those names, in the same order and with the same array memberships: array
     * elements keep their positions (an element without such fields becomes an empty object,
     * which makes no field), so fields from one element still come from one element. Fields with
     * other names never move a match on, nor tell an {@code exists: false} that a field is there
     * (event-ruler looks both up by name).
     *
     * <p>Values are those event-ruler would have read back from the document's JSON text:
     * Jackson writes a NaN or infinite number as a string, so they become strings here too.
     *
     * @throws UnusualNode on a node Jackson writes as something else (binary, POJO, missing)
     */
    JsonNode prune(JsonNode document, String prefix) {
        ObjectNode kept = NODES.objectNode();
        for (Map.Entry<String, JsonNode> field : document.properties()) {
            String path = join(prefix, field.getKey());
            JsonNode value = field.getValue();
            if (value.isObject()) {
                if (branches.contains(path)) {
                    kept.set(field.getKey(), prune(value, path));
                }
            } else if (value.isArray()) {
                if (branches.contains(path)) {
                    kept.set(field.getKey(), pruneArray(value, path));
                }
            } else if (leaves.contains(path)) {
                kept.set(field.getKey(), leaf(value));
            }
        }
        return kept;
    }

    private ArrayNode pruneArray(JsonNode array, String path) {
        ArrayNode kept = NODES.arrayNode(array.size());
        boolean leaf = leaves.contains(path);
        for (JsonNode element : array) {
            if (element.isObject()) {
                kept.add(prune(element, path));
            } else if (element.isArray()) {
                kept.add(pruneArray(element, path));
            } else if (leaf) {
                kept.add(leaf(element));
            } else {
                kept.add(NODES.objectNode());
            }
        }
        return kept;
    }

    private static JsonNode leaf(JsonNode value) {
        switch (value.getNodeType()) {
            case STRING, BOOLEAN, NULL:
                return value;
            case NUMBER:
                if ((value.isDouble() || value.isFloat()) && !Double.isFinite(value.doubleValue())) {
                    return NODES.textNode(value.asText());
                }
                return value;
            default:
                throw new UnusualNode();
        }
    }

    /** A node whose JSON text is not its value: such a document is matched as text. */
    private static final class UnusualNode extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnusualNode() {
            super(null, null, false, false);
        }
    }
}
