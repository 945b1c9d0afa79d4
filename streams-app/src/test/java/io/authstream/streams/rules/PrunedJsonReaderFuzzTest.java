package io.authstream.streams.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.authstream.fixtures.Samples;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Jazzer over {@link PrunedJsonReader}: on any text, it accepts what Jackson's {@code readTree}
 * accepts and gives its parse cut down, for a set of paths that keeps fields of the Auth0 record
 * (as the built-in pack's do) and one that keeps only what the reader must still check. Any
 * difference, or an exception other than the reader's own refusal, is a finding. Seeds: the
 * sample payloads (Log Streams, Event Streams, EventBridge).
 */
class PrunedJsonReaderFuzzTest {

    private static final PatternPaths AUTH0_FIELDS = PatternPaths.ofLeaves(
            "raw.type",
            "raw.description",
            "raw.details.request.path",
            "raw.details.request.body.enabled",
            "raw.details.prompts.name",
            "raw.data.type",
            "raw");
    private static final PatternPaths NOTHING = PatternPaths.ofLeaves("raw.absent");

    static Stream<byte[]> samples() {
        return Stream.of("log-stream", "event-streams", "eventbridge")
                .flatMap(folder -> Samples.list(folder).stream())
                .map(Samples::bytes);
    }

    @DictionaryEntries({"{\"", "\":", "[", "]", "}", ",", "\\u00", "\\\"", "1e999", "-0", "0.5e-3", "true", "null"})
    @MethodSource("samples")
    @FuzzTest(maxDuration = "10s")
    void readsWhatJacksonParses(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        for (PatternPaths paths : new PatternPaths[] {AUTH0_FIELDS, NOTHING}) {
            assertThat(PrunedJsonReaderProperties.read(text, paths))
                    .as(text)
                    .isEqualTo(PrunedJsonReaderProperties.parsed(text, paths));
        }
    }
}
