package io.authstream.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.authstream.fixtures.Samples;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonBatchParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jsonArrayBodyKeepsEachEventsExactText() throws Exception {
        byte[] body = Samples.bytes("wire-bodies/401_JSONARRAY_body_5events.json");
        List<BodyItem> items = JsonBatchParser.parse(body);
        assertThat(items).hasSize(5).allMatch(BodyItem::isParsed);
        var expected = JSON.readTree(body);
        for (int i = 0; i < 5; i++) {
            assertThat(items.get(i).json()).isEqualTo(expected.get(i));
            assertThat(JSON.readTree(items.get(i).raw())).isEqualTo(expected.get(i));
            assertThat(new String(body, StandardCharsets.UTF_8))
                    .contains(items.get(i).raw());
        }
    }

    @Test
    void jsonLinesBodyGivesOneEventPerLine() throws Exception {
        byte[] body = Samples.bytes("wire-bodies/402_JSONLINES_body_5events.jsonl");
        List<BodyItem> items = JsonBatchParser.parse(body);
        String[] lines = new String(body, StandardCharsets.UTF_8).strip().split("\n");
        assertThat(items).hasSize(5).allMatch(BodyItem::isParsed);
        for (int i = 0; i < 5; i++) {
            assertThat(items.get(i).raw()).isEqualTo(lines[i].strip());
            assertThat(items.get(i).position()).isEqualTo(i + 1);
        }
    }

    @Test
    void singleObjectEvenPrettyPrinted() {
        byte[] body = "{\n  \"log_id\": \"1\",\n  \"data\": {\"type\": \"s\"}\n}\n".getBytes(StandardCharsets.UTF_8);
        List<BodyItem> items = JsonBatchParser.parse(body);
        assertThat(items).singleElement().satisfies(item -> {
            assertThat(item.json().path("log_id").asText()).isEqualTo("1");
            assertThat(item.raw()).startsWith("{").endsWith("}");
        });
    }

    @Test
    void aBrokenFirstLineDoesNotSinkTheRest() {
        List<BodyItem> items = JsonBatchParser.parse("} broken\n{\"log_id\":\"2\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(items).extracting(BodyItem::isParsed).containsExactly(false, true);
    }

    @Test
    void aBrokenLineIsUnreadableButTheOthersGoOn() {
        byte[] body = "{\"log_id\":\"1\"}\n{\"log_id\": oops}\n\n{\"log_id\":\"3\"}\n".getBytes(StandardCharsets.UTF_8);
        List<BodyItem> items = JsonBatchParser.parse(body);
        assertThat(items).extracting(BodyItem::isParsed).containsExactly(true, false, true);
        assertThat(items.get(1).raw()).isEqualTo("{\"log_id\": oops}");
        assertThat(items.get(1).error()).startsWith("line 2 is not valid JSON");
    }

    @Test
    void wholeBodyProblemsAreMalformed() {
        assertThatThrownBy(() -> JsonBatchParser.parse(new byte[0]))
                .isInstanceOf(MalformedBodyException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> JsonBatchParser.parse(" [ ] ".getBytes()))
                .isInstanceOf(MalformedBodyException.class)
                .hasMessageContaining("holds no events");
        assertThatThrownBy(() -> JsonBatchParser.parse("hello".getBytes()))
                .isInstanceOf(MalformedBodyException.class)
                .hasMessageContaining("no line is valid JSON");
        assertThatThrownBy(() -> JsonBatchParser.parse("[{\"a\":1},".getBytes()))
                .isInstanceOf(MalformedBodyException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> JsonBatchParser.parse(new byte[] {'{', (byte) 0xC3, '}'}))
                .isInstanceOf(MalformedBodyException.class)
                .hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> JsonBatchParser.parse("{oops\n{also}".getBytes()))
                .isInstanceOf(MalformedBodyException.class)
                .hasMessageContaining("no line is valid JSON");
    }

    @Test
    void deepNestingIsRefusedNotRecursedInto() {
        String deep = "[" + "[".repeat(5000) + "]".repeat(5000) + "]";
        assertThatThrownBy(() -> JsonBatchParser.parse(deep.getBytes()))
                .isInstanceOf(MalformedBodyException.class)
                .hasMessageContaining("nesting");
    }
}
