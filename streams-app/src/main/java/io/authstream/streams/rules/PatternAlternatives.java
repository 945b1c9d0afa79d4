package io.authstream.streams.rules;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import software.amazon.event.ruler.JsonRuleCompiler;
import software.amazon.event.ruler.Patterns;
import software.amazon.event.ruler.RuleCompiler;

/**
 * A pattern as the sub-rules event-ruler compiles it into, each to be added to a machine under a
 * name of its own: its {@code $or} multiplied out, every sub-rule a map from field name to the
 * patterns one of which the field must meet (what event-ruler's own {@code addRule} adds, all under
 * the rule's one name).
 *
 * <p>Why: event-ruler 1.8.1 mixes up the sub-rules it keeps under one name. When two of them test
 * one field for the same value and one also accepts {@code "exists": false}, an event without the
 * field matches or not depending on the machine instance: {@code {"$or":[{"b":["x"]},{"b":["x",
 * {"exists":false}]}]}} never matched {@code {}}, and another such pattern matched in 4 machines
 * of 8 (pinned in {@code PatternAlternativesTest}). Under names of their own the same sub-rules
 * always match as the pattern means, so the dispatch's per-kind machines and the machine of every
 * rule cannot disagree; and each is a plain conjunction of fields, which the dispatch splits.
 */
final class PatternAlternatives {

    /** More than this, and the rule is refused: event-ruler would hold as many sub-rules anyway. */
    static final int MAX = 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OR = "$or";

    private PatternAlternatives() {}

    /**
     * The sub-rules of a pattern, as event-ruler's {@code addRule} compiles them.
     *
     * @throws IllegalArgumentException when the pattern is not JSON, does not compile, or has more
     *     than {@link #MAX} alternatives (counted before they are made)
     */
    static List<Map<String, List<Patterns>>> of(String pattern) {
        JsonNode tree;
        try {
            tree = JSON.readTree(pattern);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (tree != null && tree.isObject() && count(tree) > MAX) {
            throw new IllegalArgumentException(
                    "the pattern has more than " + MAX + " alternatives once its $or are multiplied out");
        }
        try {
            try {
                return JsonRuleCompiler.compile(pattern);
            } catch (JsonParseException e) {
                return List.of(RuleCompiler.compile(pattern)); // what addRule falls back on, too
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * How many sub-rules an object pattern compiles into: the product over its fields, a
     * {@code $or} giving the sum of its branches'. Saturates at {@code MAX + 1}, so that a pattern
     * that would make billions is refused without making them.
     */
    static long count(JsonNode pattern) {
        long product = 1;
        for (Map.Entry<String, JsonNode> field : pattern.properties()) {
            JsonNode value = field.getValue();
            long choices = 1;
            if (field.getKey().equals(OR) && value.isArray()) {
                choices = 0;
                for (JsonNode branch : value) {
                    choices = Math.min(MAX + 1L, choices + (branch.isObject() ? count(branch) : 1));
                }
            } else if (value.isObject()) {
                choices = count(value);
            }
            product = Math.min(MAX + 1L, product * Math.max(choices, 1));
        }
        return product;
    }
}
