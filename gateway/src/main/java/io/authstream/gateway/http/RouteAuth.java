package io.authstream.gateway.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The credentials one ingest route accepts: any of a verbatim Authorization value, a bearer
 * token, basic-auth {@code user:password}, or a value in a named header (an API key, or an Auth0
 * webhook's custom header). Every configured
 * check runs on every request, each in constant time, so timing does not tell which one failed.
 */
public final class RouteAuth {

    /** A header and the value it must carry (the value is a secret: never in {@link #toString}). */
    public record Header(String name, String value) {
        @Override
        public String toString() {
            return name + ": <secret>";
        }
    }

    private final Optional<Credentials> authorizationVerbatim;
    private final Optional<Credentials> bearer;
    private final Optional<Credentials> basic;
    private final Optional<Credentials> apiKey;
    private final String apiKeyHeader;

    private RouteAuth(
            Optional<Credentials> authorizationVerbatim,
            Optional<Credentials> bearer,
            Optional<Credentials> basic,
            Optional<Credentials> apiKey,
            String apiKeyHeader) {
        this.authorizationVerbatim = authorizationVerbatim;
        this.bearer = bearer;
        this.basic = basic;
        this.apiKey = apiKey;
        this.apiKeyHeader = apiKeyHeader;
    }

    /**
     * An Auth0 webhook's: the verbatim Authorization value (Log Streams), bearer token, basic
     * auth (Event Streams), and/or a custom header (both); null for what is not used. Empty when
     * none is set.
     */
    public static Optional<RouteAuth> webhook(
            String authorization, String bearerToken, String basicUserInfo, Header custom) {
        return of(
                authorization,
                bearerToken,
                basicUserInfo,
                custom == null ? null : custom.name(),
                custom == null ? null : custom.value());
    }

    /** API key in {@code header} and/or basic auth; null for the one not used. Empty when neither is set. */
    public static Optional<RouteAuth> apiKeyOrBasic(String header, String apiKey, String basicUserInfo) {
        return of(null, null, basicUserInfo, header, apiKey);
    }

    private static Optional<RouteAuth> of(
            String verbatim, String bearer, String basic, String apiKeyHeader, String apiKey) {
        if (isBlank(verbatim) && isBlank(bearer) && isBlank(basic) && isBlank(apiKey)) {
            return Optional.empty();
        }
        if (!isBlank(basic) && !basic.contains(":")) {
            throw new IllegalArgumentException("basic-auth credentials must be user:password");
        }
        return Optional.of(new RouteAuth(
                credentials(verbatim), credentials(bearer), credentials(basic), credentials(apiKey), apiKeyHeader));
    }

    /** Whether the request carries one of the accepted credentials. */
    public boolean accepts(Context ctx) {
        String authorization = Optional.ofNullable(ctx.header("Authorization")).orElse("");
        List<Boolean> results = new ArrayList<>(4);
        authorizationVerbatim.ifPresent(c -> results.add(c.matches(authorization)));
        bearer.ifPresent(c -> results.add(authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                & c.matches(authorization.length() >= 7 ? authorization.substring(7) : "")));
        basic.ifPresent(c -> results.add(
                authorization.regionMatches(true, 0, "Basic ", 0, 6) & c.matches(decodeBasic(authorization))));
        apiKey.ifPresent(c -> results.add(c.matches(ctx.header(apiKeyHeader))));
        return results.contains(true);
    }

    /** What the route expects, for the 401 message (names the scheme, never a value). */
    public String describe() {
        List<String> accepted = new ArrayList<>();
        authorizationVerbatim.ifPresent(c -> accepted.add("the configured Authorization header"));
        bearer.ifPresent(c -> accepted.add("Authorization: Bearer <token>"));
        basic.ifPresent(c -> accepted.add("Authorization: Basic <user:password>"));
        apiKey.ifPresent(c -> accepted.add(apiKeyHeader + ": <the configured value>"));
        return String.join(" or ", accepted);
    }

    private static String decodeBasic(String authorization) {
        if (authorization.length() < 6) {
            return "";
        }
        try {
            return new String(
                    Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static Optional<Credentials> credentials(String value) {
        return isBlank(value) ? Optional.empty() : Optional.of(Credentials.of(value));
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
