package io.authstream.streams.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Outcome;
import io.authstream.schemas.testing.SampleEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The dispatch by kind (type, original type, outcome) leaves out no rule an event matches: random
 * patterns over those fields and one other (every operator, {@code $or} around them) give, on
 * random events, what the machine of every rule gives the whole document.
 */
class RuleMatcherDispatchProperties {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] FIELDS = {"type", "originalType", "outcome", "ip"};
    private static final String[] TYPES = {"user.signed_in", "user.sign_in_failed", "user.signed_up", "api.operation"};
    private static final String[] ORIGINAL_TYPES = {"s", "fp", "ss", "sapi", null};

    @Property(tries = 1500)
    void noRuleAnEventMatchesIsLeftOutOfItsKind(@ForAll long seed) {
        Random random = new Random(seed);
        // never both in one try: event-ruler 1.8.1 then matches what neither rule alone would
        // (RuleMatcherDispatchTest.eventRulerMixesWildcardsAndIgnoreCaseAcrossRules)
        boolean ignoreCase = random.nextBoolean();
        List<RuleDefinition> rules = new ArrayList<>();
        int count = 1 + random.nextInt(5);
        for (int i = 0; i < count; i++) {
            rules.add(
                    RuleMatcherTest.rule("r" + i, pattern(random, 0, ignoreCase).toString()));
        }
        RuleMatcher matcher;
        try {
            matcher = RuleMatcher.of(rules);
        } catch (IllegalArgumentException e) {
            Assume.that(false); // a pattern event-ruler refuses
            return;
        }
        for (int i = 0; i < 8; i++) {
            AuthEvent event = AuthEvent.newBuilder(SampleEvents.minimal())
                    .setType(TYPES[random.nextInt(TYPES.length)])
                    .setOriginalType(ORIGINAL_TYPES[random.nextInt(ORIGINAL_TYPES.length)])
                    .setOutcome(Outcome.values()[random.nextInt(Outcome.values().length)])
                    .setIp(random.nextBoolean() ? "10.1.2.3" : null)
                    .build();
            ObjectNode document = RuleDocument.of(event);
            List<String> expected = matcher.matchesByText(document);
            String as = rules.stream().map(RuleDefinition::match).toList() + " on " + document;
            assertThat(matcher.matches(event)).as(as).isEqualTo(expected);
            assertThat(matcher.matches(document)).as(as).isEqualTo(expected);
        }
    }

    private static ObjectNode pattern(Random random, int depth, boolean ignoreCase) {
        ObjectNode pattern = NODES.objectNode();
        int fields = 1 + random.nextInt(3);
        for (int i = 0; i < fields; i++) {
            if (random.nextInt(6) == 0 && depth < 1) {
                ArrayNode or = pattern.putArray("$or");
                or.add(pattern(random, depth + 1, ignoreCase));
                or.add(pattern(random, depth + 1, ignoreCase));
            } else {
                String field = FIELDS[random.nextInt(FIELDS.length)];
                ArrayNode values = pattern.putArray(field);
                int n = 1 + random.nextInt(2);
                for (int k = 0; k < n; k++) {
                    values.add(matcher(random, field, ignoreCase));
                }
            }
        }
        return pattern;
    }

    private static JsonNode matcher(Random random, String field, boolean ignoreCase) {
        ObjectNode operator = NODES.objectNode();
        String value = switch (field) {
            case "type" -> TYPES[random.nextInt(TYPES.length)];
            case "outcome" -> Outcome.values()[random.nextInt(Outcome.values().length)].name();
            case "ip" -> "10.1.2.3";
            default -> random.nextBoolean() ? "s" : "fp";
        };
        return switch (random.nextInt(10)) {
            case 0, 1 -> NODES.textNode(value);
            case 2 -> operator.put("prefix", value.substring(0, 1 + random.nextInt(value.length())));
            case 3 -> operator.put("suffix", value.substring(random.nextInt(value.length())));
            case 4 -> operator.put("anything-but", value);
            case 5 -> operator.put("exists", random.nextBoolean());
            case 6, 7 ->
                ignoreCase
                        ? operator.put("equals-ignore-case", value.toUpperCase(Locale.ROOT))
                        : operator.put("wildcard", "*" + value.substring(random.nextInt(value.length())));
            case 8 -> {
                operator.putArray("anything-but").add(value).add("x");
                yield operator;
            }
            default -> random.nextBoolean() ? NODES.numberNode(1) : NODES.nullNode();
        };
    }
}
