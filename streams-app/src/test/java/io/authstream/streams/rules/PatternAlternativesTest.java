package io.authstream.streams.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.event.ruler.Machine;

/** A rule's {@code $or} multiplied out, and the event-ruler defect that is the reason for it. */
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

    @Test
    void multipliesNestedAndSiblingOrs() {
        assertThat(
                        PatternAlternatives.of(
                                "{\"type\":[\"t\"],\"$or\":[{\"a\":[1]},{\"b\":[2]}],\"raw\":{\"$or\":[{\"c\":[3]},{\"d\":[4]}]}}"))
                .containsExactly(
                        "{\"type\":[\"t\"],\"a\":[1],\"raw\":{\"c\":[3]}}",
                        "{\"type\":[\"t\"],\"a\":[1],\"raw\":{\"d\":[4]}}",
                        "{\"type\":[\"t\"],\"b\":[2],\"raw\":{\"c\":[3]}}",
                        "{\"type\":[\"t\"],\"b\":[2],\"raw\":{\"d\":[4]}}");
        assertThat(PatternAlternatives.of("{\"$or\":[{\"a\":[1]},{\"$or\":[{\"b\":[2]},{\"c\":[3]}]}]}"))
                .containsExactly("{\"a\":[1]}", "{\"b\":[2]}", "{\"c\":[3]}");
    }

    @Test
    void aPatternWithoutOrOrWithAFieldTestedTwiceIsLeftWhole() {
        String plain = "{\"type\":[\"t\"],\"raw\":{\"c\":[3]}}";
        assertThat(PatternAlternatives.of(plain)).containsExactly(plain);
        String twice = "{\"a\":[1],\"$or\":[{\"a\":[2]},{\"b\":[3]}]}";
        assertThat(PatternAlternatives.of(twice)).containsExactly(twice);
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
