package io.authstream.opscli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.serde.AvroSerializer;
import io.authstream.schemas.testing.SampleEvents;
import io.authstream.testrecords.TestSecrets;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code auth0 connect|status|disconnect} against a WireMock Management API answering as Auth0
 * documents it (token grant, 201 with the stream, 400 payload validation, 401, 429 with
 * Retry-After or x-ratelimit-reset, 404), and, for the last events, the real broker and registry.
 */
@ExtendWith(StackExtension.class)
class Auth0CommandsIT {

    @RegisterExtension
    static WireMockExtension auth0 = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "m2m-secret-" + UUID.randomUUID();
    private static final String TOKEN = "eyJ.mgmt-token.sig";

    private final TestStack stack;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    Auth0CommandsIT(TestStack stack) {
        this.stack = stack;
    }

    @BeforeEach
    void tokenGrant() {
        TestSecrets.register(SECRET);
        TestSecrets.register(TOKEN);
        auth0.stubFor(post("/oauth/token")
                .withRequestBody(equalToJson("""
                        {"grant_type":"client_credentials","client_id":"m2m-client","client_secret":"%s",
                         "audience":"%s/api/v2/"}""".formatted(SECRET, auth0.baseUrl())))
                .willReturn(okJson("""
                        {"access_token":"%s","scope":"create:log_streams read:log_streams","expires_in":86400,
                         "token_type":"Bearer"}""".formatted(TOKEN))));
    }

    @AfterAll
    static void emptyTheRawTopic(TestStack stack) throws Exception {
        RawTopic.empty(stack);
    }

    private int run(String... args) {
        return run(
                Map.of("AUTH0_DOMAIN", auth0.baseUrl(), "AUTH0_CLIENT_ID", "m2m-client", "AUTH0_CLIENT_SECRET", SECRET),
                args);
    }

    private int run(Map<String, String> env, String... args) {
        int status = AuthstreamCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), env, args);
        assertThat(out + err.toString()).doesNotContain(SECRET).doesNotContain(TOKEN);
        return status;
    }

    private static JsonNode body(LoggedRequest request) throws Exception {
        return JSON.readTree(request.getBodyAsString());
    }

    private static String created(String id, String type) {
        return """
                {"id":"%s","name":"authstream-gateway","type":"%s","status":"active","sink":{}}""".formatted(id, type);
    }

    @Test
    void aLogStreamIsCreatedWithAFreshBearerCredentialPrintedOnceAsTheGatewaySetting() throws Exception {
        auth0.stubFor(post("/api/v2/log-streams")
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody(created("lst_0000000000012345", "http"))));

        int status = run(
                "auth0",
                "connect",
                "--gateway-url",
                "https://gw.example.com/",
                "--kind",
                "log-stream",
                "--format",
                "JSONARRAY");

        assertThat(status).as(err.toString()).isZero();
        List<LoggedRequest> posts = auth0.findAll(postRequestedFor(urlEqualTo("/api/v2/log-streams")));
        assertThat(posts).hasSize(1);
        JsonNode sent = body(posts.get(0));
        assertThat(sent.path("type").asText()).isEqualTo("http");
        assertThat(sent.path("name").asText()).isEqualTo("authstream-gateway");
        JsonNode sink = sent.path("sink");
        assertThat(sink.path("httpEndpoint").asText()).isEqualTo("https://gw.example.com/webhooks/auth0/log-stream");
        assertThat(sink.path("httpContentFormat").asText()).isEqualTo("JSONARRAY");
        assertThat(sink.path("httpContentType").asText()).isEqualTo("application/json");
        String authorization = sink.path("httpAuthorization").asText();
        assertThat(authorization).matches("Bearer [0-9a-f]{64}");
        assertThat(out.toString())
                .contains("created log-stream lst_0000000000012345")
                .contains("AUTH0_LOG_STREAM_AUTHORIZATION='" + authorization + "'");
        assertThat(out.toString().split(Pattern.quote(authorization), -1)).hasSize(2);

        // A second connect makes another credential.
        out.getBuffer().setLength(0);
        assertThat(run("auth0", "connect", "--gateway-url", "https://gw.example.com", "--kind", "log-stream"))
                .isZero();
        String second = body(auth0.findAll(postRequestedFor(urlEqualTo("/api/v2/log-streams")))
                        .get(1))
                .path("sink")
                .path("httpAuthorization")
                .asText();
        assertThat(second).isNotEqualTo(authorization).matches("Bearer [0-9a-f]{64}");
    }

    @Test
    void anEventStreamWithBasicAuthorizationAndItsSubscriptions() throws Exception {
        auth0.stubFor(post("/api/v2/event-streams")
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody("""
                                {"id":"est_4711","name":"authstream-gateway","status":"enabled",
                                 "subscriptions":[{"event_type":"user.created"},{"event_type":"user.deleted"}],
                                 "destination":{"type":"webhook","configuration":{"webhook_endpoint":
                                 "https://gw.example.com/webhooks/auth0/event-stream",
                                 "webhook_authorization":{"method":"basic","username":"authstream"}}},
                                 "created_at":"2026-12-03T10:00:00Z","updated_at":"2026-12-03T10:00:00Z"}""")));

        int status = run(
                "auth0",
                "connect",
                "--gateway-url",
                "https://gw.example.com",
                "--kind",
                "event-stream",
                "--authorization",
                "basic",
                "--subscriptions",
                "user.created,user.deleted");

        assertThat(status).as(err.toString()).isZero();
        JsonNode sent = body(auth0.findAll(postRequestedFor(urlEqualTo("/api/v2/event-streams")))
                .get(0));
        assertThat(sent.path("subscriptions").toString())
                .isEqualTo("[{\"event_type\":\"user.created\"},{\"event_type\":\"user.deleted\"}]");
        assertThat(sent.path("destination").path("type").asText()).isEqualTo("webhook");
        JsonNode configuration = sent.path("destination").path("configuration");
        assertThat(configuration.path("webhook_endpoint").asText())
                .isEqualTo("https://gw.example.com/webhooks/auth0/event-stream");
        JsonNode authorization = configuration.path("webhook_authorization");
        assertThat(authorization.path("method").asText()).isEqualTo("basic");
        String password = authorization.path("password").asText();
        assertThat(password).matches("[0-9a-f]{64}");
        assertThat(out.toString())
                .contains("created event-stream est_4711")
                .contains("AUTH0_EVENT_STREAM_BASIC_AUTH='"
                        + authorization.path("username").asText() + ":" + password + "'");
    }

    @Test
    void aBearerEventStreamPrintsTheGatewaysBearerSettingAndAStatusOtherThanActiveIsPatched() throws Exception {
        auth0.stubFor(post("/api/v2/event-streams")
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"est_99\",\"status\":\"enabled\"}")));
        auth0.stubFor(patch(urlEqualTo("/api/v2/event-streams/est_99"))
                .withRequestBody(equalToJson("{\"status\":\"disabled\"}"))
                .willReturn(okJson("{\"id\":\"est_99\",\"status\":\"disabled\"}")));

        int status = run(
                "auth0",
                "connect",
                "--gateway-url",
                "https://gw.example.com",
                "--kind",
                "event-stream",
                "--status",
                "disabled");

        assertThat(status).as(err.toString()).isZero();
        JsonNode sent = body(auth0.findAll(postRequestedFor(urlEqualTo("/api/v2/event-streams")))
                .get(0));
        JsonNode authorization = sent.path("destination").path("configuration").path("webhook_authorization");
        assertThat(authorization.path("method").asText()).isEqualTo("bearer");
        assertThat(sent.path("subscriptions").size()).isEqualTo(3);
        assertThat(out.toString())
                .contains("status disabled")
                .contains("AUTH0_EVENT_STREAM_BEARER_TOKEN='"
                        + authorization.path("token").asText() + "'");
        auth0.verify(1, patchRequestedFor(urlEqualTo("/api/v2/event-streams/est_99")));
    }

    @Test
    void anEventBridgeDestinationTakesAnAccountIdAndARegion() throws Exception {
        auth0.stubFor(post("/api/v2/event-streams")
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"est_eb\",\"status\":\"enabled\"}")));

        int status = run(
                "auth0",
                "connect",
                "--kind",
                "event-stream",
                "--destination",
                "eventbridge",
                "--aws-account-id",
                "242849305777",
                "--aws-region",
                "eu-central-1");

        assertThat(status).as(err.toString()).isZero();
        JsonNode sent = body(auth0.findAll(postRequestedFor(urlEqualTo("/api/v2/event-streams")))
                .get(0));
        assertThat(sent.path("destination").toString())
                .isEqualTo("{\"type\":\"eventbridge\",\"configuration\":{\"aws_account_id\":\"242849305777\","
                        + "\"aws_region\":\"eu-central-1\"}}");
        assertThat(out.toString()).contains("est_eb").doesNotContain("AUTH0_EVENT_STREAM");
    }

    @Test
    void invalidOptionsAreRefusedBeforeAnyCall() {
        assertThat(run("auth0", "connect", "--gateway-url", "http://gw.example.com", "--kind", "log-stream"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--gateway-url must be an https:// URL");
        assertThat(run(
                        "auth0",
                        "connect",
                        "--gateway-url",
                        "https://gw.example.com",
                        "--kind",
                        "event-stream",
                        "--subscriptions",
                        ""))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--subscriptions needs at least one event type");
        assertThat(run(
                        "auth0",
                        "connect",
                        "--gateway-url",
                        "https://gw.example.com",
                        "--kind",
                        "log-stream",
                        "--authorization",
                        "digest",
                        "--format",
                        "XML",
                        "--status",
                        "paused"))
                .isEqualTo(2);
        assertThat(err.toString())
                .contains("--authorization must be bearer or basic")
                .contains("--format must be one of")
                .contains("--status must be one of [active, suspended, disabled]");
        assertThat(run(
                        "auth0",
                        "connect",
                        "--kind",
                        "event-stream",
                        "--destination",
                        "eventbridge",
                        "--aws-account-id",
                        "12345",
                        "--aws-region",
                        "nowhere"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("12-digit AWS account id").contains("AWS region");
        assertThat(run(Map.of(), "auth0", "status", "--no-kafka")).isEqualTo(1);
        assertThat(err.toString()).contains("set AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET");
        auth0.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aPayloadValidationErrorOfAuth0IsShownWithoutTheCredential() {
        auth0.stubFor(post("/api/v2/log-streams")
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("""
                                {"statusCode":400,"error":"Bad Request","message":"Payload validation error: \
                                'String is too long (2100 chars), maximum 2000' on property sink.httpEndpoint.",\
                                "errorCode":"invalid_body"}""")));

        int status = run("auth0", "connect", "--gateway-url", "https://gw.example.com", "--kind", "log-stream");

        assertThat(status).isEqualTo(1);
        assertThat(err.toString())
                .contains("HTTP 400 invalid_body (Payload validation error:")
                .doesNotContain("Bearer ");
        assertThat(out.toString()).doesNotContain("AUTH0_LOG_STREAM_AUTHORIZATION");
    }

    @Test
    void a401AfterARenewedTokenFails() {
        auth0.stubFor(get("/api/v2/log-streams")
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"statusCode\":401,\"error\":\"Unauthorized\",\"message\":\"Invalid token\"}")));
        auth0.stubFor(get("/api/v2/event-streams").willReturn(okJson("[]")));

        assertThat(run("auth0", "status", "--no-kafka")).isEqualTo(1);
        assertThat(err.toString())
                .contains("HTTP 401 Unauthorized (Invalid token)")
                .contains("AUTH0_CLIENT_SECRET");
        auth0.verify(2, getRequestedFor(urlEqualTo("/api/v2/log-streams")));
        auth0.verify(2, postRequestedFor(urlEqualTo("/oauth/token")));
    }

    @Test
    void refusedClientCredentialsFailWithoutTheSecret() {
        auth0.stubFor(post("/oauth/token")
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"access_denied\",\"error_description\":\"Unauthorized\"}")));

        assertThat(run("auth0", "disconnect", "lst_1")).isEqualTo(1);
        assertThat(err.toString()).contains("refused the client credentials").contains("access_denied");
        auth0.verify(0, deleteRequestedFor(anyUrl()));
    }

    @Test
    void rateLimitsAreWaitedOutAsRetryAfterAndTheResetHeaderSay() throws Exception {
        auth0.stubFor(post("/api/v2/log-streams")
                .inScenario("429")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "1")
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"statusCode\":429,\"error\":\"Too Many Requests\",\"message\":\"Global limit "
                                + "has been reached\",\"errorCode\":\"too_many_requests\"}"))
                .willSetStateTo("retried"));
        auth0.stubFor(post("/api/v2/log-streams")
                .inScenario("429")
                .whenScenarioStateIs("retried")
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody(created("lst_after_429", "http"))));
        long started = System.nanoTime();
        assertThat(run("auth0", "connect", "--gateway-url", "https://gw.example.com", "--kind", "log-stream"))
                .as(err.toString())
                .isZero();
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(900);
        assertThat(out.toString()).contains("lst_after_429");
        auth0.verify(2, postRequestedFor(urlEqualTo("/api/v2/log-streams")));

        long reset = Instant.now().plusSeconds(2).getEpochSecond();
        auth0.stubFor(delete(urlEqualTo("/api/v2/log-streams/lst_after_429"))
                .inScenario("reset")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("x-ratelimit-limit", "10")
                        .withHeader("x-ratelimit-remaining", "0")
                        .withHeader("x-ratelimit-reset", Long.toString(reset)))
                .willSetStateTo("reset"));
        auth0.stubFor(delete(urlEqualTo("/api/v2/log-streams/lst_after_429"))
                .inScenario("reset")
                .whenScenarioStateIs("reset")
                .willReturn(aResponse().withStatus(204)));
        assertThat(run("auth0", "disconnect", "lst_after_429"))
                .as(err.toString())
                .isZero();
        assertThat(Instant.now().getEpochSecond()).isGreaterThanOrEqualTo(reset - 1);
        assertThat(out.toString()).contains("deleted lst_after_429");
    }

    @Test
    void disconnectDeletesEventStreamsAndLogStreamsByTheirIdAndReportsAnUnknownOne() {
        auth0.stubFor(delete(urlEqualTo("/api/v2/event-streams/est_1"))
                .willReturn(aResponse().withStatus(204)));
        auth0.stubFor(delete(urlEqualTo("/api/v2/log-streams/lst_gone"))
                .willReturn(aResponse()
                        .withStatus(404)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"statusCode\":404,\"error\":\"Not Found\",\"message\":\"The log stream does not "
                                + "exist\",\"errorCode\":\"inexistent_log_stream\"}")));

        assertThat(run("auth0", "disconnect", "est_1")).isZero();
        assertThat(out.toString()).contains("deleted est_1");
        assertThat(run("auth0", "disconnect", "lst_gone")).isEqualTo(1);
        assertThat(err.toString()).contains("HTTP 404 inexistent_log_stream (The log stream does not exist)");
        auth0.verify(1, deleteRequestedFor(urlEqualTo("/api/v2/event-streams/est_1")));
    }

    @Test
    void statusListsBothKindsOfStreamAndTheLastEventFromEachSource() {
        stack.createTopics(Topics.ALL, 3);
        auth0.stubFor(get("/api/v2/log-streams").willReturn(okJson("""
                [{"id":"lst_0000000000000001","name":"authstream-gateway","type":"http","status":"active",
                  "sink":{"httpEndpoint":"https://gw.example.com/webhooks/auth0/log-stream",
                          "httpContentFormat":"JSONLINES","httpContentType":"application/json"}},
                 {"id":"lst_0000000000000002","name":"old","type":"http","status":"suspended",
                  "sink":{"httpEndpoint":"https://old.example.com/"}}]""")));
        auth0.stubFor(get("/api/v2/event-streams").willReturn(okJson("""
                {"eventStreams":[{"id":"est_1","name":"users","status":"disabled",
                  "subscriptions":[{"event_type":"user.created"}],
                  "destination":{"type":"webhook","configuration":{
                    "webhook_endpoint":"https://gw.example.com/webhooks/auth0/event-stream"}}},
                  {"id":"est_2","name":"to-aws","status":"enabled",
                  "subscriptions":[{"event_type":"user.created"}],
                  "destination":{"type":"eventbridge","configuration":{
                    "aws_account_id":"242849305777","aws_region":"us-east-1"}}}],"next":null}""")));
        // Sources of this run only, so the other tests' events do not count.
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant base = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(600);
        List<AuthEvent> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            AuthEvent event = SampleEvents.full();
            event.setEventId(run + "-" + i);
            event.setSource((i % 2 == 0 ? "log-stream-" : "event-stream-") + run);
            event.setReceivedAt(base.plusSeconds(i * 10L));
            events.add(event);
        }
        // And one on each Auth0 route, newer than anything written before: the streams' rows show them.
        Instant latest = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<String> routes = List.of("auth0.log-stream", "auth0.event-stream", "eventbridge.relay");
        for (int i = 0; i < routes.size(); i++) {
            AuthEvent event = SampleEvents.full();
            event.setEventId(run + "-" + routes.get(i));
            event.setSource(routes.get(i));
            event.setReceivedAt(latest.minusMillis(250L * i));
            events.add(event);
        }
        stack.produce(Topics.AUTH_EVENTS_RAW.name(), new AvroSerializer<>(stack.serdeConfig(), false), events);

        int status = run(
                "auth0",
                "status",
                "--bootstrap-servers",
                stack.bootstrapServers(),
                "--registry-url",
                stack.schemaRegistryUrl());

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("log-stream\tlst_0000000000000001\tauthstream-gateway\tactive\thttp "
                        + "https://gw.example.com/webhooks/auth0/log-stream\tlast event " + latest + "\t(")
                .contains("log-stream\tlst_0000000000000002\told\tsuspended")
                .contains("event-stream\test_1\tusers\tdisabled\twebhook "
                        + "https://gw.example.com/webhooks/auth0/event-stream\tlast event "
                        + latest.minusMillis(250) + "\t(")
                .contains("event-stream\test_2\tto-aws\tenabled\teventbridge us-east-1\tlast event "
                        + latest.minusMillis(500) + "\t(");
        assertThat(line("log-stream-" + run))
                .contains(base.plusSeconds(40).toString())
                .contains("m");
        assertThat(line("event-stream-" + run)).contains(base.plusSeconds(50).toString());
    }

    private String line(String source) {
        Matcher matcher = Pattern.compile("last event from " + Pattern.quote(source) + "\t.*")
                .matcher(out.toString());
        assertThat(matcher.find()).as(out.toString()).isTrue();
        return matcher.group();
    }
}
