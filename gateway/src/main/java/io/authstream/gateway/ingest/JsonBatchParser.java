package io.authstream.gateway.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a webhook body into events, in the three layouts Auth0 Log Streams can send: a JSON
 * array of events, JSON lines (one event per line), or one JSON object. Each event keeps its
 * exact original text.
 *
 * <p>A body that is not UTF-8, or whose array is broken, is malformed as a whole (400). In JSON
 * lines, a broken line is only that event's problem: it comes back unreadable, to be
 * dead-lettered, while the other lines go on.
 */
public final class JsonBatchParser {

    /** Deeper nesting than any Auth0 payload is refused, so hostile bodies cannot exhaust the stack. */
    static final int MAX_NESTING_DEPTH = 64;

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .build())
            .build());

    private JsonBatchParser() {}

    public static List<BodyItem> parse(byte[] body) {
        String text = decodeUtf8(body);
        int start = firstNonWhitespace(text);
        if (start < 0) {
            throw new MalformedBodyException("the body is empty: expected a JSON array, JSON lines or a JSON object");
        }
        if (text.charAt(start) == '[') {
            return parseArray(text);
        }
        List<BodyItem> whole = parseSingle(text, start);
        return whole != null ? whole : parseLines(text);
    }

    /** The whole body as one value (a pretty-printed object spans lines), or null if it is more than one. */
    private static List<BodyItem> parseSingle(String text, int start) {
        try (JsonParser parser = JSON.createParser(text)) {
            JsonNode node = JSON.readTree(parser);
            if (parser.nextToken() != null) {
                return null;
            }
            return List.of(BodyItem.parsed(1, node, text.substring(start).strip()));
        } catch (IOException e) {
            return null;
        }
    }

    private static List<BodyItem> parseArray(String text) {
        List<BodyItem> items = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(text)) {
            parser.nextToken();
            int position = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (parser.currentToken() == null) {
                    throw new MalformedBodyException("the JSON array is not closed");
                }
                position++;
                int from = (int) parser.currentTokenLocation().getCharOffset();
                JsonNode node = JSON.readTree(parser);
                int to = (int) parser.currentLocation().getCharOffset();
                items.add(BodyItem.parsed(position, node, text.substring(from, to)));
            }
            if (parser.nextToken() != null) {
                throw new MalformedBodyException("unexpected content after the JSON array at offset "
                        + parser.currentTokenLocation().getCharOffset());
            }
            if (items.isEmpty()) {
                throw new MalformedBodyException("the JSON array holds no events");
            }
        } catch (JsonProcessingException e) {
            throw new MalformedBodyException("the body is not valid JSON: " + e.getOriginalMessage() + where(e));
        } catch (IOException e) {
            throw new MalformedBodyException("the body could not be read: " + e.getMessage());
        }
        return items;
    }

    private static List<BodyItem> parseLines(String text) {
        List<BodyItem> items = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        int position = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            position++;
            try (JsonParser parser = JSON.createParser(line)) {
                JsonNode node = JSON.readTree(parser);
                if (parser.nextToken() != null) {
                    items.add(
                            BodyItem.unreadable(position, line, "line " + (i + 1) + " holds more than one JSON value"));
                } else {
                    items.add(BodyItem.parsed(position, node, line));
                }
            } catch (JsonProcessingException e) {
                items.add(BodyItem.unreadable(
                        position,
                        line,
                        "line " + (i + 1) + " is not valid JSON: " + e.getOriginalMessage() + where(e)));
            } catch (IOException e) {
                items.add(BodyItem.unreadable(
                        position, line, "line " + (i + 1) + " could not be read: " + e.getMessage()));
            }
        }
        if (items.stream().noneMatch(BodyItem::isParsed)) {
            throw new MalformedBodyException(
                    "the body is not a JSON array, JSON lines or a JSON object: no line is valid JSON"
                            + " (first problem: " + items.get(0).error() + ")");
        }
        return items;
    }

    private static String decodeUtf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedBodyException("the body is not valid UTF-8");
        }
    }

    private static int firstNonWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c) && c != '\uFEFF') {
                return i;
            }
        }
        return -1;
    }

    /** Where the parser stopped; limits such as the nesting depth have no location. */
    private static String where(JsonProcessingException e) {
        return e.getLocation() == null
                ? ""
                : " at line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr();
    }
}
