package io.authstream.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Outcome;
import io.authstream.schemas.deadletter.DeadLetterReason;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
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
    /**
     * The types an Action's call can mean: the message names a user (username, email, user_id) at
     * a login, a sign-up or a password change, the triggers that run Actions for a user. A subject
     * naming any other normalised type (user.deleted, user.blocked, ...) is refused: the message
     * cannot prove it, and the profile fold and detections would act on it. Other subjects are the
     * tenant's own words, kept in originalType of an {@code auth0.action} event.
     */
    static final Set<String> ALLOWED_TYPES = Set.of("user.signed_in", "user.signed_up", "user.password_changed");

    private static final String ACTION = "auth0.action";

    private ActionsNormalizer() {}

    public static AuthEvent normalize(String topic, String subject, String message, String source, Instant receivedAt) {
        if (message == null || message.isBlank()) {
            throw new NormalizationException("the \"message\" query parameter is missing");
        }
        JsonNode body;
        try {
            body = JSON.readTree(message);
        } catch (IOException e) {
            throw new NormalizationException("the \"message\" query parameter is not JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (body == null || !body.isObject()) {
            throw new NormalizationException("the \"message\" query parameter must be a JSON object");
        }
        String raw = JSON.createObjectNode()
                .put("topic", topic)
                .put("subject", subject)
                .put("message", message)
                .toString();
        Map<String, String> attributes = new TreeMap<>();
        if (topic != null) {
            attributes.put("topic", topic);
        }
        String type = type(subject);
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
                .setProvider(
                        userId != null && userId.indexOf('|') > 0 ? userId.substring(0, userId.indexOf('|')) : null)
                .setOutcome(type.equals(ACTION) ? Outcome.NONE : Outcome.SUCCESS)
                .setAttributes(attributes)
                .setRaw(raw)
                .build();
    }

    private static String type(String subject) {
        if (subject == null || subject.equals(ACTION)) {
            return ACTION;
        }
        if (ALLOWED_TYPES.contains(subject)) {
            return subject;
        }
        if (AppEvents.isAuth0Only(subject) || AppEvents.APP_TYPES.contains(subject)) {
            throw new NormalizationException(
                    DeadLetterReason.NOT_ALLOWED_ON_ROUTE,
                    "subject \"" + subject
                            + "\" names an event an Actions call cannot mean; it may name "
                            + String.join(", ", sorted(ALLOWED_TYPES))
                            + " or a word of the tenant's own (kept as an auth0.action event)");
        }
        return ACTION;
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
