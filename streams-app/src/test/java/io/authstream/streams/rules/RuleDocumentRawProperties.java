package io.authstream.streams.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * {@link RuleDocument#prunedRaw}, which reads raw text cutting as it goes, gives what cutting
 * the parsed tree gives ({@link PatternPaths#prune} of {@link RuleDocument#parsedRaw}): on random
 * texts with Auth0's wrappers or parts of them, repeated keys, dotted and empty names, arrays of
 * objects and of arrays, numbers written every way JSON allows, and texts cut short; and on
 * records inside whole wrappers (a CloudEvent's {@code data}, EventBridge's {@code detail}, both),
 * which random names alone almost never build.
 */
class RuleDocumentRawProperties {

    private static final String[] NAMES = {"data", "detail", "type", "detail-type", "specversion", "a", "b", "a.b", ""};
    private static final String[] NUMBERS = {
        "0", "-0", "7", "1.50", "1e5", "-2.5E-3", "12345678901234567890", "3.0", "1e999", "2147483648"
    };

    @Property(tries = 3000)
    void readingCutDownGivesTheCutDownParse(@ForAll long seed) {
        Random random = new Random(seed);
        int shape = random.nextInt(8);
        String text = shape == 0 ? array(random, 0) : shape < 4 ? wrapped(random) : object(random, 0);
        if (random.nextInt(10) == 0) {
            text = text.substring(0, random.nextInt(text.length())); // not JSON any more (mostly)
        }
        PatternPaths paths = PatternPaths.ofLeaves(leaves(random));

        Optional<JsonNode> expected = RuleDocument.parsedRaw(text)
                .map(raw ->
                        raw.isObject() ? paths.prune(raw, RuleDocument.RAW) : paths.pruneArray(raw, RuleDocument.RAW));
        assertThat(RuleDocument.prunedRaw(text, paths)).as(text).isEqualTo(expected);
    }

    private static String[] leaves(Random random) {
        List<String> leaves = new ArrayList<>();
        int count = random.nextInt(5);
        for (int i = 0; i < count; i++) {
            StringBuilder path = new StringBuilder(RuleDocument.RAW);
            int depth = 1 + random.nextInt(3);
            for (int d = 0; d < depth; d++) {
                path.append('.').append(NAMES[random.nextInt(NAMES.length)]);
            }
            leaves.add(path.toString());
        }
        if (random.nextBoolean()) {
            leaves.add(RuleDocument.RAW);
        }
        return leaves.toArray(String[]::new);
    }

    private static String object(Random random, int depth) {
        StringBuilder text = new StringBuilder("{");
        int fields = random.nextInt(depth == 0 ? 6 : 4);
        for (int i = 0; i < fields; i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append('"')
                    .append(NAMES[random.nextInt(NAMES.length)])
                    .append("\":")
                    .append(value(random, depth));
        }
        if (depth == 0 && random.nextInt(3) == 0) {
            // the wrappers' own fields, so that they are taken off now and then
            text.append(fields > 0 ? "," : "")
                    .append(random.nextBoolean() ? "\"detail-type\":\"Auth0 log\"" : "\"x\":1");
        }
        return text.append('}').toString();
    }

    /** A record in a CloudEvent's data, in EventBridge's detail, or both; now and then one a wrapper does not take off. */
    private static String wrapped(Random random) {
        String record = object(random, 1);
        if (random.nextInt(4) > 0) {
            record = "{\"type\":\"s\"" + (record.length() > 2 ? "," : "") + record.substring(1);
        }
        String inner = record;
        if (random.nextBoolean()) {
            inner = "{" + (random.nextInt(4) == 0 ? "\"specversion\":\"1.0\"," : "") + "\"id\":\"e1\",\"data\":"
                    + record + "}";
        }
        if (random.nextBoolean()) {
            String detailType = random.nextInt(4) > 0 ? "\"Auth0 log\"" : "\"other\"";
            return "{\"detail-type\":" + detailType + ",\"detail\":" + inner + ",\"a\":" + value(random, 1) + "}";
        }
        return inner;
    }

    private static String array(Random random, int depth) {
        StringBuilder text = new StringBuilder("[");
        int elements = random.nextInt(4);
        for (int i = 0; i < elements; i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(value(random, depth));
        }
        return text.append(']').toString();
    }

    private static String value(Random random, int depth) {
        int pick = random.nextInt(depth < 3 ? 10 : 6);
        return switch (pick) {
            case 0 -> "\"s\\\"q\\u00e9\"";
            case 1 -> "\"Auth0 log\"";
            case 2 -> NUMBERS[random.nextInt(NUMBERS.length)];
            case 3 -> random.nextBoolean() ? "true" : "false";
            case 4 -> "null";
            case 5 -> "\"v\"";
            case 6, 7 -> object(random, depth + 1);
            default -> array(random, depth + 1);
        };
    }
}
