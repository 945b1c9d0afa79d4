package io.authstream.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authstream.gateway.FuzzSeeds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Jazzer over the webhook body parser. The only outcomes are events (each keeping the exact
 * text it was parsed from, since that text is what AuthEvent.raw and the content-hash ids keep)
 * or MalformedBodyException (400); anything else escaping is a finding. Seeds: the gateway's
 * sample bodies and over-deep ones; what fuzzing found that adds coverage is in JsonBatchParserFuzzTestInputs/parse.
 */
class JsonBatchParserFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The sample bodies, and bodies nested past the parser's depth limit in each layout. */
    static Stream<byte[]> samples() {
        String deep = "[".repeat(JsonBatchParser.MAX_NESTING_DEPTH + 1);
        return Stream.concat(
                FuzzSeeds.sampleBodies(),
                Stream.of(deep, "[" + deep, "{\"a\":1}\n" + deep + "\n{\"b\":2}")
                        .map(body -> body.getBytes(StandardCharsets.UTF_8)));
    }

    @DictionaryEntries({"[", "]", "{", "}", "\":", ",", "\uFEFF", "\\u0000", "\\ud800", "1e999", "-0", "null", "true"})
    @MethodSource("samples")
    @FuzzTest(maxDuration = "10s")
    void parse(byte[] body) throws IOException {
        List<BodyItem> items;
        try {
            items = JsonBatchParser.parse(body);
        } catch (MalformedBodyException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(items).isNotEmpty();
        for (int i = 0; i < items.size(); i++) {
            BodyItem item = items.get(i);
            assertThat(item.position()).isEqualTo(i + 1);
            assertThat(item.raw()).isNotNull();
            if (item.isParsed()) {
                JsonNode reparsed = JSON.readTree(item.raw());
                assertThat(reparsed)
                        .as("the raw text kept for item %d", item.position())
                        .isEqualTo(item.json());
            } else {
                assertThat(item.error()).isNotBlank();
            }
        }
    }
}
