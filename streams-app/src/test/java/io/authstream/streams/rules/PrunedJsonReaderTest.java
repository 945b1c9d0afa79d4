package io.authstream.streams.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Jackson's limits, at their edges (the random texts of {@link PrunedJsonReaderProperties} never
 * reach them): nesting depth, digits of a number, length of a name and of a string, each where
 * the reader keeps the value and where it skips it.
 */
class PrunedJsonReaderTest {

    private static final PatternPaths KEEP_A = PatternPaths.ofLeaves("raw.a");
    private static final PatternPaths KEEP_NOTHING = PatternPaths.ofLeaves("raw.z");

    private static void sameAsJackson(String text, boolean accepted) {
        for (PatternPaths paths : new PatternPaths[] {KEEP_A, KEEP_NOTHING}) {
            Optional<JsonNode> expected = PrunedJsonReaderProperties.parsed(text, paths);
            assertThat(expected.isPresent()).as("Jackson accepts it").isEqualTo(accepted);
            assertThat(PrunedJsonReaderProperties.read(text, paths)).isEqualTo(expected);
        }
    }

    @Test
    void nestingDepthUpToJacksonsLimit() {
        sameAsJackson("{\"a\":" + "[".repeat(999) + "]".repeat(999) + "}", true);
        sameAsJackson("{\"a\":" + "[".repeat(1000) + "]".repeat(1000) + "}", false);
        sameAsJackson("{\"a\":" + "{\"b\":".repeat(999) + "1" + "}".repeat(999) + "}", true);
        sameAsJackson("{\"a\":" + "{\"b\":".repeat(1000) + "1" + "}".repeat(1000) + "}", false);
    }

    @Test
    void numbersOfUpTo1000DigitsCountingFractionAndExponent() {
        sameAsJackson("{\"a\":-" + "1".repeat(1000) + "}", true);
        sameAsJackson("{\"a\":" + "1".repeat(1001) + "}", false);
        sameAsJackson("{\"a\":1." + "1".repeat(500) + "e-" + "1".repeat(499) + "}", true);
        sameAsJackson("{\"a\":1." + "1".repeat(500) + "e-" + "1".repeat(500) + "}", false);
        sameAsJackson("{\"a\":1e" + "0".repeat(1000) + "}", false);
    }

    @Test
    void namesOfUpTo50000CharactersAsDecoded() {
        sameAsJackson("{\"a\":{\"" + "x".repeat(49_999) + "\\u0041\":1}}", true);
        sameAsJackson("{\"a\":{\"" + "x".repeat(50_000) + "\\u0041\":1}}", false);
        sameAsJackson("{\"" + "x".repeat(50_001) + "\":1}", false);
    }

    @Test
    void stringsOfUpTo20MillionCharacters() {
        String limit = "x".repeat(19_999_999);
        sameAsJackson("{\"a\":\"" + limit + "\\n\"}", true);
        sameAsJackson("{\"a\":\"" + limit + "xy\"}", false);
        sameAsJackson("{\"a\":\"" + limit + "\\ny\"}", false);
    }

    @Test
    void whatFollowsTheFirstValueIsNotRead() {
        sameAsJackson("{\"a\":1} {\"a\":", true);
        sameAsJackson("[1]]", true);
        sameAsJackson(" \t\r\n{}", true);
        sameAsJackson("\u000b{}", false);
        sameAsJackson("\ufeff{}", false);
    }
}
