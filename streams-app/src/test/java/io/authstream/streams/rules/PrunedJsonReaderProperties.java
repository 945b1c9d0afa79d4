package io.authstream.streams.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link PrunedJsonReader} accepts what Jackson's {@code readTree} accepts and gives its parse
 * cut down: on random JSON texts (every kind of value, escapes, numbers written every way, odd
 * whitespace, repeated keys) and on those texts with a character put in, taken out or replaced
 * from the ones JSON's grammar turns on (quotes, backslashes, brackets, signs, control
 * characters, the letters of true, false and null), which are mostly not JSON any more.
 */
class PrunedJsonReaderProperties {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] NAMES = {"a", "b", "a.b", "", "d\\u0065tail", "\\\"q", "é"};
    private static final String[] LEAVES = {"raw.a", "raw.b", "raw.a.b", "raw.", "raw.detail", "raw.\"q", "raw.é"};
    private static final String[] SCALARS = {
        "0",
        "-0",
        "7",
        "1.50",
        "1e5",
        "-2.5E-3",
        "1E+2",
        "12345678901234567890",
        "3.0",
        "1e999",
        "-1e999",
        "true",
        "false",
        "null",
        "\"\"",
        "\"v\"",
        "\"s\\\"q\\u00e9\\/\\b\\f\\n\\r\\t\\\\\"",
        "\"\\ud800\"",
        "\"\u00e9\u2028\uD83D\uDE00\"",
        "\"\u007f\""
    };
    private static final String[] WHITESPACE = {"", "", "", " ", "\n", "\r\n\t "};
    private static final char[] MUTATIONS =
            "\"\\{}[]:,.-+eE0123456789truefalsn \t\n\u0000\u001f\u000b/#'\ufeff".toCharArray();

    @Property(tries = 5000)
    void readsWhatJacksonParsesCutDown(@ForAll long seed) {
        Random random = new Random(seed);
        String text = random.nextBoolean() ? object(random, 0) : array(random, 0);
        int mutations = random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            text = mutate(random, text);
        }
        List<String> leaves = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            leaves.add(LEAVES[random.nextInt(LEAVES.length)]);
        }
        if (random.nextInt(4) == 0) {
            leaves.add("raw");
        }
        PatternPaths paths = PatternPaths.ofLeaves(leaves.toArray(String[]::new));

        Optional<JsonNode> expected = parsed(text, paths);
        Statistics.label("Jackson").collect(expected.isPresent() ? "accepts" : "refuses");
        assertThat(read(text, paths)).as(text).isEqualTo(expected);
    }

    /** Jackson's parse, cut down; empty when Jackson refuses the text or its first value is no object or array. */
    static Optional<JsonNode> parsed(String text, PatternPaths paths) {
        JsonNode tree;
        try {
            tree = JSON.readTree(text);
        } catch (Exception e) {
            return Optional.empty();
        }
        if (tree == null || !(tree.isObject() || tree.isArray())) {
            return Optional.empty();
        }
        return Optional.of(
                tree.isObject() ? paths.prune(tree, RuleDocument.RAW) : paths.pruneArray(tree, RuleDocument.RAW));
    }

    /** What the reader keeps, cut down again (prune turns non-finite numbers into text; the reader leaves them). */
    static Optional<JsonNode> read(String text, PatternPaths paths) {
        PrunedJsonReader reader = new PrunedJsonReader(text);
        try {
            int first = reader.start();
            if (first != '{' && first != '[') {
                return Optional.empty();
            }
            JsonNode kept = paths.read(reader, RuleDocument.RAW, first);
            return Optional.of(
                    kept.isObject() ? paths.prune(kept, RuleDocument.RAW) : paths.pruneArray(kept, RuleDocument.RAW));
        } catch (PrunedJsonReader.Malformed e) {
            return Optional.empty();
        }
    }

    private static String mutate(Random random, String text) {
        int at = random.nextInt(text.length() + 1);
        char c = MUTATIONS[random.nextInt(MUTATIONS.length)];
        return switch (random.nextInt(3)) {
            case 0 -> text.substring(0, at) + c + text.substring(at);
            case 1 -> at < text.length() ? text.substring(0, at) + text.substring(at + 1) : text;
            default -> at < text.length() ? text.substring(0, at) + c + text.substring(at + 1) : text + c;
        };
    }

    private static String ws(Random random) {
        return WHITESPACE[random.nextInt(WHITESPACE.length)];
    }

    private static String object(Random random, int depth) {
        StringBuilder text = new StringBuilder(ws(random)).append('{');
        int fields = random.nextInt(depth == 0 ? 6 : 4);
        for (int i = 0; i < fields; i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(ws(random))
                    .append('"')
                    .append(NAMES[random.nextInt(NAMES.length)])
                    .append('"')
                    .append(ws(random))
                    .append(':')
                    .append(value(random, depth));
        }
        return text.append(ws(random)).append('}').append(ws(random)).toString();
    }

    private static String array(Random random, int depth) {
        StringBuilder text = new StringBuilder(ws(random)).append('[');
        int elements = random.nextInt(4);
        for (int i = 0; i < elements; i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(value(random, depth));
        }
        return text.append(ws(random)).append(']').append(ws(random)).toString();
    }

    private static String value(Random random, int depth) {
        int pick = random.nextInt(depth < 3 ? 10 : 6);
        return switch (pick) {
            case 6, 7 -> object(random, depth + 1);
            case 8, 9 -> array(random, depth + 1);
            default -> ws(random) + SCALARS[random.nextInt(SCALARS.length)] + ws(random);
        };
    }
}
