package io.authstream.schemas.deadletter;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Why an input went to {@code auth.events.deadletter}: a fixed set, so the code can label a
 * metric (an attacker cannot grow the label set) and a person or a redrive tool can select by it.
 * The record's {@link DeadLetterHeaders#REASON} header says the same in words, with the detail.
 */
public enum DeadLetterReason {
    /** The part of the body holding the event is not JSON. */
    MALFORMED_JSON("malformed_json"),
    /** JSON, but not an event of the route's kind (a required field missing or of the wrong type). */
    INVALID_EVENT("invalid_event"),
    /** Event time ahead of its receive time by more than the skew allowed, older than the horizon, or negative. */
    EVENT_TIME_OUT_OF_RANGE("event_time_out_of_range"),
    /** The route's sender may not say this (an app route carrying an Auth0 log record, say). */
    NOT_ALLOWED_ON_ROUTE("not_allowed_on_route"),
    /** A field is larger than where it is stored takes (a DynamoDB key is at most 2048 bytes). */
    FIELD_TOO_LARGE("field_too_large"),
    /** The whole event is larger than the topics take. */
    EVENT_TOO_LARGE("event_too_large"),
    /** A record on an input topic that the Streams app cannot deserialize. */
    UNDESERIALIZABLE("undeserializable"),
    /** A record the Streams app failed to process. */
    PROCESSING_FAILED("processing_failed"),
    /** A record the Streams app could not write. */
    PRODUCTION_FAILED("production_failed");

    private static final Map<String, DeadLetterReason> BY_CODE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(DeadLetterReason::code, Function.identity()));

    private final String code;

    DeadLetterReason(String code) {
        this.code = code;
    }

    /** The code as it appears in headers, metrics and the docs, e.g. {@code event_time_out_of_range}. */
    public String code() {
        return code;
    }

    /** The reason header's text: the code, then what exactly was wrong. */
    public String describe(String detail) {
        return code + ": " + detail;
    }

    /** The reason of a code, or null when it is not one of ours. */
    public static DeadLetterReason ofCode(String code) {
        return BY_CODE.get(code);
    }
}
