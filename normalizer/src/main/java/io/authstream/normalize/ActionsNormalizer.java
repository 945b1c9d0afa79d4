package io.authstream.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Outcome;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns the API-Gateway-style call that Auth0 Actions make ({@code GET ?topic=&subject=&message=},
 * {@code message} = URL-encoded JSON with username, email, user_id) into an {@link AuthEvent}.
 * The call has no id and no time: the id is a hash of the three parameters, so an Action's retry
 * of the same call is deduplicated, and the event time is the time of receipt.
 */
public final class ActionsNormalizer {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Subjects that already name a normalised type; any other subject is kept in originalType. */
    private static final Set<String> NORMALISED = Set.of("user.signed_in", "user.signed_up", "user.created",
            "user.updated", "user.deleted", "user.blocked", "user.password_changed", "user.signed_out",
            "credentials.refreshed");

    private ActionsNormalizer() {}

    public static AuthEvent normalize(String topic, String subject, String message, String source, Instant receivedAt) {
        if (message == null || message.isBlank()) {
            throw new NormalizationException("the \"message\" query parameter is missing");
        }
        JsonNode body;
        try {
            body = JSON.readTree(message);
        } catch (IOException e) {
            throw new NormalizationException("the \"message\" query parameter is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (body == null || !body.isObject()) {
            throw new NormalizationException("the \"message\" query parameter must be a JSON object");
        }
        String raw = JSON.createObjectNode().put("topic", topic).put("subject", subject).put("message", message).toString();
        Map<String, String> attributes = new TreeMap<>();
        if (topic != null) {
            attributes.put("topic", topic);
        }
        String type = subject != null && NORMALISED.contains(subject) ? subject : "auth0.action";
        String userId = JsonFields.text(body, "user_id");
        return AuthEvent.newBuilder()
                .setEventId(Auth0LogNormalizer.contentHash(raw))
                .setSource(source)
                .setType(type)
                .setOriginalType(subject)
                .setOccurredAt(JsonFields.instant(body, "timestamp", receivedAt))
                .setReceivedAt(receivedAt)
                .setUserId(userId)
                .setEmail(JsonFields.text(body, "email"))
                .setDisplayName(JsonFields.text(body, "username"))
                .setProvider(userId != null && userId.indexOf('|') > 0 ? userId.substring(0, userId.indexOf('|')) : null)
                .setOutcome(type.equals("auth0.action") ? Outcome.NONE : Outcome.SUCCESS)
                .setAttributes(attributes)
                .setRaw(raw)
                .build();
    }
}
