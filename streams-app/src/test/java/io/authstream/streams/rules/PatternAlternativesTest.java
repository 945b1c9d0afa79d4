package io.authstream.streams.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.event.ruler.Machine;

/** A rule's {@code $or} multiplied out into event-ruler's sub-rules, and the event-ruler defect that is the reason for it. */
class PatternAlternativesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** b is "x", or b is "x" or absent: matches an event without b. */
    private static final String SHARED_VALUE = "{\"$or\":[{\"b\":[\"x\"]},{\"b\":[\"x\",{\"exists\":false}]}]}";
    /** What RuleMatcherPruningProperties found in CI (seed -1134116947939430229), with its companion rule. */
    private static final String FOUND_IN_CI =
            "{\"$or\":[{\"b\":[null,{\"numeric\":[\">\",0]}]},{\"b\":[{\"exists\":false},null]}]}";

    private static final String FOUND_IN_CI_COMPANION = "{\"$or\":[{\"\":{\"c\":[null,{\"prefix\":\"x\"}]}},"
            + "{\"d\":[\"NaN\"],\"c\":{\"b\":[{\"prefix\":\"x\"},{\"prefix\":\"x\"}],\"c\":[{\"prefix\":\"x\"}]}}],"
            + "\"a\":{\"c\":{\"a\":[{\"exists\":false}]}}}";

    private static com.fasterxml.jackson.databind.JsonNode tree(String pattern) {
        try {
            return JSON.readTree(pattern);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void eventRulerLosesAnExistsFalseAlternativeSharingAValueUnderOneRuleName() throws Exception {
        // When this fails after an event-ruler upgrade, the defect is mended: PatternAlternatives may go.
        List<List<String>> seen = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Machine machine = Machine.builder().build();
            machine.addRule("r", SHARED_VALUE);
            seen.add(machine.rulesForJSONEvent("{}"));
        }
        assertThat(seen).allSatisfy(found -> assertThat(found).isEmpty());
    }

    @Test
    void underNamesOfTheirOwnTheAlternativesMatchAsThePatternMeans() throws Exception {
        for (int i = 0; i < 8; i++) {
            RuleMatcher matcher = RuleMatcher.of(List.of(RuleMatcherTest.rule("r", SHARED_VALUE)));
            assertThat(matcher.matches(JSON.readTree("{}"))).containsExactly("r");
            assertThat(matcher.matchesByText(JSON.readTree("{}"))).containsExactly("r");
            assertThat(matcher.matches(JSON.readTree("{\"b\":\"x\"}"))).containsExactly("r");
            assertThat(matcher.matches(JSON.readTree("{\"b\":\"y\"}"))).isEmpty();
        }
    }

    @Test
    void theCiCounterexampleMatchesInEveryMachine() throws Exception {
        for (int i = 0; i < 8; i++) {
            RuleMatcher matcher = RuleMatcher.of(List.of(
                    RuleMatcherTest.rule("r0", FOUND_IN_CI), RuleMatcherTest.rule("r1", FOUND_IN_CI_COMPANION)));
            assertThat(matcher.matches(JSON.readTree("{\"a\":1.5}"))).containsExactly("r0");
            assertThat(matcher.matchesByText(JSON.readTree("{\"a\":1.5}"))).containsExactly("r0");
            assertThat(matcher.matches(JSON.readTree("{\"b\":-1}"))).isEmpty();
        }
    }

    /** The sub-rules' field names, sorted, one text per sub-rule. */
    private static List<String> fieldsOf(String pattern) {
        return PatternAlternatives.of(pattern).stream()
                .map(subRule -> String.join(",", new TreeSet<>(subRule.keySet())))
                .toList();
    }

    @Test
    void multipliesNestedAndSiblingOrsAsEventRulerDoes() {
        String pattern =
                "{\"type\":[\"t\"],\"$or\":[{\"a\":[1]},{\"b\":[2]}],\"raw\":{\"$or\":[{\"c\":[3]},{\"d\":[4]}]}}";
        assertThat(fieldsOf(pattern))
                .containsExactlyInAnyOrder("a,raw.c,type", "a,raw.d,type", "b,raw.c,type", "b,raw.d,type");
        assertThat(fieldsOf("{\"$or\":[{\"a\":[1]},{\"$or\":[{\"b\":[2]},{\"c\":[3]}]}]}"))
                .containsExactlyInAnyOrder("a", "b", "c");
        assertThat(PatternAlternatives.count(tree(pattern))).isEqualTo(4);
    }

    @Test
    void aFieldTestedInABranchAndAroundItIsTheLaterOneAsInEventRuler() throws Exception {
        // the top level's a, written after the $or, replaces the branch's: a sub-rule of a:[1] and one of a:[1], b:[3]
        String twice = "{\"$or\":[{\"a\":[2]},{\"b\":[3]}],\"a\":[1]}";
        assertThat(fieldsOf(twice)).containsExactlyInAnyOrder("a", "a,b");
        for (String event : List.of("{\"a\":1}", "{\"a\":2}", "{\"a\":1,\"b\":3}", "{\"a\":2,\"b\":3}")) {
            Machine whole = Machine.builder().build();
            whole.addRule("r", twice);
            RuleMatcher matcher = RuleMatcher.of(List.of(RuleMatcherTest.rule("r", twice)));
            assertThat(matcher.matches(JSON.readTree(event))).as(event).isEqualTo(whole.rulesForJSONEvent(event));
        }
    }

    @Test
    void moreAlternativesThanTheLimitAreRefused() {
        StringBuilder pattern = new StringBuilder("{");
        for (int i = 0; i < 11; i++) { // 2^11 = 2048 alternatives
            pattern.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":{\"$or\":[{\"a\":[1]},{\"b\":[2]}]}");
        }
        String tooMany = pattern.append('}').toString();
        assertThatThrownBy(() -> PatternAlternatives.of(tooMany))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than 1024 alternatives");
        assertThatThrownBy(() -> RuleMatcher.of(List.of(RuleMatcherTest.rule("wide", tooMany))))
                .hasMessageContaining("rule wide")
                .hasMessageContaining("more than 1024 alternatives");
    }
}
