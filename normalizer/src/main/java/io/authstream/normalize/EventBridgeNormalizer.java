package io.authstream.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Outcome;
import io.authstream.schemas.deadletter.DeadLetterReason;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns an AWS EventBridge event envelope ({@code source}, {@code detail-type}, {@code detail},
 * {@code id}, {@code time}) into an {@link AuthEvent}. Auth0 partner events
 * ({@code detail-type: "Auth0 log"}) carry an Auth0 log record in {@code detail} and are
 * deduplicated on its {@code log_id}, not on the envelope id (a redelivery gets a new one).
 * Application events (e.g. {@code user.signed_in} from a token-exchange service) carry
 * userId, email, displayName, photoURL, provider and timestamp in {@code detail}.
 */
public final class EventBridgeNormalizer {

    public static final String AUTH0_LOG_DETAIL_TYPE = "Auth0 log";

    private EventBridgeNormalizer() {}

    /**
     * An event an EventBridge rule relayed (API destination): an Auth0 log record from Auth0's
     * partner event source, or an application's event (see {@link AppEvents}).
     */
    public static AuthEvent normalize(JsonNode envelope, String raw, String source, Instant receivedAt) {
        return normalize(envelope, raw, source, receivedAt, true);
    }

    /**
     * An application's own event (PutEvents): never an Auth0 log record, never an {@code aws.*}
     * source, never a type only Auth0 reports.
     */
    public static AuthEvent normalizeApplication(JsonNode envelope, String raw, String source, Instant receivedAt) {
        return normalize(envelope, raw, source, receivedAt, false);
    }

    private static AuthEvent normalize(
            JsonNode envelope, String raw, String source, Instant receivedAt, boolean relayed) {
        if (envelope == null || !envelope.isObject()) {
            throw new NormalizationException("an EventBridge event must be a JSON object");
        }
        String detailType = JsonFields.requiredText(envelope, "detail-type", "EventBridge event");
        JsonNode detail = envelope.get("detail");
        if (detail == null || !detail.isObject()) {
            throw new NormalizationException("the EventBridge event has no \"detail\" object");
        }
        Instant envelopeTime = JsonFields.instant(envelope, "time", receivedAt);
        String eventSource = JsonFields.text(envelope, "source");
        boolean fromAuth0 = eventSource != null && eventSource.startsWith(AppEvents.AUTH0_PARTNER_SOURCE_PREFIX);
        if (AUTH0_LOG_DETAIL_TYPE.equals(detailType) && !(relayed && fromAuth0)) {
            throw new NormalizationException(
                    DeadLetterReason.NOT_ALLOWED_ON_ROUTE,
                    relayed
                            ? "an Auth0 log record is taken only from Auth0's partner event source ("
                                    + AppEvents.AUTH0_PARTNER_SOURCE_PREFIX + "...), this one has source \""
                                    + JsonFields.shorten(String.valueOf(eventSource)) + "\""
                            : "detail-type \"Auth0 log\" is Auth0's: PutEvents takes an application's own events, not Auth0 log records");
        }
        if (AUTH0_LOG_DETAIL_TYPE.equals(detailType)) {
            AuthEvent log = Auth0LogNormalizer.normalize(detail, raw, source, receivedAt);
            String envelopeId = JsonFields.text(envelope, "id");
            if (envelopeId != null) {
                log.getAttributes().put("eventbridge.id", envelopeId);
            }
            log.getAttributes().put("eventbridge.source", eventSource);
            return log;
        }
        AppEvents.check(eventSource, detailType);
        return appEvent(envelope, detailType, detail, raw, source, receivedAt, envelopeTime);
    }

    private static AuthEvent appEvent(
            JsonNode envelope,
            String detailType,
            JsonNode detail,
            String raw,
            String source,
            Instant receivedAt,
            Instant envelopeTime) {
        String id = JsonFields.text(detail, "eventId");
        if (id == null) {
            id = JsonFields.text(detail, "id");
        }
        if (id == null) {
            id = JsonFields.text(envelope, "id");
        }
        Map<String, String> attributes = new TreeMap<>();
        String eventSource = JsonFields.text(envelope, "source");
        if (eventSource != null) {
            attributes.put("eventbridge.source", eventSource);
        }
        String envelopeId = JsonFields.text(envelope, "id");
        if (envelopeId != null) {
            attributes.put("eventbridge.id", envelopeId);
        }
        String success = JsonFields.text(detail, "success");
        Outcome outcome = success == null
                ? (detailType.endsWith("_failed") ? Outcome.FAILURE : Outcome.SUCCESS)
                : Boolean.parseBoolean(success) ? Outcome.SUCCESS : Outcome.FAILURE;
        return AuthEvent.newBuilder()
                .setEventId(AppEvents.id(id != null ? id : Auth0LogNormalizer.contentHash(raw)))
                .setSource(source)
                .setType(detailType)
                .setOriginalType(detailType)
                .setOccurredAt(JsonFields.instant(detail, "timestamp", envelopeTime))
                .setReceivedAt(receivedAt)
                .setUserId(JsonFields.text(detail, "userId"))
                .setEmail(JsonFields.text(detail, "email"))
                .setDisplayName(JsonFields.text(detail, "displayName"))
                .setPhotoUrl(JsonFields.text(detail, "photoURL"))
                .setProvider(JsonFields.text(detail, "provider"))
                .setClientId(JsonFields.text(detail, "clientId"))
                .setIp(JsonFields.text(detail, "ip"))
                .setUserAgent(JsonFields.text(detail, "userAgent"))
                .setOutcome(outcome)
                .setFailureReason(outcome == Outcome.FAILURE ? JsonFields.text(detail, "reason") : null)
                .setAttributes(attributes)
                .setRaw(raw)
                .build();
    }
}
