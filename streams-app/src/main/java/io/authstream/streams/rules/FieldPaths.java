package io.authstream.streams.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.authstream.schemas.avro.AuthEvent;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.avro.Schema;

/**
 * Dotted field paths into a {@link RuleDocument}: {@code userId}, {@code geo.countryCode},
 * {@code attributes.hostname}, {@code raw.details.request.path}. A path is plausible when its
 * first name is an AuthEvent field (or {@code raw}) and, below a record field, the next is one of
 * that record's fields; below {@code raw} any names go (the Auth0 record has no fixed schema).
 */
public final class FieldPaths {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_$@:-]+");

    private FieldPaths() {}

    /** Separates the alternatives of a path: {@code userId ?? email} is the first of them present. */
    public static final String OR_ELSE = "??";

    /**
     * Why {@code path} cannot name a field of a rule document, or empty when it can. A path may
     * list alternatives, {@code userId ?? email ?? displayName}: its value is the first present.
     */
    public static Optional<String> problem(String path) {
        if (path != null && path.contains(OR_ELSE)) {
            for (String alternative : alternatives(path)) {
                Optional<String> problem = singleProblem(alternative);
                if (problem.isPresent()) {
                    return problem;
                }
            }
            return Optional.empty();
        }
        return singleProblem(path);
    }

    /** The alternatives of a path, each stripped; a path without {@code ??} is its own only one. */
    public static List<String> alternatives(String path) {
        return Arrays.stream(path.split("\\?\\?", -1)).map(String::strip).toList();
    }

    private static Optional<String> singleProblem(String path) {
        if (path == null || path.isBlank()) {
            return Optional.of("an empty field path");
        }
        List<String> names = Arrays.asList(path.split("\\.", -1));
        for (String name : names) {
            if (!NAME.matcher(name).matches()) {
                return Optional.of("field path \"" + path + "\" has an empty or invalid name \"" + name + "\"");
            }
        }
        String head = names.get(0);
        if (head.equals(RuleDocument.RAW)) {
            return names.size() > 1
                    ? Optional.empty()
                    : Optional.of(
                            "field path \"raw\" names the whole Auth0 record; name a field in it, e.g. raw.description");
        }
        Schema.Field field = AuthEvent.getClassSchema().getField(head);
        if (field == null) {
            return Optional.of("field path \"" + path + "\" starts with \"" + head
                    + "\", which is neither an AuthEvent field nor raw (AuthEvent fields: " + eventFields() + ")");
        }
        Schema schema = nonNull(field.schema());
        if (schema.getType() == Schema.Type.MAP) {
            return names.size() > 1
                    ? Optional.empty()
                    : Optional.of("field path \"" + path + "\" needs a key, e.g. " + head + ".hostname");
        }
        if (schema.getType() == Schema.Type.RECORD) {
            if (names.size() != 2) {
                return Optional.of("field path \"" + path + "\" needs one of " + head + "'s fields: " + fields(schema));
            }
            return schema.getField(names.get(1)) == null
                    ? Optional.of("field path \"" + path + "\": " + head + " has no field \"" + names.get(1)
                            + "\" (its fields: " + fields(schema) + ")")
                    : Optional.empty();
        }
        return names.size() == 1
                ? Optional.empty()
                : Optional.of("field path \"" + path + "\": " + head + " is a plain value, it has no fields");
    }

    /**
     * The value at {@code path} in a rule document, as text: a string or number as is, an array
     * or object as compact JSON; empty when the path is missing or null. A dotted key (attributes
     * such as {@code eventbridge.id}) is found too.
     */
    public static Optional<String> valueAt(JsonNode document, String path) {
        if (path.contains(OR_ELSE)) {
            for (String alternative : alternatives(path)) {
                Optional<String> value = valueAt(document, alternative);
                if (value.isPresent()) {
                    return value;
                }
            }
            return Optional.empty();
        }
        JsonNode node = nodeAt(document, path.split("\\.", -1), 0);
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Optional.empty();
        }
        return Optional.of(node.isValueNode() ? node.asText() : node.toString());
    }

    private static JsonNode nodeAt(JsonNode node, String[] names, int from) {
        if (from == names.length) {
            return node;
        }
        if (node == null || !node.isObject()) {
            return null;
        }
        StringBuilder key = new StringBuilder();
        for (int i = from; i < names.length; i++) {
            if (i > from) {
                key.append('.');
            }
            key.append(names[i]);
            JsonNode child = node.get(key.toString());
            if (child != null) {
                JsonNode found = nodeAt(child, names, i + 1);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        return schema.getTypes().stream()
                .filter(s -> s.getType() != Schema.Type.NULL)
                .findFirst()
                .orElse(schema);
    }

    private static String eventFields() {
        return fields(AuthEvent.getClassSchema());
    }

    private static String fields(Schema record) {
        return String.join(
                ", ", record.getFields().stream().map(Schema.Field::name).toList());
    }
}
