package io.authstream.connect.auth0;

import java.net.URI;
import java.time.Duration;

/**
 * How to reach one tenant's Management API with a machine-to-machine application.
 *
 * @param domain where tokens are requested and the Management API is called: the tenant's base URL,
 *     e.g. {@code https://dev-abc.eu.auth0.com}, or its custom domain (Auth0 honours a token only on
 *     the domain that issued it); https, or plain http on a loopback host
 * @param audience the Management API identifier the tokens are for: {@code https://<tenant domain>/api/v2/},
 *     also when {@code domain} is a custom domain
 * @param refreshBuffer a token is renewed this long before it expires (at most half its lifetime before)
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
        String problem = TenantUrl.problem(domain.toString()).orElse(null);
        if (problem != null) {
            throw new IllegalArgumentException("domain " + domain + " " + problem);
        }
        domain = TenantUrl.base(domain.toString());
        if (maxTries < 1) {
            throw new IllegalArgumentException("maxTries must be at least 1, got " + maxTries);
        }
    }

    /** The documented defaults: 300 s refresh buffer, 5 tries, 500 ms to 30 s backoff, 10 s per request. */
    public static Auth0ClientSettings of(URI domain, String clientId, String clientSecret) {
        URI base = TenantUrl.base(domain.toString());
        return new Auth0ClientSettings(
                base,
                clientId,
                clientSecret,
                base + "api/v2/",
                Duration.ofSeconds(300),
                5,
                Duration.ofMillis(500),
                Duration.ofSeconds(30),
                Duration.ofSeconds(10));
    }

    /** Never prints the client secret. */
    @Override
    public String toString() {
        return "Auth0ClientSettings[domain=" + domain + ", clientId=" + clientId + ", clientSecret=[hidden], audience="
                + audience
                + ", refreshBuffer=" + refreshBuffer + ", maxTries=" + maxTries + ", backoff=" + initialBackoff + ".."
                + maxBackoff
                + ", requestTimeout=" + requestTimeout + "]";
    }
}
