package io.authstream.normalize;

import io.authstream.config.Setting;
import io.authstream.config.Settings;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.deadletter.DeadLetterReason;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Sizes an event must keep to reach every place it is stored. The user id is the key of the
 * DynamoDB {@code Users} item (a partition key is at most 2048 bytes) and of the Kafka record;
 * the profile's text fields together must stay far below DynamoDB's 400 KB item limit; and the
 * whole event, {@code raw} included, must fit the topics it is written to after enrichment (the
 * brokers' default record limit is 1 MiB). An event past a limit is refused where it enters, with
 * the field and its size, rather than failing later in a sink or stopping the Streams app.
 */
public record EventLimits(int maxEventBytes) {

    /** DynamoDB's limit for a partition key value. */
    public static final int MAX_USER_ID_BYTES = 2048;
    /** Each other text field: 15 of them stay below a third of DynamoDB's 400 KB item limit. */
    public static final int MAX_FIELD_BYTES = 8192;

    public static final int DEFAULT_MAX_EVENT_BYTES = 512 * 1024;
    /** Leaves room below the brokers' default 1 MiB for enrichment and record overhead. */
    public static final int LIMIT_MAX_EVENT_BYTES = 900 * 1024;

    private static final Map<String, Function<AuthEvent, String>> FIELDS = Map.ofEntries(
            Map.entry("eventId", AuthEvent::getEventId),
            Map.entry("type", AuthEvent::getType),
            Map.entry("originalType", AuthEvent::getOriginalType),
            Map.entry("tenant", AuthEvent::getTenant),
            Map.entry("email", AuthEvent::getEmail),
            Map.entry("displayName", AuthEvent::getDisplayName),
            Map.entry("photoUrl", AuthEvent::getPhotoUrl),
            Map.entry("provider", AuthEvent::getProvider),
            Map.entry("connection", AuthEvent::getConnection),
            Map.entry("clientId", AuthEvent::getClientId),
            Map.entry("clientName", AuthEvent::getClientName),
            Map.entry("ip", AuthEvent::getIp),
            Map.entry("userAgent", AuthEvent::getUserAgent),
            Map.entry("failureReason", AuthEvent::getFailureReason));

    public EventLimits {
        if (maxEventBytes < 16 * 1024 || maxEventBytes > LIMIT_MAX_EVENT_BYTES) {
            throw new IllegalArgumentException(
                    "maxEventBytes must be between 16384 and " + LIMIT_MAX_EVENT_BYTES + ", got " + maxEventBytes);
        }
    }

    public static EventLimits defaults() {
        return new EventLimits(DEFAULT_MAX_EVENT_BYTES);
    }

    public static final Setting<Integer> MAX_EVENT_BYTES = Setting.integer(
                    "EVENT_MAX_BYTES",
                    16 * 1024,
                    LIMIT_MAX_EVENT_BYTES,
                    "Largest event taken (its Avro encoding, raw JSON included); larger ones are dead-lettered "
                            + "(event_too_large). At most " + LIMIT_MAX_EVENT_BYTES
                            + ", to leave room below the brokers' 1 MiB.")
            .defaultValue(DEFAULT_MAX_EVENT_BYTES);

    public static List<Setting<?>> settings() {
        return List.of(MAX_EVENT_BYTES);
    }

    public static EventLimits from(Settings settings) {
        return new EventLimits(settings.get(MAX_EVENT_BYTES));
    }

    /**
     * The event, when every field fits.
     *
     * @throws NormalizationException with {@link DeadLetterReason#FIELD_TOO_LARGE} naming the field otherwise
     */
    public AuthEvent checkFields(AuthEvent event) {
        fieldProblem(event).ifPresent(problem -> {
            throw new NormalizationException(DeadLetterReason.FIELD_TOO_LARGE, problem);
        });
        return event;
    }

    /** Which field is too large and by how much; empty when all fit. */
    public Optional<String> fieldProblem(AuthEvent event) {
        if (utf8Length(event.getUserId()) > MAX_USER_ID_BYTES) {
            return Optional.of("userId is " + utf8Length(event.getUserId()) + " bytes; a DynamoDB key takes at most "
                    + MAX_USER_ID_BYTES);
        }
        for (Map.Entry<String, Function<AuthEvent, String>> field : FIELDS.entrySet()) {
            int length = utf8Length(field.getValue().apply(event));
            if (length > MAX_FIELD_BYTES) {
                return Optional.of(
                        field.getKey() + " is " + length + " bytes; at most " + MAX_FIELD_BYTES + " are taken");
            }
        }
        for (Map.Entry<String, String> attribute : event.getAttributes().entrySet()) {
            int length = utf8Length(attribute.getKey()) + utf8Length(attribute.getValue());
            if (length > MAX_FIELD_BYTES) {
                return Optional.of("attribute " + JsonFields.shorten(attribute.getKey()) + " is " + length
                        + " bytes; at most " + MAX_FIELD_BYTES + " are taken");
            }
        }
        return Optional.empty();
    }

    /** What is wrong with an event whose encoding is {@code bytes} long; empty when it fits. */
    public Optional<String> sizeProblem(int bytes) {
        return bytes > maxEventBytes
                ? Optional.of("the event is " + bytes + " bytes encoded; at most " + maxEventBytes
                        + " are taken (EVENT_MAX_BYTES; event.max.bytes on the logs source)")
                : Optional.empty();
    }

    /** UTF-8 length without encoding (0 for null): cheap enough to run on every event. */
    public static int utf8Length(CharSequence text) {
        if (text == null) {
            return 0;
        }
        int bytes = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes++; // a lone surrogate is encoded as '?'
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** The Streams app's estimate of an event's encoded size: its text, which is all but a few bytes of it. */
    public static int textBytes(AuthEvent event) {
        int bytes = utf8Length(event.getUserId()) + utf8Length(event.getRaw());
        for (Function<AuthEvent, String> field : FIELDS.values()) {
            bytes += utf8Length(field.apply(event));
        }
        for (Map.Entry<String, String> attribute : event.getAttributes().entrySet()) {
            bytes += utf8Length(attribute.getKey()) + utf8Length(attribute.getValue());
        }
        return bytes;
    }
}
