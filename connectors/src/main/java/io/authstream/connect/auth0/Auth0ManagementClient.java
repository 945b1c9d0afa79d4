package io.authstream.connect.auth0;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tenant's Auth0 Management API, as the connectors use it.
 *
 * <p>Tokens come from the client-credentials grant ({@code POST /oauth/token}), are cached in
 * memory, renewed {@code refreshBuffer} before they expire (or at half their lifetime, when that
 * is shorter; {@code expires_in} is clamped, see {@link TokenLifetime}) and once more when the
 * API answers 401 (a revoked or rotated token). Tokens are requested and the API is called on
 * {@code domain} only: the audience names the API, it is not where the token is sent.
 *
 * <p>Rate limits (429) are waited out as the answer says —
 * {@code x-ratelimit-reset} (epoch seconds), else {@code Retry-After} (seconds) — and 5xx answers,
 * timeouts and broken connections are retried with exponential backoff and full jitter, at most
 * {@code maxTries} attempts. Other answers (2xx, 400, 403, 404, 409, ...) go back to the caller.
 * Neither the client secret nor a token is ever logged or put in an exception.
 */
public final class Auth0ManagementClient {

    /** An answer of the Management API; {@code body} is JSON ({@code null} when empty); {@code attempts} HTTP calls made for it. */
    public record Response(int status, JsonNode body, HttpHeaders headers, int attempts) {}

    /** Waits between attempts; tests record instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /**
     * Sees every Management API call: {@link #beforeCall} runs before each HTTP attempt on
     * {@code /api/v2} (where a client-side rate limiter waits), {@link #failed} for each answer
     * that is not 2xx (the status, or 0 when none came), {@link #tokenObtained} for each new token,
     * {@link #tokenFailed} for each token request that ended without one (the last status, 0 for none).
     */
    public interface Observer {
        Observer NONE = new Observer() {};

        default void beforeCall() {}

        default void failed(int status) {}

        default void tokenObtained() {}

        default void tokenFailed(int status) {}
    }

    private static final Logger LOG = LoggerFactory.getLogger(Auth0ManagementClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A reset header further away than this is treated as wrong, not as a reason to stall for hours. */
    private static final Duration LONGEST_RATE_LIMIT_WAIT = Duration.ofMinutes(15);

    private final Auth0ClientSettings settings;
    private final HttpClient http;
    private final Clock clock;
    private final Sleeper sleeper;
    private final DoubleSupplier random;
    private final Observer observer;
    private String token;
    private Instant tokenRenewAt = Instant.MIN;

    public Auth0ManagementClient(Auth0ClientSettings settings) {
        this(settings, Observer.NONE);
    }

    public Auth0ManagementClient(Auth0ClientSettings settings, Observer observer) {
        this(
                settings,
                HttpClient.newBuilder()
                        .connectTimeout(settings.requestTimeout())
                        .build(),
                Clock.systemUTC(),
                duration -> Thread.sleep(duration.toMillis()),
                () -> ThreadLocalRandom.current().nextDouble(),
                observer);
    }

    public Auth0ManagementClient(
            Auth0ClientSettings settings, HttpClient http, Clock clock, Sleeper sleeper, DoubleSupplier random) {
        this(settings, http, clock, sleeper, random, Observer.NONE);
    }

    public Auth0ManagementClient(
            Auth0ClientSettings settings,
            HttpClient http,
            Clock clock,
            Sleeper sleeper,
            DoubleSupplier random,
            Observer observer) {
        this.observer = observer;
        this.settings = settings;
        this.http = http;
        this.clock = clock;
        this.sleeper = sleeper;
        this.random = random;
    }

    /** {@code GET /api/v2/<pathAndQuery>}, e.g. {@code logs?from=900...&take=100}. */
    public Response get(String pathAndQuery) {
        return call("GET", pathAndQuery, null);
    }

    /** {@code POST /api/v2/<path>} with a JSON body. */
    public Response post(String path, JsonNode body) {
        return call("POST", path, body);
    }

    /** {@code PATCH /api/v2/<path>} with a JSON body. */
    public Response patch(String path, JsonNode body) {
        return call("PATCH", path, body);
    }

    /** {@code DELETE /api/v2/<path>}. */
    public Response delete(String path) {
        return call("DELETE", path, null);
    }

    private Response call(String method, String path, JsonNode body) {
        URI uri = URI.create(settings.domain() + "api/v2/" + path);
        boolean renewedAfter401 = false;
        int calls = 0;
        Failure last = null;
        for (int attempt = 1; attempt <= settings.maxTries(); attempt++) {
            String bearer = token();
            observer.beforeCall();
            calls++;
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .timeout(settings.requestTimeout())
                    .header("Authorization", "Bearer " + bearer)
                    .header("Accept", "application/json");
            request = body == null
                    ? request.method(method, HttpRequest.BodyPublishers.noBody())
                    : request.header("Content-Type", "application/json")
                            .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
            Optional<Response> answer = exchange(request.build());
            int status = answer.map(Response::status).orElse(0);
            if (status / 100 != 2) {
                observer.failed(status);
            }
            if (answer.isEmpty()) {
                last = new Failure(
                        0, "no answer within " + settings.requestTimeout().toMillis() + " ms or connection failed");
            } else {
                Response response = answer.get();
                if (response.status() == 401 && !renewedAfter401) {
                    // The token was revoked or the signing key rotated: one fresh token, then a real retry.
                    LOG.info("Auth0 {} {} answered 401; renewing the token", method, path);
                    invalidateToken(bearer);
                    renewedAfter401 = true;
                    attempt--;
                    continue;
                }
                if (response.status() != 429 && response.status() < 500) {
                    return new Response(response.status(), response.body(), response.headers(), calls);
                }
                last = new Failure(response.status(), describe(response));
                if (attempt < settings.maxTries()) {
                    Duration wait =
                            response.status() == 429 ? rateLimitWait(response.headers(), attempt) : backoff(attempt);
                    LOG.warn(
                            "Auth0 {} {} answered {}; attempt {}/{}, next in {} ms",
                            method,
                            path,
                            last.describe(),
                            attempt,
                            settings.maxTries(),
                            wait.toMillis());
                    pause(wait);
                }
                continue;
            }
            if (attempt < settings.maxTries()) {
                Duration wait = backoff(attempt);
                LOG.warn(
                        "Auth0 {} {}: {}; attempt {}/{}, next in {} ms",
                        method,
                        path,
                        last.describe(),
                        attempt,
                        settings.maxTries(),
                        wait.toMillis());
                pause(wait);
            }
        }
        throw new Auth0Exception(
                "Auth0 " + method + " " + path + " failed after " + settings.maxTries() + " attempts: "
                        + last.describe(),
                last.status(),
                true,
                null);
    }

    /** The cached token, renewed when it is within the refresh buffer of its expiry. */
    synchronized String token() {
        if (token != null && clock.instant().isBefore(tokenRenewAt)) {
            return token;
        }
        ObjectNode grant = JSON.createObjectNode()
                .put("grant_type", "client_credentials")
                .put("client_id", settings.clientId())
                .put("client_secret", settings.clientSecret())
                .put("audience", settings.audience());
        HttpRequest request = HttpRequest.newBuilder(settings.domain().resolve("oauth/token"))
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(grant.toString()))
                .build();
        Failure last = null;
        for (int attempt = 1; attempt <= settings.maxTries(); attempt++) {
            Optional<Response> answer = exchange(request);
            if (answer.isPresent() && answer.get().status() == 200) {
                JsonNode body = answer.get().body();
                if (body == null || !body.hasNonNull("access_token")) {
                    observer.tokenFailed(200);
                    throw new Auth0Exception(
                            "Auth0 /oauth/token answered 200 without an access_token", 200, false, null);
                }
                Instant now = clock.instant();
                token = body.get("access_token").asText();
                observer.tokenObtained();
                JsonNode expiresIn = body.get("expires_in");
                Duration lifetime = TokenLifetime.of(expiresIn);
                tokenRenewAt = now.plus(TokenLifetime.renewAfter(lifetime, settings.refreshBuffer()));
                if (expiresIn == null || !expiresIn.isNumber()) {
                    LOG.warn(
                            "Auth0 token for client {} came without a numeric expires_in; assumed valid for {} s",
                            settings.clientId(),
                            lifetime.toSeconds());
                }
                LOG.info(
                        "Auth0 token for client {} obtained, valid until {}, renewed from {}",
                        settings.clientId(),
                        now.plus(lifetime),
                        tokenRenewAt);
                return token;
            }
            if (answer.isPresent()
                    && answer.get().status() != 429
                    && answer.get().status() < 500) {
                Response refused = answer.get();
                observer.tokenFailed(refused.status());
                throw new Auth0Exception(
                        "Auth0 refused the client credentials of client " + settings.clientId() + " for "
                                + settings.audience() + ": " + describe(refused),
                        refused.status(),
                        false,
                        null);
            }
            last = answer.map(r -> new Failure(r.status(), describe(r)))
                    .orElse(new Failure(
                            0,
                            "no answer within " + settings.requestTimeout().toMillis() + " ms or connection failed"));
            if (attempt < settings.maxTries()) {
                Duration wait = answer.filter(r -> r.status() == 429)
                        .map(r -> rateLimitWait(r.headers(), 1))
                        .orElseGet(() -> backoff(1));
                LOG.warn(
                        "Auth0 /oauth/token: {}; attempt {}/{}, next in {} ms",
                        last.describe(),
                        attempt,
                        settings.maxTries(),
                        wait.toMillis());
                pause(wait);
            }
        }
        observer.tokenFailed(last.status());
        throw new Auth0Exception(
                "Auth0 /oauth/token failed after " + settings.maxTries() + " attempts: " + last.describe(),
                last.status(),
                true,
                null);
    }

    private synchronized void invalidateToken(String rejected) {
        if (rejected.equals(token)) {
            token = null;
        }
    }

    private Optional<Response> exchange(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = null;
            if (response.body() != null && !response.body().isBlank()) {
                try {
                    body = JSON.readTree(response.body());
                } catch (IOException notJson) {
                    body = JSON.getNodeFactory()
                            .textNode(
                                    response.body().length() > 200
                                            ? response.body().substring(0, 200) + "..."
                                            : response.body());
                }
            }
            return Optional.of(new Response(response.statusCode(), body, response.headers(), 1));
        } catch (IOException e) {
            // Timeouts (HttpTimeoutException), refused and reset connections: transient.
            LOG.debug("Auth0 {} {}: {}", request.method(), request.uri().getPath(), e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Auth0Exception("interrupted while calling Auth0", 0, true, e);
        }
    }

    /** Until the rate-limit bucket refills: x-ratelimit-reset (epoch seconds), else Retry-After, else backoff. */
    Duration rateLimitWait(HttpHeaders headers, int attempt) {
        Optional<Duration> wait = headers.firstValue("x-ratelimit-reset")
                .flatMap(Auth0ManagementClient::number)
                .map(reset -> Duration.ofMillis(Math.max(0, reset * 1000 - clock.millis())))
                .or(() -> headers.firstValue("retry-after")
                        .flatMap(Auth0ManagementClient::number)
                        .map(Duration::ofSeconds));
        return wait.map(w -> w.compareTo(LONGEST_RATE_LIMIT_WAIT) > 0 ? LONGEST_RATE_LIMIT_WAIT : w)
                .orElseGet(() -> backoff(attempt));
    }

    /** Exponential backoff with full jitter: uniform in [0, min(max, initial × 2^(attempt-1))]. */
    Duration backoff(int attempt) {
        long ceiling = Math.min(
                settings.maxBackoff().toMillis(), settings.initialBackoff().toMillis() << Math.min(attempt - 1, 30));
        return Duration.ofMillis((long) (random.getAsDouble() * ceiling));
    }

    private void pause(Duration wait) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Auth0Exception("interrupted while waiting to retry an Auth0 call", 0, true, e);
        }
    }

    private static Optional<Long> number(String value) {
        try {
            return Optional.of(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Auth0's error in a few words: {@code errorCode}/{@code error} and {@code message}/{@code error_description}. */
    private static String describe(Response response) {
        JsonNode body = response.body();
        if (body == null) {
            return "HTTP " + response.status();
        }
        if (!body.isObject()) {
            return "HTTP " + response.status() + " " + body.asText();
        }
        String code = body.hasNonNull("errorCode")
                ? body.get("errorCode").asText()
                : body.path("error").asText("");
        String message = body.hasNonNull("message")
                ? body.get("message").asText()
                : body.path("error_description").asText("");
        return "HTTP " + response.status() + (code.isEmpty() ? "" : " " + code)
                + (message.isEmpty() ? "" : " (" + message + ")");
    }

    private record Failure(int status, String describe) {}
}
