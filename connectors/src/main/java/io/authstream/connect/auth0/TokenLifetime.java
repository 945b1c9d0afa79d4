package io.authstream.connect.auth0;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * How long a token from {@code /oauth/token} is used, from its {@code expires_in} (seconds).
 * The answer is clamped, so neither a zero (a token request per call) nor a huge number (an
 * overflow, or a token kept past its revocation forever) comes through as is.
 */
final class TokenLifetime {

    /** A token said to expire at once is still used for this long, not refetched on every call. */
    static final Duration SHORTEST = Duration.ofSeconds(1);
    /** Auth0's default for Management API tokens; a longer lifetime is renewed daily all the same. */
    static final Duration LONGEST = Duration.ofHours(24);
    /** When {@code expires_in} is missing or not a number: short, since the real lifetime is unknown. */
    static final Duration UNSTATED = Duration.ofSeconds(60);

    private TokenLifetime() {}

    /** The lifetime to assume for a token whose answer carried {@code expiresIn} (null when absent). */
    static Duration of(JsonNode expiresIn) {
        if (expiresIn == null || !expiresIn.isNumber()) {
            return UNSTATED;
        }
        double seconds = expiresIn.asDouble();
        if (Double.isNaN(seconds)) {
            return UNSTATED;
        }
        if (seconds >= LONGEST.toSeconds()) {
            return LONGEST;
        }
        return seconds < SHORTEST.toSeconds() ? SHORTEST : Duration.ofSeconds((long) seconds);
    }

    /**
     * When to renew a token of {@code lifetime}: {@code refreshBuffer} before it expires, but never
     * earlier than half its lifetime, so a buffer longer than the lifetime does not renew every call.
     */
    static Duration renewAfter(Duration lifetime, Duration refreshBuffer) {
        Duration half = lifetime.dividedBy(2);
        return lifetime.minus(refreshBuffer.compareTo(half) > 0 ? half : refreshBuffer);
    }
}
