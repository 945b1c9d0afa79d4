package io.authstream.streams.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pattern's {@code $or} multiplied out: the patterns without {@code $or} of which it matches
 * any, each to be added to event-ruler under a name of its own.
 *
 * <p>Why: event-ruler 1.8.1 mixes up the alternatives it keeps under one rule name (the branches
 * of a {@code $or}, or two patterns added with the same name). When two of them test one field
 * for the same value and one also accepts {@code "exists": false}, an event without the field
 * matches or not depending on the machine instance: {@code {"$or":[{"b":["x"]},{"b":["x",
 * {"exists":false}]}]}} never matched {@code {}}, and another such pattern matched in 4 machines
 * of 8 (pinned in {@code PatternAlternativesTest}). Under names of their own the same
 * alternatives always match as the pattern means, so the dispatch's per-kind machines and the
 * machine of every rule cannot disagree.
 */
final class PatternAlternatives {

    /** More than this, and the rule is refused: event-ruler would hold as many sub-rules anyway. */
    static final int MAX = 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OR = "$or";

    private PatternAlternatives() {}

    /**
     * The alternatives of a pattern, as JSON texts; the pattern itself, alone, when it has no
     * {@code $or} or its {@code $or} cannot be multiplied out (a branch that is not an object, or
     * a branch testing a field its surroundings test too: left to event-ruler's own reading).
     *
     * @throws IllegalArgumentException when the pattern is not JSON or has more than {@link #MAX}
     *     alternatives
     */
    static List<String> of(String pattern) {
        JsonNode tree;
        try {
            tree = JSON.readTree(pattern);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (!tree.isObject() || !pattern.contains(OR)) {
            return List.of(pattern);
        }
        List<ObjectNode> alternatives;
        try {
            alternatives = expand((ObjectNode) tree);
        } catch (NotMultipliable e) {
            return List.of(pattern);
        }
        if (alternatives.size() == 1) {
            return List.of(pattern);
        }
        return alternatives.stream().map(ObjectNode::toString).toList();
    }

    private static List<ObjectNode> expand(ObjectNode pattern) {
        List<ObjectNode> result = List.of(JsonNodeFactory.instance.objectNode());
        for (Map.Entry<String, JsonNode> entry : pattern.properties()) {
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            List<ObjectNode> choices = new ArrayList<>();
            if (key.equals(OR)) {
                if (!value.isArray()) {
                    throw new NotMultipliable();
                }
                for (JsonNode branch : value) {
                    if (!branch.isObject()) {
                        throw new NotMultipliable();
                    }
                    choices.addAll(expand((ObjectNode) branch));
                }
            } else if (value.isObject()) {
                for (ObjectNode nested : expand((ObjectNode) value)) {
                    ObjectNode wrapped = JsonNodeFactory.instance.objectNode();
                    wrapped.set(key, nested);
                    choices.add(wrapped);
                }
            } else {
                ObjectNode leaf = JsonNodeFactory.instance.objectNode();
                leaf.set(key, value);
                choices.add(leaf);
            }
            result = product(result, choices);
        }
        return result;
    }

    private static List<ObjectNode> product(List<ObjectNode> left, List<ObjectNode> right) {
        if ((long) left.size() * right.size() > MAX) {
            throw new IllegalArgumentException(
                    "the pattern has more than " + MAX + " alternatives once its $or are multiplied out");
        }
        List<ObjectNode> product = new ArrayList<>(left.size() * right.size());
        for (ObjectNode a : left) {
            for (ObjectNode b : right) {
                ObjectNode merged = a.deepCopy();
                merge(merged, b);
                product.add(merged);
            }
        }
        return product;
    }

    private static void merge(ObjectNode into, ObjectNode from) {
        for (Map.Entry<String, JsonNode> entry : from.properties()) {
            JsonNode existing = into.get(entry.getKey());
            if (existing == null) {
                into.set(entry.getKey(), entry.getValue().deepCopy());
            } else if (existing.isObject() && entry.getValue().isObject()) {
                merge((ObjectNode) existing, (ObjectNode) entry.getValue());
            } else {
                throw new NotMultipliable(); // one field tested twice: not a conjunction of separate tests
            }
        }
    }

    private static final class NotMultipliable extends RuntimeException {
        NotMultipliable() {
            super(null, null, false, false);
        }
    }
}
