package io.authstream.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Outcome;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns an Auth0 Event Streams delivery (a CloudEvents 1.0 event: {@code id}, {@code type},
 * {@code time}, {@code data.object} = the user) into an {@link AuthEvent}. Also accepts the
 * variant with {@code spec_version} and {@code com.auth0.}-prefixed types.
 */
public final class EventStreamNormalizer {

    private static final String AUTH0_PREFIX = "com.auth0.";

    private EventStreamNormalizer() {}

    public static AuthEvent normalize(JsonNode event, String raw, String source, Instant receivedAt) {
        if (event == null || !event.isObject()) {
            throw new NormalizationException("a CloudEvent must be a JSON object");
        }
        String type = JsonFields.requiredText(event, "type", "CloudEvent");
        String specVersion = JsonFields.text(event, "specversion") != null
                ? JsonFields.text(event, "specversion")
                : JsonFields.text(event, "spec_version");
        if (specVersion != null && !specVersion.startsWith("1.")) {
            throw new NormalizationException("unsupported CloudEvents specversion " + specVersion + " (expected 1.0)");
        }
        JsonNode user = event.path("data").path("object");
        JsonNode identity = user.path("identities").path(0);
        String id = JsonFields.text(event, "id");

        Map<String, String> attributes = new TreeMap<>();
        putIfPresent(attributes, "cloudevents.source", JsonFields.text(event, "source"));
        putIfPresent(attributes, "a0stream", JsonFields.text(event, "a0stream"));
        putIfPresent(attributes, "a0purpose", JsonFields.text(event, "a0purpose"));
        putIfPresent(attributes, "email_verified", JsonFields.text(user, "email_verified"));
        putIfPresent(attributes, "last_ip", JsonFields.text(user, "last_ip"));
        putIfPresent(attributes, "logins_count", JsonFields.text(user, "logins_count"));
        putIfPresent(attributes, "blocked", JsonFields.text(user, "blocked"));

        return AuthEvent.newBuilder()
                .setEventId(id != null ? id : Auth0LogNormalizer.contentHash(raw))
                .setSource(source)
                .setType(type.startsWith(AUTH0_PREFIX) ? type.substring(AUTH0_PREFIX.length()) : type)
                .setOriginalType(type)
                .setOccurredAt(JsonFields.instant(event, "time", receivedAt))
                .setReceivedAt(receivedAt)
                .setTenant(JsonFields.text(event, "a0tenant"))
                .setUserId(JsonFields.text(user, "user_id"))
                .setEmail(JsonFields.text(user, "email"))
                .setDisplayName(JsonFields.text(user, "name"))
                .setPhotoUrl(JsonFields.text(user, "picture"))
                .setProvider(JsonFields.text(identity, "provider"))
                .setConnection(JsonFields.text(identity, "connection"))
                .setOutcome(Outcome.NONE)
                .setAttributes(attributes)
                .setRaw(raw)
                .build();
    }

    private static void putIfPresent(Map<String, String> attributes, String key, String value) {
        if (value != null) {
            attributes.put(key, value);
        }
    }
}
