package io.authstream.connect.auth0;

import java.net.URI;
import java.time.Duration;

/**
 * How to reach one tenant's Management API with a machine-to-machine application.
 *
 * @param domain the tenant's base URL, e.g. {@code https://dev-abc.eu.auth0.com}
 * @param audience the Management API identifier, normally {@code <domain>/api/v2/}
 * @param refreshBuffer a token is renewed this long before it expires
 * @param maxTries attempts per call, the first included
 * @param initialBackoff first wait after a 5xx or timeout; doubles, with full jitter, up to {@code maxBackoff}
 * @param requestTimeout one HTTP exchange
 */
public record Auth0ClientSettings(
        URI domain,
        String clientId,
        String clientSecret,
        String audience,
        Duration refreshBuffer,
        int maxTries,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration requestTimeout) {

    public Auth0ClientSettings {
        if (maxTries < 1) {
            throw new IllegalArgumentException("maxTries must be at least 1, got " + maxTries);
        }
    }

    /** The documented defaults: 300 s refresh buffer, 5 tries, 500 ms to 30 s backoff, 10 s per request. */
    public static Auth0ClientSettings of(URI domain, String clientId, String clientSecret) {
        String base = domain.toString().endsWith("/") ? domain.toString() : domain + "/";
        return new Auth0ClientSettings(URI.create(base), clientId, clientSecret, base + "api/v2/", Duration.ofSeconds(300), 5,
                Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(10));
    }

    /** Never prints the client secret. */
    @Override
    public String toString() {
        return "Auth0ClientSettings[domain=" + domain + ", clientId=" + clientId + ", clientSecret=[hidden], audience=" + audience
                + ", refreshBuffer=" + refreshBuffer + ", maxTries=" + maxTries + ", backoff=" + initialBackoff + ".." + maxBackoff
                + ", requestTimeout=" + requestTimeout + "]";
    }
}
