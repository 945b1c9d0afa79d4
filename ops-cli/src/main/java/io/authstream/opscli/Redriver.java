package io.authstream.opscli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authstream.normalize.ActionsNormalizer;
import io.authstream.normalize.Auth0LogNormalizer;
import io.authstream.normalize.EventBridgeNormalizer;
import io.authstream.normalize.EventKeys;
import io.authstream.normalize.EventLimits;
import io.authstream.normalize.EventStreamNormalizer;
import io.authstream.normalize.EventTimeBounds;
import io.authstream.normalize.NormalizationException;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.deadletter.DeadLetterReason;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A dead letter's body through today's normalisers, as the path that dead-lettered it would take
 * it now: the same normaliser for its source, then the checks every producer of auth.events.raw
 * makes (event time within bounds, fields and encoding within limits), keyed as every producer
 * keys it ({@link EventKeys}). The event's receive time is the dead letter's (so the time bounds
 * judge it as they did then).
 *
 * <p>Re-drivable: the bodies of the gateway's JSON routes, of Auth0 Actions (the query string)
 * and of the Auth0 logs source. Not: PutEvents entries (the caller was answered with the failed
 * entries and resends them itself, as with AWS; the entry alone lacks the signed region) and the
 * Streams app's (their value is a record of a topic, not a body).
 */
final class Redriver {

    // The sources the writers name in the dead letters' authstream.source header
    // (GatewayServer.SOURCE_*, Auth0LogsSourceTask.SOURCE, StreamsDeadLetters.SOURCE).
    static final String LOG_STREAM = "auth0.log-stream";
    static final String LOGS_API = "auth0.logs-api";
    static final String EVENT_STREAM = "auth0.event-stream";
    static final String EVENTBRIDGE = "eventbridge.relay";
    static final String ACTIONS = "auth0.actions";
    static final Set<String> REDRIVABLE = Set.of(LOG_STREAM, LOGS_API, EVENT_STREAM, EVENTBRIDGE, ACTIONS);

    private static final ObjectMapper STRICT =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** What became of one dead letter. */
    sealed interface Outcome {}

    /** Normalised and admitted: the record for auth.events.raw. */
    record Event(AuthEvent event, String key, byte[] value) implements Outcome {}

    /** Refused again, with the reason it would be dead-lettered for now. */
    record Refused(String code, String detail) implements Outcome {}

    /** Not a body this tool can re-submit. */
    record NotRedrivable(String why) implements Outcome {}

    private final EventTimeBounds bounds;
    private final EventLimits limits;
    private final Serializer<AuthEvent> serializer;

    Redriver(EventTimeBounds bounds, EventLimits limits, Serializer<AuthEvent> serializer) {
        this.bounds = bounds;
        this.limits = limits;
        this.serializer = serializer;
    }

    Outcome redrive(DeadLetterRecord deadLetter) {
        String source = deadLetter.source();
        if (!REDRIVABLE.contains(source)) {
            return new NotRedrivable("dead letters of " + source + " are not request bodies");
        }
        if (deadLetter.body() == null) {
            return new NotRedrivable("no body");
        }
        Optional<String> text = RecordJson.utf8(deadLetter.body());
        if (text.isEmpty()) {
            return new Refused(DeadLetterReason.MALFORMED_JSON.code(), "the body is not UTF-8");
        }
        String raw = text.get();
        Instant receivedAt = deadLetter.receivedAt() != null ? deadLetter.receivedAt() : deadLetter.timestamp();
        try {
            AuthEvent event = switch (source) {
                case LOG_STREAM, LOGS_API -> Auth0LogNormalizer.normalize(json(raw), raw, source, receivedAt);
                case EVENT_STREAM -> EventStreamNormalizer.normalize(json(raw), raw, source, receivedAt);
                case EVENTBRIDGE -> EventBridgeNormalizer.normalize(json(raw), raw, source, receivedAt);
                case ACTIONS -> actions(raw, receivedAt);
                default -> throw new IllegalStateException(source);
            };
            bounds.check(event);
            limits.checkFields(event);
            byte[] value = serializer.serialize(Topics.AUTH_EVENTS_RAW.name(), event);
            limits.sizeProblem(value.length).ifPresent(problem -> {
                throw new NormalizationException(DeadLetterReason.EVENT_TOO_LARGE, problem);
            });
            return new Event(event, EventKeys.of(event), value);
        } catch (NormalizationException e) {
            return new Refused(e.reason().code(), e.getMessage());
        }
    }

    private static JsonNode json(String raw) {
        try {
            JsonNode node = STRICT.readTree(raw);
            if (node == null || node.isMissingNode()) {
                throw new NormalizationException(DeadLetterReason.MALFORMED_JSON, "empty body");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new NormalizationException(DeadLetterReason.MALFORMED_JSON, e.getOriginalMessage());
        }
    }

    /** The Actions route's dead letter is its query string: topic, subject, message. */
    private static AuthEvent actions(String query, Instant receivedAt) {
        Map<String, String> params = new HashMap<>();
        try {
            decode(query, params);
        } catch (IllegalArgumentException e) {
            throw new NormalizationException(DeadLetterReason.INVALID_EVENT, "query string: " + e.getMessage());
        }
        if (params.get("message") == null) {
            throw new NormalizationException(DeadLetterReason.INVALID_EVENT, "no \"message\" query parameter");
        }
        return ActionsNormalizer.normalize(
                params.get("topic"), params.get("subject"), params.get("message"), ACTIONS, receivedAt);
    }

    private static void decode(String query, Map<String, String> params) {
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(name, value);
        }
    }
}
