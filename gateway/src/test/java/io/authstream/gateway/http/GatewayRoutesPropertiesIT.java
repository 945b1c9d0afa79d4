package io.authstream.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.fixtures.Samples;
import io.authstream.teststack.TestStack;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random bodies, credentials and headers at every route of a gateway on the real broker: the
 * answer is always a deliberate one (2xx, 4xx, or 503 for back-pressure), never another 5xx.
 */
class GatewayRoutesPropertiesIT {

    private static final Set<Integer> DELIBERATE = Set.of(200, 400, 401, 403, 404, 405, 413, 503);

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Every route's credential (long enough for the log checks to look for it). */
    private static final String CREDENTIAL = "props-credential";

    private static TestGateway gateway;

    @BeforeContainer
    static void startGateway() {
        Map<String, String> env = new HashMap<>();
        env.put("GATEWAY_MAX_BODY_BYTES", "16384");
        env.put("AUTH0_LOG_STREAM_AUTHORIZATION", "Bearer " + CREDENTIAL);
        env.put("AUTH0_EVENT_STREAM_BEARER_TOKEN", CREDENTIAL);
        env.put("EVENTBRIDGE_API_KEY", CREDENTIAL);
        env.put("AUTH0_ACTIONS_API_KEY", CREDENTIAL);
        env.put("PUTEVENTS_ACCESS_KEYS", "AKID:" + CREDENTIAL);
        gateway = TestGateway.start(TestStack.shared(), env, Clock.systemUTC());
    }

    @AfterContainer
    static void stopGateway() {
        gateway.close();
    }

    record Call(String method, String path, Map<String, String> headers, byte[] body) {}

    @Property(tries = 400)
    void everyAnswerIsDeliberate(@ForAll("calls") Call call) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url() + call.path()))
                .timeout(Duration.ofSeconds(30))
                .method(
                        call.method(),
                        call.body().length == 0 && call.method().equals("GET")
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(call.body()));
        call.headers().forEach(request::header);
        // One shared client, so connections are reused: a refusal must not break the next call either.
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("%s %s -> %s", call.method(), call.path(), response.body())
                .isIn(DELIBERATE);
        if (response.statusCode() >= 400) {
            assertThat(response.body())
                    .as("error answers are JSON naming the problem")
                    .startsWith("{")
                    .contains("message");
        }
    }

    @Provide
    Arbitrary<Call> calls() {
        Arbitrary<String> route = Arbitraries.of(
                GatewayServer.LOG_STREAM_PATH, GatewayServer.EVENT_STREAM_PATH, GatewayServer.EVENTBRIDGE_PATH, "/");
        Arbitrary<Map<String, String>> headers = Arbitraries.of(
                Map.of("Authorization", "Bearer " + CREDENTIAL),
                Map.of("x-api-key", CREDENTIAL),
                Map.of("Authorization", "Bearer wrong"),
                Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString(("a:" + CREDENTIAL).getBytes())),
                Map.of(
                        "X-Amz-Target",
                        "AWSEvents.PutEvents",
                        "Authorization",
                        "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/events/aws4_request, SignedHeaders=host, Signature="
                                + "0".repeat(64),
                        "X-Amz-Date",
                        "20250101T000000Z"),
                Map.of());
        Arbitrary<Call> posts =
                Combinators.combine(route, headers, bodies()).as((path, h, body) -> new Call("POST", path, h, body));
        Arbitrary<Call> actions = Combinators.combine(
                        Arbitraries.strings().ofMaxLength(40),
                        Arbitraries.strings().ofMaxLength(60),
                        Arbitraries.of(Map.of("x-api-key", CREDENTIAL), Map.<String, String>of()))
                .as((subject, message, h) -> new Call(
                        "GET",
                        GatewayServer.ACTIONS_PATH + "?subject=" + enc(subject) + "&message=" + enc(message),
                        h,
                        new byte[0]));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, posts), net.jqwik.api.Tuple.of(1, actions));
    }

    private Arbitrary<byte[]> bodies() {
        List<byte[]> samples =
                Samples.list("log-stream").stream().map(Samples::bytes).toList();
        Arbitrary<byte[]> sample = Arbitraries.of(samples);
        Arbitrary<byte[]> mutated = Combinators.combine(
                        sample, Arbitraries.integers().between(0, 700), Arbitraries.bytes())
                .as((bytes, at, b) -> {
                    byte[] copy = bytes.clone();
                    copy[Math.min(at, copy.length - 1)] = b;
                    return copy;
                });
        Arbitrary<byte[]> jsonish = Arbitraries.strings()
                .withChars("{}[]\":,\n 01ab\\-.eE")
                .ofMaxLength(200)
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> huge = Arbitraries.just(new byte[20_000]);
        Arbitrary<byte[]> deep =
                Arbitraries.integers().between(1, 3000).map(n -> ("[".repeat(n) + "]".repeat(n)).getBytes());
        return Arbitraries.oneOf(sample, mutated, jsonish, random, huge, deep);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
