package io.authstream.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.GeoLocation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns one Auth0 tenant log record into an {@link AuthEvent}. Accepts the Log Streams shape
 * ({@code {"log_id": ..., "data": {...}}}), the bare log ({@code data} alone, as the Management
 * API's {@code /api/v2/logs} returns it) and the EventBridge {@code detail}. Missing, null,
 * empty or oddly typed optional fields are tolerated; only a record that is not an object, or
 * whose {@code date} is not a timestamp, is refused.
 */
public final class Auth0LogNormalizer {

    /** Fields with a place of their own in AuthEvent (or kept only in raw); the other scalars go to attributes. */
    private static final Set<String> MAPPED = Set.of(
            "log_id",
            "_id",
            "date",
            "type",
            "user_id",
            "user_name",
            "ip",
            "user_agent",
            "connection",
            "client_id",
            "client_name",
            "strategy",
            "details",
            "location_info",
            "tenant_name");

    /** Attribute naming where an event's geo came from. */
    public static final String GEO_SOURCE = "geo_source";

    private Auth0LogNormalizer() {}

    /**
     * @param record the log record as received (with or without the {@code data} wrapper)
     * @param raw the record's original JSON text, kept as is in {@code AuthEvent.raw}
     * @param source the ingest path, e.g. {@code auth0.log-stream}
     * @param receivedAt when the gateway received the request
     */
    public static AuthEvent normalize(JsonNode record, String raw, String source, Instant receivedAt) {
        if (record == null || !record.isObject()) {
            throw new NormalizationException("an Auth0 log record must be a JSON object, got "
                    + (record == null ? "nothing" : record.getNodeType().name().toLowerCase()));
        }
        JsonNode data = record.path("data").isObject() ? record.get("data") : record;
        String code = JsonFields.requiredText(data, "type", "Auth0 log record");
        Auth0LogTypes.Mapping mapping = Auth0LogTypes.of(code);
        String logId = firstText(record, data, "log_id", "_id");
        String userId = JsonFields.text(data, "user_id");
        String userName = JsonFields.text(data, "user_name");

        AuthEvent.Builder event = AuthEvent.newBuilder()
                .setEventId(logId != null ? logId : contentHash(raw))
                .setSource(source)
                .setType(mapping.type())
                .setOriginalType(code)
                .setOccurredAt(JsonFields.instant(data, "date", receivedAt))
                .setReceivedAt(receivedAt)
                .setTenant(JsonFields.text(data, "tenant_name"))
                .setUserId(userId)
                .setEmail(userName != null && userName.contains("@") ? userName : null)
                .setDisplayName(userName)
                .setProvider(provider(data, userId))
                .setConnection(JsonFields.text(data, "connection"))
                .setClientId(JsonFields.text(data, "client_id"))
                .setClientName(JsonFields.text(data, "client_name"))
                .setIp(JsonFields.text(data, "ip"))
                .setUserAgent(JsonFields.text(data, "user_agent"))
                .setOutcome(mapping.outcome())
                .setAttributes(attributes(data))
                .setRaw(raw);
        if (mapping.outcome() == io.authstream.schemas.avro.Outcome.FAILURE) {
            event.setFailureReason(failureReason(data));
        }
        GeoLocation geo = location(data.path("location_info"));
        if (geo != null) {
            event.setGeo(geo);
            Map<String, String> attributes = new TreeMap<>(event.getAttributes());
            attributes.put(GEO_SOURCE, "auth0.location_info");
            event.setAttributes(attributes);
        }
        return event.build();
    }

    /**
     * Auth0's own geo-IP of the request ({@code location_info}: country_code, country_name,
     * city_name, latitude, longitude, time_zone), when the record carries it; coordinates out of
     * range are left out rather than trusted.
     */
    static GeoLocation location(JsonNode info) {
        if (!info.isObject()) {
            return null;
        }
        Double latitude = JsonFields.number(info, "latitude");
        Double longitude = JsonFields.number(info, "longitude");
        boolean located =
                latitude != null && longitude != null && Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180;
        String country = JsonFields.text(info, "country_code");
        if (country == null && !located) {
            return null;
        }
        return GeoLocation.newBuilder()
                .setCountryCode(country)
                .setCountryName(JsonFields.text(info, "country_name"))
                .setCity(JsonFields.text(info, "city_name"))
                .setLatitude(located ? latitude : null)
                .setLongitude(located ? longitude : null)
                .setTimeZone(JsonFields.text(info, "time_zone"))
                .build();
    }

    private static String provider(JsonNode data, String userId) {
        String strategy = JsonFields.text(data, "strategy");
        if (strategy != null) {
            return strategy;
        }
        if (userId != null && userId.indexOf('|') > 0) {
            return userId.substring(0, userId.indexOf('|'));
        }
        return null;
    }

    private static String failureReason(JsonNode data) {
        String description = JsonFields.text(data, "description");
        if (description != null) {
            return description;
        }
        JsonNode error = data.path("details").path("error");
        return error.isObject() ? JsonFields.text(error, "message") : error.isTextual() ? error.asText() : null;
    }

    private static Map<String, String> attributes(JsonNode data) {
        Map<String, String> attributes = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = data.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (!MAPPED.contains(field.getKey()) && value.isValueNode() && !value.isNull()) {
                attributes.put(field.getKey(), value.asText());
            }
        }
        return attributes;
    }

    private static String firstText(JsonNode record, JsonNode data, String... names) {
        for (String name : names) {
            String value = JsonFields.text(record, name);
            if (value == null) {
                value = JsonFields.text(data, name);
            }
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** The id of an event whose source gave none: the same bytes always get the same id. */
    public static String contentHash(String raw) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
