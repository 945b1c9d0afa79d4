package io.authstream.streams.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.authstream.normalize.Auth0LogNormalizer;
import io.authstream.normalize.NormalizationException;
import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.DeviceInfo;
import io.authstream.schemas.avro.GeoLocation;
import io.authstream.schemas.avro.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * Turns the events of a test case, as a rule file writes them, into AuthEvents. An event is an
 * object of AuthEvent fields (Avro names) and/or {@code raw}: when raw is an Auth0 log record
 * (it has a {@code type}, bare or in Log Streams' {@code data}), the Auth0 log normaliser makes
 * the event from it, as the gateway would, and the fields given beside it override what it made.
 *
 * <p>Event time: {@code occurredAt} (ISO-8601 instant or epoch milliseconds) when given; else the
 * first event is at its raw record's {@code date} (or {@link #BASE} without one) and each later
 * one {@code after} (default 1 s) the previous event. {@code repeat: n} repeats an event n times,
 * each after the previous one.
 */
final class RuleTestEvents {

    static final Instant BASE = Instant.parse("2025-01-01T00:00:00Z");
    static final String SOURCE = "rules.test";
    static final Set<String> OWN_KEYS = Set.of("raw", "after", "repeat");
    private static final Duration DEFAULT_SPACING = Duration.ofSeconds(1);
    private static final int MAX_REPEAT = 10_000;

    static {
        GeneratedClasses.trust(); // copying a generated record resolves its enums by class
    }

    private RuleTestEvents() {}

    /** The events of one case; each problem found is added to {@code problems}, prefixed with the event's number. */
    static List<AuthEvent> convert(JsonNode events, String caseLabel, List<String> problems) {
        List<AuthEvent> result = new ArrayList<>();
        if (events == null || !events.isArray() || events.isEmpty()) {
            problems.add(caseLabel + ": needs events, a non-empty list");
            return result;
        }
        Instant previous = null;
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            String label = caseLabel + ", event " + (i + 1);
            JsonNode item = events.get(i);
            if (!item.isObject()) {
                problems.add(label + ": must be an object of AuthEvent fields and/or raw");
                continue;
            }
            int problemsBefore = problems.size();
            AuthEvent event = event(item, label, problems);
            Duration after = DEFAULT_SPACING;
            if (item.has("after")) {
                try {
                    after = RuleDurations.parse(item.get("after").asText());
                } catch (IllegalArgumentException e) {
                    problems.add(label + ": after: " + e.getMessage());
                }
            }
            int repeat = 1;
            if (item.has("repeat")) {
                JsonNode times = item.get("repeat");
                if (!times.canConvertToInt()
                        || !times.isIntegralNumber()
                        || times.asInt() < 1
                        || times.asInt() > MAX_REPEAT) {
                    problems.add(label + ": repeat must be a whole number from 1 to " + MAX_REPEAT + ", got " + times);
                } else {
                    repeat = times.asInt();
                }
            }
            if (problems.size() > problemsBefore || event == null) {
                continue;
            }
            boolean explicitTime = item.has("occurredAt");
            boolean rawDate = previous == null && hasRawDate(item.get("raw"));
            for (int k = 0; k < repeat; k++) {
                AuthEvent copy = AuthEvent.newBuilder(event).build();
                Instant at;
                if (explicitTime && k == 0) {
                    at = copy.getOccurredAt();
                } else if (previous == null) {
                    at = rawDate ? copy.getOccurredAt() : BASE;
                } else {
                    at = previous.plus(after);
                }
                copy.setOccurredAt(at);
                copy.setReceivedAt(at);
                String id = copy.getEventId();
                for (int n = 2; !ids.add(id); n++) {
                    id = copy.getEventId() + "#" + n;
                }
                copy.setEventId(id);
                result.add(copy);
                previous = at;
            }
        }
        return result;
    }

    private static boolean hasRawDate(JsonNode raw) {
        if (raw == null || !raw.isObject()) {
            return false;
        }
        JsonNode record = RuleDocument.unwrap(raw);
        return record.path("date").isTextual();
    }

    private static AuthEvent event(JsonNode item, String label, List<String> problems) {
        JsonNode raw = item.get("raw");
        String rawText = raw == null ? "" : raw.isTextual() ? raw.asText() : raw.toString();
        AuthEvent event;
        if (raw != null && raw.isObject() && isAuth0Log(raw)) {
            try {
                event = Auth0LogNormalizer.normalize(raw, rawText, SOURCE, BASE);
            } catch (NormalizationException e) {
                problems.add(label + ": raw is not an Auth0 log record the normaliser takes: " + e.getMessage());
                return null;
            }
        } else {
            if (!item.path("type").isTextual()) {
                problems.add(label + ": needs a type, or raw holding an Auth0 log record (with its type)");
                return null;
            }
            event = AuthEvent.newBuilder()
                    .setEventId("case-event")
                    .setSource(SOURCE)
                    .setType(item.get("type").asText())
                    .setOccurredAt(BASE)
                    .setReceivedAt(BASE)
                    .setAttributes(new HashMap<>())
                    .setRaw(rawText)
                    .build();
        }
        if (event.getEventId() == null || event.getEventId().isBlank()) {
            event.setEventId("case-event");
        }
        if (!(event.getAttributes() instanceof HashMap)) {
            event.setAttributes(new HashMap<>(event.getAttributes()));
        }
        Schema schema = AuthEvent.getClassSchema();
        for (Map.Entry<String, JsonNode> entry : item.properties()) {
            String name = entry.getKey();
            if (OWN_KEYS.contains(name)) {
                continue;
            }
            Schema.Field field = schema.getField(name);
            if (field == null) {
                problems.add(label + ": \"" + name + "\" is not an AuthEvent field (nor raw, after, repeat)");
                continue;
            }
            try {
                event.put(field.pos(), convert(field.schema(), entry.getValue()));
            } catch (IllegalArgumentException e) {
                problems.add(label + ": " + name + ": " + e.getMessage());
            }
        }
        return event;
    }

    private static boolean isAuth0Log(JsonNode raw) {
        return raw.path("type").isTextual() || raw.path("data").path("type").isTextual();
    }

    private static Object convert(Schema schema, JsonNode value) {
        if (schema.getType() == Schema.Type.UNION) {
            if (value.isNull()) {
                if (schema.getTypes().stream().noneMatch(s -> s.getType() == Schema.Type.NULL)) {
                    throw new IllegalArgumentException("may not be null");
                }
                return null;
            }
            return convert(FieldPaths.nonNull(schema), value);
        }
        return switch (schema.getType()) {
            case STRING -> {
                if (!value.isValueNode() || value.isNull()) {
                    throw new IllegalArgumentException("must be a string, got " + value);
                }
                yield value.asText();
            }
            case ENUM -> {
                if (!schema.getEnumSymbols().contains(value.asText())) {
                    throw new IllegalArgumentException("must be one of " + schema.getEnumSymbols() + ", got " + value);
                }
                yield enumSymbol(schema, value.asText());
            }
            case LONG -> {
                if ("timestamp-millis".equals(schema.getProp("logicalType")) || schema.getLogicalType() != null) {
                    yield instant(value);
                }
                if (!value.canConvertToLong()) {
                    throw new IllegalArgumentException("must be a whole number, got " + value);
                }
                yield value.asLong();
            }
            case DOUBLE -> {
                if (!value.isNumber()) {
                    throw new IllegalArgumentException("must be a number, got " + value);
                }
                yield value.asDouble();
            }
            case MAP -> {
                if (!value.isObject()) {
                    throw new IllegalArgumentException("must be an object of strings, got " + value);
                }
                Map<String, String> map = new HashMap<>();
                value.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
                yield map;
            }
            case RECORD -> {
                if (!value.isObject()) {
                    throw new IllegalArgumentException("must be an object with fields of " + schema.getName());
                }
                IndexedRecord record = newRecord(schema);
                for (Map.Entry<String, JsonNode> entry : value.properties()) {
                    Schema.Field field = schema.getField(entry.getKey());
                    if (field == null) {
                        throw new IllegalArgumentException(
                                schema.getName() + " has no field \"" + entry.getKey() + "\"");
                    }
                    record.put(field.pos(), convert(field.schema(), entry.getValue()));
                }
                yield record;
            }
            default -> throw new IllegalArgumentException("fields of type " + schema.getType() + " cannot be given");
        };
    }

    /** By name, not by class loading: Avro refuses to load classes of packages it has not been told to trust. */
    private static Object enumSymbol(Schema schema, String symbol) {
        if (schema.getFullName().equals(Outcome.getClassSchema().getFullName())) {
            return Outcome.valueOf(symbol);
        }
        throw new IllegalArgumentException("enum " + schema.getName() + " cannot be given");
    }

    private static IndexedRecord newRecord(Schema schema) {
        if (schema.getFullName().equals(GeoLocation.getClassSchema().getFullName())) {
            return new GeoLocation();
        }
        if (schema.getFullName().equals(DeviceInfo.getClassSchema().getFullName())) {
            return new DeviceInfo();
        }
        throw new IllegalArgumentException("record " + schema.getName() + " cannot be given");
    }

    private static Instant instant(JsonNode value) {
        if (value.isIntegralNumber()) {
            return Instant.ofEpochMilli(value.asLong());
        }
        try {
            return Instant.parse(value.asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "must be an ISO-8601 instant (2025-01-01T00:00:00Z) or epoch milliseconds, got " + value);
        }
    }
}
