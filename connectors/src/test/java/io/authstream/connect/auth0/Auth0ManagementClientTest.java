package io.authstream.connect.auth0;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.authstream.testrecords.TestSecrets;
import io.authstream.teststack.LogCapture;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Management API client against a WireMock Auth0 answering as Auth0 documents (token grant, 401, 429, 5xx, slow replies). */
class Auth0ManagementClientTest {

    @RegisterExtension
    static WireMockExtension auth0 = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private static final String SECRET = "s3cr3t-client-secret-value";
    private static final String TOKEN = "eyJ.token-one.sig";
    private static final String TOKEN_BODY = """
            {"access_token":"%s","scope":"read:logs create:users","expires_in":86400,"token_type":"Bearer"}""".formatted(TOKEN);

    private final List<Duration> waits = new ArrayList<>();
    private LogCapture logs;
    private Instant now = Instant.parse("2026-11-23T10:00:00Z");
    private Auth0ManagementClient client;

    @BeforeEach
    void start() {
        TestSecrets.register(SECRET);
        TestSecrets.register(TOKEN);
        logs = LogCapture.start();
        client = client(Duration.ofSeconds(2));
    }

    @AfterEach
    void noSecretInAnyLogLine() {
        logs.close();
        assertThat(logs.messages()).noneMatch(line -> line.contains(SECRET) || line.contains("eyJ.token"));
    }

    private Auth0ManagementClient client(Duration requestTimeout) {
        return client(requestTimeout, auth0.baseUrl() + "/api/v2/");
    }

    private Auth0ManagementClient client(Duration requestTimeout, String audience) {
        return client(requestTimeout, audience, Auth0ManagementClient.Observer.NONE);
    }

    private Auth0ManagementClient client(
            Duration requestTimeout, String audience, Auth0ManagementClient.Observer observer) {
        Auth0ClientSettings defaults = Auth0ClientSettings.of(URI.create(auth0.baseUrl()), "m2m-client", SECRET);
        Auth0ClientSettings settings = new Auth0ClientSettings(
                defaults.domain(),
                defaults.clientId(),
                defaults.clientSecret(),
                audience,
                defaults.refreshBuffer(),
                4,
                Duration.ofMillis(400),
                Duration.ofSeconds(30),
                requestTimeout);
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        return new Auth0ManagementClient(settings, HttpClient.newHttpClient(), clock, waits::add, () -> 0.5, observer);
    }

    private void tokenGrant() {
        auth0.stubFor(post("/oauth/token")
                .withRequestBody(equalToJson("""
                {"grant_type":"client_credentials","client_id":"m2m-client","client_secret":"%s","audience":"%s/api/v2/"}""".formatted(SECRET, auth0.baseUrl())))
                .willReturn(okJson(TOKEN_BODY)));
    }

    @Test
    void oneTokenServesManyCallsUntilTheRefreshBufferBeforeItsExpiry() {
        tokenGrant();
        auth0.stubFor(get("/api/v2/logs?take=100")
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(okJson("[]")));
        for (int i = 0; i < 3; i++) {
            assertThat(client.get("logs?take=100").status()).isEqualTo(200);
        }
        auth0.verify(1, postRequestedFor(urlEqualTo("/oauth/token")));

        now = now.plusSeconds(86_400 - 301);
        client.get("logs?take=100");
        auth0.verify(1, postRequestedFor(urlEqualTo("/oauth/token")));
        now = now.plusSeconds(2); // within the 300 s buffer
        client.get("logs?take=100");
        auth0.verify(2, postRequestedFor(urlEqualTo("/oauth/token")));
    }

    private void tokenGrant(String expiresIn) {
        auth0.stubFor(post("/oauth/token")
                .willReturn(okJson(
                        "{\"access_token\":\"" + TOKEN + "\",\"scope\":\"read:logs\"," + "\"token_type\":\"Bearer\""
                                + (expiresIn == null ? "" : ",\"expires_in\":" + expiresIn) + "}")));
        auth0.stubFor(get("/api/v2/logs").willReturn(okJson("[]")));
    }

    private void callsAtOnce(int calls) {
        for (int i = 0; i < calls; i++) {
            assertThat(client.get("logs").status()).isEqualTo(200);
        }
    }

    @Test
    void aLifetimeShorterThanTheRefreshBufferIsRenewedAtHalfItsLifetimeNotOnEveryCall() {
        tokenGrant("120"); // the 300 s buffer is longer than the token lives
        callsAtOnce(3);
        auth0.verify(1, postRequestedFor(urlEqualTo("/oauth/token")));
        now = now.plusSeconds(59);
        callsAtOnce(2);
        auth0.verify(1, postRequestedFor(urlEqualTo("/oauth/token")));
        now = now.plusSeconds(2);
        callsAtOnce(2);
        auth0.verify(2, postRequestedFor(urlEqualTo("/oauth/token")));
    }

    @Test
    void aLifetimeOfZeroOrLessIsTakenAsOneSecond() {
        tokenGrant("0");
        callsAtOnce(3);
        auth0.verify(1, postRequestedFor(urlEqualTo("/oauth/token")));
        now = now.plusSeconds(1);
        callsAtOnce(1);
        auth0.verify(2, postRequestedFor(urlEqualTo("/oauth/token")));
        tokenGrant("-86400");
        now = now.plusSeconds(1);
        callsAtOnce(3);
        auth0.verify(3, postRequestedFor(urlEqualTo("/oauth/token")));
    }

    @Test
    void aLifetimeBeyondADayIsTakenAsADay() {
        tokenGrant(Long.toString(Long.MAX_VALUE)); // now + that many seconds is past any Instant
        callsAtOnce(2);
        now = now.plus(Duration.ofHours(24)).minusSeconds(301);
        callsAtOnce(1);
        auth0.verify(1, postRequestedFor(urlEqualTo("/oauth/token")));
        now = now.plusSeconds(2);
        callsAtOnce(1);
        auth0.verify(2, postRequestedFor(urlEqualTo("/oauth/token")));
        tokenGrant("1e30");
        now = now.plus(Duration.ofHours(24));
        callsAtOnce(2);
        auth0.verify(3, postRequestedFor(urlEqualTo("/oauth/token")));
    }

    @Test
    void aTokenWithoutANumericExpiresInIsKeptOnlyBriefly() {
        tokenGrant(null);
        callsAtOnce(3);
        now = now.plusSeconds(29);
        callsAtOnce(1);
        auth0.verify(1, postRequestedFor(urlEqualTo("/oauth/token")));
        now = now.plusSeconds(2); // half of the 60 s assumed
        callsAtOnce(1);
        auth0.verify(2, postRequestedFor(urlEqualTo("/oauth/token")));
        tokenGrant("\"3600\"");
        now = now.plusSeconds(31);
        callsAtOnce(1);
        auth0.verify(3, postRequestedFor(urlEqualTo("/oauth/token")));
        assertThat(logs.messages())
                .anyMatch(line -> line.contains("came without a numeric expires_in; assumed valid for 60 s"));
    }

    @Test
    void theTokenGoesOnlyToTheDomainWhateverHostTheAudienceNames() {
        // As with a custom domain: tokens are requested and used there, for the API of the tenant's own domain.
        client = client(Duration.ofSeconds(2), "https://tenant.invalid/api/v2/");
        auth0.stubFor(post("/oauth/token")
                .withRequestBody(equalToJson(
                        "{\"grant_type\":\"client_credentials\"," + "\"client_id\":\"m2m-client\",\"client_secret\":\""
                                + SECRET + "\",\"audience\":\"https://tenant.invalid/api/v2/\"}"))
                .willReturn(okJson(TOKEN_BODY)));
        auth0.stubFor(get("/api/v2/logs")
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(okJson("[]")));
        assertThat(client.get("logs").status()).isEqualTo(200);
        auth0.verify(1, postRequestedFor(urlEqualTo("/oauth/token")));
        auth0.verify(1, getRequestedFor(urlEqualTo("/api/v2/logs")));
        assertThat(waits).isEmpty();
    }

    @Test
    void aPlainHttpDomainIsRefusedUnlessItIsLoopbackSoNoTokenIsEverRequestedOverIt() {
        for (String domain : List.of(
                "http://dev-abc.eu.auth0.com",
                "http://127.0.0.1.attacker.example",
                "ftp://localhost",
                "http://10.0.0.1:8080",
                "https://dev-abc.eu.auth0.com/api/v2",
                "https://user@dev-abc.eu.auth0.com")) {
            assertThatThrownBy(() -> Auth0ClientSettings.of(URI.create(domain), "m2m-client", SECRET))
                    .as(domain)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("domain " + domain)
                    .hasMessageContaining(" must be ")
                    .hasMessageNotContaining(SECRET);
        }
        for (String domain : List.of(
                "https://dev-abc.eu.auth0.com",
                "http://localhost:8080",
                "http://127.0.0.1:8080/",
                "http://[::1]:8080")) {
            assertThat(Auth0ClientSettings.of(URI.create(domain), "m2m-client", SECRET)
                            .domain()
                            .toString())
                    .as(domain)
                    .endsWith("/");
        }
        auth0.verify(0, postRequestedFor(urlEqualTo("/oauth/token")));
    }

    @Test
    void a401RenewsTheTokenOnceAndRetries() {
        tokenGrant();
        auth0.stubFor(get("/api/v2/users/u1")
                .inScenario("revoked")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(
                        aResponse()
                                .withStatus(401)
                                .withHeader("Content-Type", "application/json")
                                .withBody(
                                        "{\"statusCode\":401,\"error\":\"Unauthorized\",\"message\":\"Invalid token\",\"attributes\":{\"error\":\"Invalid token\"}}"))
                .willSetStateTo("renewed"));
        auth0.stubFor(get("/api/v2/users/u1")
                .inScenario("revoked")
                .whenScenarioStateIs("renewed")
                .willReturn(okJson("{\"user_id\":\"u1\"}")));
        assertThat(client.get("users/u1").body().get("user_id").asText()).isEqualTo("u1");
        auth0.verify(2, postRequestedFor(urlEqualTo("/oauth/token")));
        assertThat(waits).isEmpty();
    }

    @Test
    void a401ThatPersistsAfterRenewalGoesBackToTheCaller() {
        tokenGrant();
        auth0.stubFor(get("/api/v2/users/u2")
                .willReturn(aResponse().withStatus(401).withBody("{\"statusCode\":401,\"error\":\"Unauthorized\"}")));
        assertThat(client.get("users/u2").status()).isEqualTo(401);
        auth0.verify(2, getRequestedFor(urlEqualTo("/api/v2/users/u2")));
    }

    @Test
    void a429WaitsUntilTheRateLimitResets() {
        tokenGrant();
        long reset = now.getEpochSecond() + 7;
        auth0.stubFor(get("/api/v2/logs")
                .inScenario("limited")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(
                        aResponse()
                                .withStatus(429)
                                .withHeader("x-ratelimit-limit", "10")
                                .withHeader("x-ratelimit-remaining", "0")
                                .withHeader("x-ratelimit-reset", Long.toString(reset))
                                .withHeader("Content-Type", "application/json")
                                .withBody(
                                        "{\"statusCode\":429,\"error\":\"Too Many Requests\",\"message\":\"Global limit has been reached\",\"errorCode\":\"too_many_requests\"}"))
                .willSetStateTo("reset"));
        auth0.stubFor(get("/api/v2/logs")
                .inScenario("limited")
                .whenScenarioStateIs("reset")
                .willReturn(okJson("[]")));
        assertThat(client.get("logs").status()).isEqualTo(200);
        assertThat(waits).containsExactly(Duration.ofSeconds(7));
        assertThat(logs.messages())
                .anyMatch(line -> line.contains("429 too_many_requests (Global limit has been reached)"));
    }

    @Test
    void a429WithRetryAfterWaitsThatLong() {
        tokenGrant();
        auth0.stubFor(get("/api/v2/logs")
                .inScenario("retry-after")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3"))
                .willSetStateTo("ok"));
        auth0.stubFor(get("/api/v2/logs")
                .inScenario("retry-after")
                .whenScenarioStateIs("ok")
                .willReturn(okJson("[]")));
        client.get("logs");
        assertThat(waits).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void serverErrorsAreRetriedWithGrowingJitteredBackoffThenReported() {
        tokenGrant();
        auth0.stubFor(
                get("/api/v2/logs")
                        .willReturn(
                                aResponse()
                                        .withStatus(503)
                                        .withHeader("Content-Type", "application/json")
                                        .withBody(
                                                "{\"statusCode\":503,\"error\":\"Service Unavailable\",\"message\":\"The service is unavailable\"}")));
        assertThatThrownBy(() -> client.get("logs"))
                .isInstanceOf(Auth0Exception.class)
                .hasMessage(
                        "Auth0 GET logs failed after 4 attempts: HTTP 503 Service Unavailable (The service is unavailable)")
                .satisfies(e -> assertThat(((Auth0Exception) e).retriable()).isTrue());
        // Full jitter at 0.5: half of 400, 800, 1600 ms.
        assertThat(waits).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800));
        auth0.verify(4, getRequestedFor(urlEqualTo("/api/v2/logs")));
    }

    @Test
    void aSlowReplyCountsAsAFailedAttempt() {
        // A timeout well above a loaded machine's slowest fast reply (300 ms, then 1 s once saw a fast
        // reply time out too, with a full build running beside it), well below the delay.
        client = client(Duration.ofMillis(2_500));
        tokenGrant();
        auth0.stubFor(get("/api/v2/logs")
                .inScenario("slow")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("[]").withFixedDelay(8_000))
                .willSetStateTo("fast"));
        auth0.stubFor(get("/api/v2/logs")
                .inScenario("slow")
                .whenScenarioStateIs("fast")
                .willReturn(okJson("[{\"log_id\":\"1\"}]")));
        assertThat(client.get("logs").body().size()).isEqualTo(1);
        assertThat(waits).hasSize(1);
    }

    @Test
    void otherClientErrorsGoBackToTheCallerUntouched() {
        tokenGrant();
        auth0.stubFor(
                post("/api/v2/users")
                        .willReturn(
                                aResponse()
                                        .withStatus(409)
                                        .withHeader("Content-Type", "application/json")
                                        .withBody(
                                                "{\"statusCode\":409,\"error\":\"Conflict\",\"message\":\"The user already exists.\",\"errorCode\":\"auth0_idp_error\"}")));
        Auth0ManagementClient.Response answer = client.post(
                "users",
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .createObjectNode()
                        .put("email", "jane@example.com"));
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.body().get("message").asText()).isEqualTo("The user already exists.");
        assertThat(waits).isEmpty();
    }

    @Test
    void refusedCredentialsFailAtOnceWithoutTheSecret() {
        auth0.stubFor(post("/oauth/token")
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"access_denied\",\"error_description\":\"Unauthorized\"}")));
        assertThatThrownBy(() -> client.get("logs"))
                .isInstanceOf(Auth0Exception.class)
                .hasMessage("Auth0 refused the client credentials of client m2m-client for " + auth0.baseUrl()
                        + "/api/v2/: HTTP 401 access_denied (Unauthorized)")
                .hasMessageNotContaining(SECRET)
                .satisfies(e -> assertThat(((Auth0Exception) e).retriable()).isFalse());
        auth0.verify(1, postRequestedFor(urlEqualTo("/oauth/token")));
        assertThat(Auth0ClientSettings.of(URI.create(auth0.baseUrl()), "m2m-client", SECRET)
                        .toString())
                .doesNotContain(SECRET);
    }

    @Test
    void theObserverSeesEachTokenRequestThatEndedWithoutAToken() {
        List<String> seen = new ArrayList<>();
        Auth0ManagementClient observed =
                client(Duration.ofSeconds(2), auth0.baseUrl() + "/api/v2/", new Auth0ManagementClient.Observer() {
                    @Override
                    public void tokenObtained() {
                        seen.add("obtained");
                    }

                    @Override
                    public void tokenFailed(int status) {
                        seen.add("failed " + status);
                    }
                });
        auth0.stubFor(post("/oauth/token")
                .willReturn(aResponse()
                        .withStatus(403)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"access_denied\",\"error_description\":\"Unauthorized\"}")));
        assertThatThrownBy(() -> observed.get("logs")).isInstanceOf(Auth0Exception.class);
        auth0.stubFor(post("/oauth/token").willReturn(aResponse().withStatus(503)));
        assertThatThrownBy(() -> observed.get("logs")).isInstanceOf(Auth0Exception.class);
        tokenGrant();
        auth0.stubFor(get(urlEqualTo("/api/v2/logs")).willReturn(okJson("[]")));
        observed.get("logs");
        // One refusal, one grant that failed on every attempt (4), then a token.
        assertThat(seen).containsExactly("failed 403", "failed 503", "obtained");
    }
}
