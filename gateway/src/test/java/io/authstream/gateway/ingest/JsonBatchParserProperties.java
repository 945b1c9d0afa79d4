package io.authstream.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the body, the parser answers with events or a MalformedBodyException, never anything else. */
class JsonBatchParserProperties {

    @Property(tries = 2000)
    void arbitraryBytesAreEventsOrMalformed(@ForAll byte[] body) {
        assertParsesOrRefuses(body);
    }

    @Property(tries = 2000)
    void jsonishTextIsEventsOrMalformed(@ForAll("jsonish") String body) {
        assertParsesOrRefuses(body.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 500)
    void everyGoodLineOfAJsonLinesBodySurvives(@ForAll("lines") List<String> lines) {
        String body = String.join("\n", lines);
        long good = lines.stream().filter(l -> l.startsWith("{\"ok\"")).count();
        // A body of broken lines only is malformed as a whole: jsonishTextIsEventsOrMalformed's case.
        Assume.that(good > 0);
        List<BodyItem> items = JsonBatchParser.parse(body.getBytes(StandardCharsets.UTF_8));
        assertThat(items.stream().filter(BodyItem::isParsed).count()).isEqualTo(good);
        assertThat(items).hasSize((int) lines.stream().filter(l -> !l.isBlank()).count());
    }

    private static void assertParsesOrRefuses(byte[] body) {
        try {
            List<BodyItem> items = JsonBatchParser.parse(body);
            assertThat(items).isNotEmpty();
            items.forEach(item -> assertThat(item.raw()).isNotNull());
        } catch (MalformedBodyException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<String> jsonish() {
        return Arbitraries.strings().withChars("{}[]\":,\n 01ab\\u-.eE").ofMaxLength(80);
    }

    @Provide
    Arbitrary<List<String>> lines() {
        Arbitrary<String> good = Arbitraries.strings().alpha().ofMaxLength(10).map(s -> "{\"ok\":\"" + s + "\"}");
        // "{x" can never start valid JSON (keys are quoted), whatever follows.
        Arbitrary<String> bad =
                Arbitraries.strings().withChars("{}[]\":, ab").ofMaxLength(20).map(s -> "{x" + s);
        return Arbitraries.oneOf(good, bad).list().ofMinSize(1).ofMaxSize(10);
    }
}
