package io.authstream.streams.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authstream.schemas.avro.AuthEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;

/**
 * The JSON document a rule's {@code match} pattern is evaluated against: the normalised AuthEvent
 * fields under their Avro names ({@code type}, {@code outcome}, {@code userId}, {@code ip},
 * {@code geo.countryCode}, {@code attributes.hostname}, ...; null fields left out, times as epoch
 * milliseconds, enums as their symbol) plus {@code raw}, the Auth0 record the event came from,
 * parsed.
 *
 * <p>{@code raw} is the Auth0 log record itself (the object with {@code type}, {@code date},
 * {@code description}, {@code details}, ...) whichever path delivered it: the Log Streams wrapper
 * ({@code {"log_id", "data": {...}}}) and EventBridge's envelope ({@code detail-type: "Auth0
 * log"}) are taken off, as the normaliser does. Other sources' JSON (CloudEvents, application
 * events) is kept whole; raw text that is not a JSON object or array is left out.
 */
public final class RuleDocument {

    public static final String RAW = "raw";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RuleDocument() {}

    public static ObjectNode of(AuthEvent event) {
        ObjectNode document = record(event);
        document.remove(RAW);
        parsedRaw(event.getRaw()).ifPresent(raw -> document.set(RAW, raw));
        return document;
    }

    /**
     * The positions of the AuthEvent fields, but {@code raw}, that {@code keep} accepts by name:
     * what {@link #fields} takes (the schema is fixed, so they are found once per pattern set).
     */
    static int[] fieldPositions(Predicate<String> keep) {
        return AuthEvent.getClassSchema().getFields().stream()
                .filter(field -> !field.name().equals(RAW) && keep.test(field.name()))
                .mapToInt(Schema.Field::pos)
                .toArray();
    }

    /**
     * The AuthEvent fields of {@link #of} at these positions ({@link #fieldPositions}), without
     * {@code raw}: what {@link PatternMachine} starts from when no pattern names the others.
     */
    static ObjectNode fields(AuthEvent event, int[] positions) {
        ObjectNode document = NODES.objectNode();
        List<Schema.Field> fields = event.getSchema().getFields();
        for (int pos : positions) {
            JsonNode value = value(event.get(pos));
            if (value != null) {
                document.set(fields.get(pos).name(), value);
            }
        }
        return document;
    }

    /**
     * {@link #of} cut down to {@code paths} ({@link PatternPaths#prune} of it), made without the
     * whole: only the AuthEvent fields at {@code positions} ({@link #fieldPositions} of the same
     * paths) are converted, and raw is read only when some path is under it.
     *
     * @throws PatternPaths.UnusualNode as {@code prune} does
     */
    static ObjectNode cutDown(AuthEvent event, PatternPaths paths, int[] positions) {
        // the fields no path names are not even converted (nor raw read, when no path looks into it)
        ObjectNode document = paths.prune(fields(event, positions), null);
        if (paths.isBranch(RAW)) {
            prunedRaw(event.getRaw(), paths).ifPresent(raw -> document.set(RAW, raw));
        }
        return document;
    }

    /**
     * The {@code raw} of {@link #of}, cut down to {@code paths} ({@link PatternPaths#prune} of
     * it), read from the text without building what is cut. The text is read once, with the
     * paths at every place the record can sit ({@link PatternPaths#rawText}); the wrapper is taken
     * off what that read kept, and the record inside cut down to {@code paths}.
     */
    static Optional<JsonNode> prunedRaw(String raw, PatternPaths paths) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        PrunedJsonReader reader = new PrunedJsonReader(raw);
        try {
            int first = reader.start();
            if (first == '[') {
                // an array has no wrapper; cut again for what prune does to values (non-finite numbers)
                return Optional.of(paths.pruneArray(paths.read(reader, RAW, first), RAW));
            }
            if (first != '{') {
                return Optional.empty();
            }
            // what follows the value is not read, as readTree does not (parsedRaw)
            return Optional.of(paths.prune(unwrap(paths.rawText().read(reader, null, first)), RAW));
        } catch (PrunedJsonReader.Malformed e) {
            return Optional.empty(); // not JSON: raw is left out, as by parsedRaw
        }
    }

    /** {@link #of} as JSON text, what event-ruler's {@code rulesForJSONEvent} takes. */
    public static String json(AuthEvent event) {
        return of(event).toString();
    }

    /** The Auth0 record in {@code raw}, unwrapped; empty when raw is not a JSON object or array. */
    static Optional<JsonNode> parsedRaw(String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(raw);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        if (parsed == null || !(parsed.isObject() || parsed.isArray())) {
            return Optional.empty();
        }
        return Optional.of(unwrap(parsed));
    }

    static JsonNode unwrap(JsonNode record) {
        JsonNode log = record;
        for (String key : unwrapPath(record)) {
            log = log.get(key);
        }
        return log;
    }

    /** The keys {@link #unwrap} goes down to reach the Auth0 record: none, {@code data}, {@code detail} or both. */
    private static List<String> unwrapPath(JsonNode record) {
        List<String> path = new ArrayList<>(2);
        JsonNode log = record;
        if (log.isObject()
                && "Auth0 log".equals(log.path("detail-type").asText())
                && log.path("detail").isObject()) {
            log = log.get("detail");
            path.add("detail");
        }
        if (log.isObject()
                && !log.has("specversion")
                && log.path("data").isObject()
                && log.path("data").path("type").isTextual()) {
            path.add("data");
        }
        return path;
    }

    private static ObjectNode record(IndexedRecord record) {
        ObjectNode node = NODES.objectNode();
        for (Schema.Field field : record.getSchema().getFields()) {
            JsonNode value = value(record.get(field.pos()));
            if (value != null) {
                node.set(field.name(), value);
            }
        }
        return node;
    }

    private static JsonNode value(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof CharSequence text) {
            return NODES.textNode(text.toString());
        }
        if (value instanceof Instant instant) {
            return NODES.numberNode(instant.toEpochMilli());
        }
        if (value instanceof Enum<?> symbol) {
            return NODES.textNode(symbol.name());
        }
        if (value instanceof GenericEnumSymbol<?> symbol) {
            return NODES.textNode(symbol.toString());
        }
        if (value instanceof Long number) {
            return NODES.numberNode(number);
        }
        if (value instanceof Integer number) {
            return NODES.numberNode(number);
        }
        if (value instanceof Double number) {
            return NODES.numberNode(number);
        }
        if (value instanceof Float number) {
            return NODES.numberNode(number);
        }
        if (value instanceof Boolean flag) {
            return NODES.booleanNode(flag);
        }
        if (value instanceof IndexedRecord nested) {
            return record(nested);
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode node = NODES.objectNode();
            map.forEach((k, v) -> {
                JsonNode converted = value(v);
                if (converted != null) {
                    node.set(k.toString(), converted);
                }
            });
            return node;
        }
        return NODES.textNode(value.toString());
    }
}
