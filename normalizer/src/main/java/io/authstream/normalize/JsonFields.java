package io.authstream.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import io.authstream.schemas.deadletter.DeadLetterReason;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Tolerant reads of optional JSON fields: missing, null, empty and container values count as absent. */
public final class JsonFields {

    private JsonFields() {}

    /** A non-empty scalar as text, else null (Auth0 sends "" for an unknown user id). */
    public static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull() || value.isContainerNode()) {
            return null;
        }
        String text = value.asText();
        return text.isEmpty() ? null : text;
    }

    /**
     * A field without which the event cannot be normalised.
     *
     * @param what the event in the error, e.g. {@code CloudEvent}
     * @throws NormalizationException "the <what> has no "<field>"" when it is absent or empty
     */
    public static String requiredText(JsonNode node, String field, String what) {
        String value = text(node, field);
        if (value == null) {
            throw new NormalizationException("the " + what + " has no \"" + field + "\"");
        }
        return value;
    }

    /**
     * An ISO-8601 timestamp or epoch milliseconds; {@code fallback} when absent.
     *
     * @throws NormalizationException when present but neither
     */
    public static Instant instant(JsonNode node, String field, Instant fallback) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null
                || value.isNull()
                || (value.isTextual() && value.asText().isEmpty())) {
            return fallback;
        }
        if (value.isIntegralNumber()) {
            if (!value.canConvertToLong()) {
                throw new NormalizationException(
                        DeadLetterReason.EVENT_TIME_OUT_OF_RANGE,
                        "\"" + field + "\" is " + shorten(value.asText())
                                + " epoch milliseconds, beyond any representable time");
            }
            return Instant.ofEpochMilli(value.asLong());
        }
        try {
            return IsoInstants.parse(value.asText());
        } catch (DateTimeParseException e) {
            throw new NormalizationException(
                    "\"" + field + "\" is not an ISO-8601 timestamp: " + shorten(value.asText()));
        }
    }

    /** A number, or a numeric string (Auth0 has sent coordinates as both); null when absent or not a number. */
    public static Double number(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            return value.asDouble();
        }
        try {
            double parsed = Double.parseDouble(value.asText());
            return Double.isFinite(parsed) ? parsed : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** At most 64 characters of an input value, for a reason text. */
    static String shorten(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
