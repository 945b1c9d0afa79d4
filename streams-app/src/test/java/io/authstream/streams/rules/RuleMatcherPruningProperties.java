package io.authstream.streams.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random patterns over random documents (a few names, so that they meet; dotted and empty names,
 * arrays of objects and of arrays, numbers Jackson writes as text): the pruned tree event-ruler
 * is given matches exactly what the whole document's JSON text matches.
 *
 * <p>A try's rules use {@code wildcard} or {@code equals-ignore-case}, not both: together, on one
 * field, event-ruler 1.8.1 matches values it should not, and not the same in every machine (the
 * defect {@code RuleMatcherDispatchTest.eventRulerMixesWildcardsAndIgnoreCaseAcrossRules} pins; seen here with seed -1134116947939430229 once
 * {@link PatternAlternatives} had mended the {@code $or} one), so no second machine can agree.
 */
class RuleMatcherPruningProperties {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] NAMES = {"a", "b", "c", "d", "a.b", ""};

    @Property(tries = 2000)
    void theTreeEventRulerIsGivenMatchesAsTheWholeText(@ForAll long seed) {
        Random random = new Random(seed);
        List<RuleDefinition> rules = new ArrayList<>();
        int count = 1 + random.nextInt(4);
        boolean caseless = random.nextBoolean();
        for (int i = 0; i < count; i++) {
            rules.add(RuleMatcherTest.rule("r" + i, pattern(random, 0, caseless).toString()));
        }
        RuleMatcher matcher;
        try {
            matcher = RuleMatcher.of(rules);
        } catch (IllegalArgumentException e) {
            Assume.that(false); // a pattern event-ruler refuses
            return;
        }
        for (int i = 0; i < 5; i++) {
            ObjectNode document = object(random, 0);
            assertThat(matcher.matches(document))
                    .as(rules.stream().map(RuleDefinition::match).toList() + " on " + document)
                    .isEqualTo(matcher.matchesByText(document));
        }
    }

    private static String name(Random random) {
        return NAMES[random.nextInt(NAMES.length)];
    }

    private static ObjectNode pattern(Random random, int depth, boolean caseless) {
        ObjectNode pattern = NODES.objectNode();
        int fields = 1 + random.nextInt(3);
        for (int i = 0; i < fields; i++) {
            int pick = random.nextInt(10);
            if (pick == 0 && depth < 2) {
                ArrayNode or = pattern.putArray("$or");
                or.add(pattern(random, depth + 1, caseless));
                or.add(pattern(random, depth + 1, caseless));
            } else if (pick < 4 && depth < 2) {
                pattern.set(name(random), pattern(random, depth + 1, caseless));
            } else {
                ArrayNode values = pattern.putArray(name(random));
                int n = 1 + random.nextInt(2);
                for (int k = 0; k < n; k++) {
                    values.add(matcher(random, caseless));
                }
            }
        }
        return pattern;
    }

    private static JsonNode matcher(Random random, boolean caseless) {
        ObjectNode operator = NODES.objectNode();
        switch (random.nextInt(14)) {
            case 0:
                return NODES.textNode("x");
            case 1:
                return NODES.numberNode(1);
            case 2:
                return NODES.booleanNode(true);
            case 3:
                return NODES.nullNode();
            case 4:
                return NODES.textNode("NaN");
            case 5:
                return operator.put("prefix", "x");
            case 6:
                return operator.put("suffix", "y");
            case 7:
                return operator.put("anything-but", "y");
            case 8:
                return operator.put("exists", false);
            case 9:
                return operator.put("exists", true);
            case 10:
                operator.putArray("numeric").add(">").add(0);
                return operator;
            case 11:
            case 12:
                return caseless ? operator.put("equals-ignore-case", "X") : operator.put("wildcard", "*x*");
            default:
                return operator.put("cidr", "10.0.0.0/8");
        }
    }

    private static ObjectNode object(Random random, int depth) {
        ObjectNode object = NODES.objectNode();
        int fields = random.nextInt(5);
        for (int i = 0; i < fields; i++) {
            object.set(name(random), value(random, depth + 1));
        }
        return object;
    }

    private static JsonNode value(Random random, int depth) {
        int pick = random.nextInt(depth < 4 ? 14 : 10);
        switch (pick) {
            case 0:
                return NODES.textNode("x");
            case 1:
                return NODES.textNode("xy");
            case 2:
                return NODES.textNode("10.1.2.3");
            case 3:
                return NODES.numberNode(1);
            case 4:
                return NODES.numberNode(random.nextBoolean() ? 1.5 : -2.0);
            case 5:
                return NODES.numberNode(random.nextBoolean() ? Double.NaN : Double.POSITIVE_INFINITY);
            case 6:
                return NODES.booleanNode(random.nextBoolean());
            case 7:
                return NODES.nullNode();
            case 8:
                return NODES.textNode("NaN");
            case 9:
                return NODES.numberNode(1L << 40);
            case 10:
            case 11:
                return object(random, depth);
            default:
                ArrayNode array = NODES.arrayNode();
                int n = random.nextInt(4);
                for (int k = 0; k < n; k++) {
                    array.add(value(random, depth + 1));
                }
                return array;
        }
    }
}
