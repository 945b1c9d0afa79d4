package io.authstream.gateway.aws;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authstream.normalize.IsoInstants;
import io.authstream.normalize.NormalizationException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * An EventBridge {@code PutEvents} request body (AWS JSON 1.1) read the way EventBridge reads it:
 * 1 to 10 entries, each with Source, DetailType and Detail (a JSON object serialised as a string),
 * optionally Time (epoch seconds), Resources and EventBusName. Each entry becomes the event
 * envelope EventBridge would deliver, with a fresh EventId.
 */
public final class PutEventsRequest {

    public static final int MAX_ENTRIES = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One entry: the envelope it becomes, or why it was refused (AWS per-entry error code and message). */
    public record Entry(String eventId, ObjectNode envelope, String raw, String errorCode, String errorMessage) {
        public boolean accepted() {
            return errorCode == null;
        }
    }

    private PutEventsRequest() {}

    /**
     * @throws AwsError {@code ValidationException} when the body is not a PutEvents request
     */
    public static List<Entry> parse(byte[] body, String region, Instant receivedAt) {
        List<Located> entries = entries(body);
        if (entries == null) {
            throw new AwsError(
                    400,
                    "ValidationException",
                    "1 validation error detected: Value null at 'entries' failed to "
                            + "satisfy constraint: Member must not be null");
        }
        if (entries.isEmpty() || entries.size() > MAX_ENTRIES) {
            throw new AwsError(
                    400,
                    "ValidationException",
                    "1 validation error detected: Value at 'entries' failed to "
                            + "satisfy constraint: Member must have length between 1 and " + MAX_ENTRIES + ", got "
                            + entries.size());
        }
        List<Entry> result = new ArrayList<>(entries.size());
        for (Located entry : entries) {
            result.add(entry(entry.node(), entry.raw(), region, receivedAt));
        }
        return result;
    }

    /** An entry and its exact text in the body. */
    private record Located(JsonNode node, String raw) {}

    /**
     * The elements of the body's {@code Entries} array, each with its exact text (writing each
     * entry's tree back out cost a quarter of reading a 10-entry call in a JFR profile); null when
     * there is no such array. Read as {@link ObjectMapper#readTree(byte[])} reads it: the last of
     * repeated {@code Entries} fields counts, and what follows the top-level object is ignored. A
     * body that is not an object is left to {@code readTree}, whose answer has no {@code Entries}.
     */
    private static List<Located> entries(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                JsonNode request = JSON.readTree(body);
                JsonNode entries = request == null ? null : request.get("Entries");
                return entries == null || !entries.isArray() ? null : fromTree(entries);
            }
            List<Located> entries = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean isEntries = "Entries".equals(parser.currentName());
                JsonToken value = parser.nextToken();
                if (!isEntries) {
                    parser.skipChildren();
                } else if (value != JsonToken.START_ARRAY) {
                    parser.skipChildren();
                    entries = null;
                } else {
                    entries = new ArrayList<>();
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        int from = (int) parser.currentTokenLocation().getByteOffset();
                        JsonNode node = JSON.readTree(parser);
                        int to = (int) parser.currentLocation().getByteOffset();
                        entries.add(new Located(node, text(body, from, to, node)));
                    }
                }
            }
            return entries;
        } catch (IOException e) {
            throw new AwsError(400, "SerializationException", "the request body is not valid JSON");
        }
    }

    /**
     * The entry's bytes as text; written from the tree when they are not valid UTF-8, as Jackson
     * reads such bytes otherwise than a decoder does (a fuzz finding: a 0xFF in a field name).
     */
    private static String text(byte[] body, int from, int to, JsonNode node) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body, from, to - from))
                    .toString();
        } catch (CharacterCodingException e) {
            return node.toString();
        }
    }

    private static List<Located> fromTree(JsonNode entries) {
        List<Located> located = new ArrayList<>(entries.size());
        for (JsonNode entry : entries) {
            located.add(new Located(entry, entry.toString()));
        }
        return located;
    }

    private static Entry entry(JsonNode entry, String raw, String region, Instant receivedAt) {
        String eventId = UUID.randomUUID().toString();
        if (!entry.isObject()) {
            return refused(eventId, raw, "InvalidArgument", "Each entry must be an object.");
        }
        for (String required : List.of("Source", "DetailType", "Detail")) {
            if (!entry.path(required).isTextual()
                    || entry.path(required).asText().isBlank()) {
                return refused(
                        eventId,
                        raw,
                        "InvalidArgument",
                        "Parameter " + required + " is not valid. Reason: " + required + " is a required argument.");
            }
        }
        JsonNode detail;
        try {
            detail = JSON.readTree(entry.get("Detail").asText());
        } catch (IOException e) {
            return refused(eventId, raw, "MalformedDetail", "Detail is malformed.");
        }
        if (detail == null || !detail.isObject()) {
            return refused(eventId, raw, "MalformedDetail", "Detail is malformed.");
        }
        Instant time;
        try {
            time = time(entry.get("Time"), receivedAt);
        } catch (NormalizationException e) {
            return refused(eventId, raw, "InvalidArgument", "Parameter Time is not valid. Reason: " + e.getMessage());
        }
        ObjectNode envelope = JSON.createObjectNode()
                .put("version", "0")
                .put("id", eventId)
                .put("detail-type", entry.get("DetailType").asText())
                .put("source", entry.get("Source").asText())
                .put("time", IsoInstants.format(time))
                .put("region", region);
        envelope.set("resources", entry.path("Resources").isArray() ? entry.get("Resources") : JSON.createArrayNode());
        envelope.set("detail", detail);
        return new Entry(eventId, envelope, raw, null, null);
    }

    /** AWS JSON 1.1 sends timestamps as epoch seconds (with a fraction); strings are accepted as ISO-8601. */
    private static Instant time(JsonNode value, Instant receivedAt) {
        if (value == null || value.isNull()) {
            return receivedAt;
        }
        if (value.isNumber()) {
            // Jackson reads 1e999 as Infinity (no BigDecimal), and longValue() would wrap 1e18 s into
            // some other year: a time beyond a long of milliseconds is refused, not bent.
            if (value.isFloatingPointNumber() && !Double.isFinite(value.asDouble())) {
                throw new NormalizationException("not a finite number of epoch seconds");
            }
            try {
                BigDecimal millis = value.decimalValue().movePointRight(3);
                return Instant.ofEpochMilli(
                        millis.setScale(0, RoundingMode.FLOOR).longValueExact());
            } catch (ArithmeticException e) {
                throw new NormalizationException("epoch seconds beyond any representable time");
            }
        }
        try {
            return IsoInstants.parse(value.asText());
        } catch (RuntimeException e) {
            throw new NormalizationException("not epoch seconds or an ISO-8601 timestamp");
        }
    }

    private static Entry refused(String eventId, String raw, String code, String message) {
        return new Entry(eventId, null, raw, code, message);
    }
}
