package io.authstream.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.authstream.embedded.junit.LogCapture;
import io.authstream.embedded.junit.StackExtension;
import io.authstream.embedded.junit.TestStack;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.serde.AvroDeserializer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Hostile input at every ingest route of a real gateway on the real broker: near-miss
 * credentials, oversized and endless bodies, deep nesting, invalid UTF-8, wrong content types,
 * 10 000-entry batches, CR/LF smuggled into headers, and slow clients. The gateway answers each
 * with a 4xx and a JSON error (503 only for back-pressure), stays up, and its heap stays bounded;
 * no secret shows in an answer or a log line.
 */
@ExtendWith(StackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int MAX_BODY = 1_048_576;
    private static final Duration IDLE_TIMEOUT = Duration.ofMillis(1500);

    private final TestStack stack;
    private final String logStreamAuthorization = "Bearer ls-" + UUID.randomUUID();
    private final String eventStreamToken = "es-" + UUID.randomUUID();
    private final String eventStreamPassword = "esp-" + UUID.randomUUID();
    private final String eventBridgeKey = "eb-" + UUID.randomUUID();
    private final String actionsKey = "ac-" + UUID.randomUUID();
    private final String putEventsSecret = "pe/" + UUID.randomUUID();
    private final String putEventsKeyId = "AKIDHOSTILE";
    private LogCapture logs;
    private TestGateway gateway;
    private long heapBeforeBytes;

    HostileInputIT(TestStack stack) {
        this.stack = stack;
    }

    /** One ingest route with the credentials it accepts; every route is attacked the same way. */
    private record Route(String path, Map<String, String> credentials) {}

    private List<Route> postRoutes() {
        return List.of(new Route(GatewayServer.LOG_STREAM_PATH, Map.of("Authorization", logStreamAuthorization)),
                new Route(GatewayServer.EVENT_STREAM_PATH, Map.of("Authorization", "Bearer " + eventStreamToken)),
                new Route(GatewayServer.EVENTBRIDGE_PATH, Map.of("x-api-key", eventBridgeKey)));
    }

    private List<String> secrets() {
        return List.of(logStreamAuthorization.substring("Bearer ".length()), eventStreamToken, eventStreamPassword,
                eventBridgeKey, actionsKey, putEventsSecret);
    }

    @BeforeAll
    void startGateway() {
        logs = LogCapture.start();
        Map<String, String> env = new HashMap<>();
        env.put("GATEWAY_MAX_BODY_BYTES", Integer.toString(MAX_BODY));
        env.put("GATEWAY_IDLE_TIMEOUT_MS", Long.toString(IDLE_TIMEOUT.toMillis()));
        env.put("GATEWAY_ACK_TIMEOUT_MS", "20000");
        env.put("AUTH0_LOG_STREAM_AUTHORIZATION", logStreamAuthorization);
        env.put("AUTH0_EVENT_STREAM_BEARER_TOKEN", eventStreamToken);
        env.put("AUTH0_EVENT_STREAM_BASIC_AUTH", "auth0:" + eventStreamPassword);
        env.put("EVENTBRIDGE_API_KEY", eventBridgeKey);
        env.put("AUTH0_ACTIONS_API_KEY", actionsKey);
        env.put("PUTEVENTS_ACCESS_KEYS", putEventsKeyId + ":" + putEventsSecret);
        gateway = TestGateway.start(stack, env, Clock.systemUTC());
        heapBeforeBytes = usedHeapAfterGc();
    }

    @AfterAll
    void stopGateway() {
        try {
            gateway.close();
        } finally {
            logs.close();
        }
    }

    @Test
    @Order(1)
    void nearMissCredentialsAreRefusedAtEveryRouteAndPublishNothing() throws Exception {
        String marker = "hostile-auth-" + UUID.randomUUID();
        byte[] body = ("{\"log_id\":\"" + marker + "\",\"id\":\"" + marker + "\",\"data\":{\"type\":\"s\"}}")
                .getBytes(StandardCharsets.UTF_8);
        for (Route route : postRoutes()) {
            Map.Entry<String, String> good = route.credentials().entrySet().iterator().next();
            for (String guess : nearMisses(good.getValue())) {
                HttpResponse<String> answer = post(route.path(), body, "application/json", Map.of(good.getKey(), guess));
                assertThat(answer.statusCode()).as("%s with %s: %s", route.path(), guess, answer.body()).isEqualTo(401);
                assertJsonError(answer, 401, "unauthorized");
            }
            assertJsonError(post(route.path(), body, "application/json", Map.of()), 401, "unauthorized");
        }
        for (String guess : nearMisses(actionsKey)) {
            assertJsonError(get(GatewayServer.ACTIONS_PATH + "?message=" + enc("{\"user_id\":\"" + marker + "\"}"),
                    Map.of("x-api-key", guess)), 401, "unauthorized");
        }
        for (String guess : nearMisses(putEventsSecret)) {
            HttpResponse<String> answer = putEvents(putEventsRequest(1, marker).getBytes(StandardCharsets.UTF_8), guess);
            assertThat(answer.statusCode()).isEqualTo(403);
            assertThat(answer.headers().firstValue("x-amzn-ErrorType")).contains("InvalidSignatureException");
        }
        assertThat(rawEventIds()).noneMatch(id -> id.contains(marker));
    }

    @Test
    @Order(2)
    void aWrongCredentialIsRefusedAsFastWhateverItsLengthOrHowMuchOfItIsRight() throws Exception {
        // The comparison is over SHA-256 digests with MessageDigest.isEqual (Credentials): fixed
        // length, no early exit. A statistical timing test would flake on a shared machine, so this
        // only checks that no guess is slower by a margin no network jitter explains: a
        // byte-by-byte compare leaking through the answer time would need far less than that to
        // be exploitable, but a compare that did real work per matching byte would exceed it.
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> guesses = new LinkedHashMap<>();
        guesses.put("one byte", "x");
        guesses.put("all but the last byte", logStreamAuthorization.substring(0, logStreamAuthorization.length() - 1));
        guesses.put("right then one more", logStreamAuthorization + "x");
        guesses.put("4000 bytes", "B".repeat(4000));
        Map<String, List<Long>> nanos = new HashMap<>();
        for (int round = 0; round < 60; round++) {
            for (var guess : guesses.entrySet()) {
                long started = System.nanoTime();
                HttpResponse<String> answer = post(GatewayServer.LOG_STREAM_PATH, body, "application/json",
                        Map.of("Authorization", guess.getValue()));
                nanos.computeIfAbsent(guess.getKey(), k -> new ArrayList<>()).add(System.nanoTime() - started);
                assertThat(answer.statusCode()).isEqualTo(401);
                assertThat(answer.body()).isEqualTo(post(GatewayServer.LOG_STREAM_PATH, body, "application/json",
                        Map.of("Authorization", "y")).body());
            }
        }
        Map<String, Long> medians = nanos.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> e.getValue().stream().sorted().toList().get(e.getValue().size() / 2)));
        org.slf4j.LoggerFactory.getLogger(HostileInputIT.class).info("median 401 answer times (ns) by guess: {}", medians);
        long fastest = medians.values().stream().min(Long::compare).orElseThrow();
        long slowest = medians.values().stream().max(Long::compare).orElseThrow();
        assertThat(Duration.ofNanos(slowest - fastest)).as("median answer times %s", medians)
                .isLessThan(Duration.ofMillis(20));
    }

    @Test
    @Order(3)
    void oversizedBodiesAre413WhetherDeclaredOrChunked() throws Exception {
        byte[] huge = new byte[MAX_BODY + 1];
        Arrays.fill(huge, (byte) ' ');
        for (Route route : postRoutes()) {
            assertJsonError(post(route.path(), huge, "application/json", route.credentials()), 413, "body_too_large");
            // No Content-Length: the limit has to hold while reading, not only against a declared size.
            HttpResponse<String> chunked = HTTP.send(request(route.path(), "application/json", route.credentials())
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(huge))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertJsonError(chunked, 413, "body_too_large");
        }
        assertThat(putEvents(huge, putEventsSecret).statusCode()).isEqualTo(413);
        // Far more than the gateway reads and drops to answer politely: it answers and closes.
        RawHttp.Answer endless = RawHttp.exchange(gateway.url(), ("POST " + GatewayServer.LOG_STREAM_PATH + " HTTP/1.1\r\n"
                + "Host: x\r\nAuthorization: " + logStreamAuthorization + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1000000000\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), Duration.ofSeconds(30));
        assertThat(endless.status()).isEqualTo(413);
    }

    @Test
    @Order(4)
    void deepNestingAndInvalidUtf8Are400AtEveryRoute() throws Exception {
        byte[] deep = ("[".repeat(200_000) + "]".repeat(200_000)).getBytes(StandardCharsets.UTF_8);
        byte[] deepObject = ("{\"log_id\":\"deep\",\"data\":" + "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000) + "}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] badUtf8 = concat("{\"log_id\":\"bad-utf8\",\"data\":{\"type\":\"s\",\"user_name\":\"".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF}, "\"}}".getBytes(StandardCharsets.UTF_8));
        for (Route route : postRoutes()) {
            assertThat(JSON.readTree(assertJsonError(post(route.path(), deep, "application/json", route.credentials()), 400,
                    "malformed_body").body()).path("message").asText()).contains("nesting");
            // One object is read as JSON lines, where a broken line is that event's problem (dead-lettered)
            // unless no line parses at all; either way nothing is published as an event.
            HttpResponse<String> deepLine = post(route.path(), deepObject, "application/json", route.credentials());
            if (deepLine.statusCode() == 200) {
                assertThat(JSON.readTree(deepLine.body()).path("accepted").asInt()).as(route.path()).isZero();
                assertThat(JSON.readTree(deepLine.body()).path("deadLettered").asInt()).isEqualTo(1);
            } else {
                assertThat(JSON.readTree(assertJsonError(deepLine, 400, "malformed_body").body()).path("message").asText())
                        .contains("nesting depth");
            }
            assertThat(JSON.readTree(assertJsonError(post(route.path(), badUtf8, "application/json", route.credentials()), 400,
                    "malformed_body").body()).path("message").asText()).contains("UTF-8");
        }
        for (byte[] body : List.of(deep, badUtf8)) {
            HttpResponse<String> answer = putEvents(body, putEventsSecret);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
            assertThat(answer.headers().firstValue("x-amzn-ErrorType")).contains("SerializationException");
        }
        String deepMessage = "{\"user_id\":\"auth0|deep\",\"x\":" + "[".repeat(1100) + "]".repeat(1100) + "}";
        // An Actions message that does not normalise is dead-lettered, like any event that does not.
        HttpResponse<String> deepAction = get(GatewayServer.ACTIONS_PATH + "?message=" + enc(deepMessage),
                Map.of("x-api-key", actionsKey));
        assertThat(deepAction.statusCode()).as(deepAction.body()).isEqualTo(200);
        assertThat(JSON.readTree(deepAction.body()).path("accepted").asInt()).isZero();
        assertThat(JSON.readTree(deepAction.body()).path("deadLettered").asInt()).isEqualTo(1);
        // Deeper still, the query outgrows the server's URI limit before any parsing.
        HttpResponse<String> tooLong = get(GatewayServer.ACTIONS_PATH + "?message=" + enc("[".repeat(5000)),
                Map.of("x-api-key", actionsKey));
        assertThat(tooLong.statusCode()).isEqualTo(414);
        assertThat(JSON.readTree(tooLong.body()).path("message").asText()).isNotBlank();
        // Invalid UTF-8 in a query is decoded by the server with U+FFFD, so the Actions route (whose
        // payload is the query) cannot tell it from a real replacement character: it is taken as such.
        HttpResponse<String> badQuery = get(GatewayServer.ACTIONS_PATH + "?message=%7B%22user_id%22%3A%22%C3%28%FF%22%7D",
                Map.of("x-api-key", actionsKey));
        assertThat(badQuery.statusCode()).as(badQuery.body()).isEqualTo(200);
    }

    @Test
    @Order(5)
    void wrongContentTypesAreAnsweredOnTheBodyNotTheLabel() throws Exception {
        String id = "hostile-ctype-" + UUID.randomUUID();
        String event = "{\"log_id\":\"" + id + "\",\"data\":{\"type\":\"s\",\"date\":\"2025-01-01T00:00:00Z\",\"user_id\":\"auth0|ct\"}}";
        // Senders label bodies as they like (Auth0's custom webhook lets the tenant type any
        // Content-Type); what counts is the body. A form label must not make the server parse
        // the body as form fields and hand the route an empty body.
        for (String type : List.of("application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=xyz",
                "application/xml", "")) {
            HttpResponse<String> answer = post(GatewayServer.LOG_STREAM_PATH, event.getBytes(StandardCharsets.UTF_8), type,
                    Map.of("Authorization", logStreamAuthorization));
            assertThat(answer.statusCode()).as("%s: %s", type, answer.body()).isEqualTo(200);
            assertJsonError(post(GatewayServer.LOG_STREAM_PATH, "a=b&c=d".getBytes(StandardCharsets.UTF_8), type,
                    Map.of("Authorization", logStreamAuthorization)), 400, "malformed_body");
            assertJsonError(post(GatewayServer.LOG_STREAM_PATH, "<event><id>1</id></event>".getBytes(StandardCharsets.UTF_8),
                    type, Map.of("Authorization", logStreamAuthorization)), 400, "malformed_body");
        }
        assertThat(rawEventIdList().stream().filter(id::equals)).hasSize(5);
    }

    @Test
    @Order(6)
    void tenThousandEntryBatchesAreTakenWholeOrRefusedWhole() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        ArrayNode logs = JSON.createArrayNode();
        ArrayNode cloudEvents = JSON.createArrayNode();
        ArrayNode envelopes = JSON.createArrayNode();
        for (int i = 0; i < 10_000; i++) {
            logs.addObject().put("log_id", run + "-l" + i).putObject("data").put("type", "s").put("user_id", "auth0|b" + i % 50);
            cloudEvents.addObject().put("specversion", "1.0").put("id", run + "-c" + i).put("type", "user.created")
                    .put("source", "urn:auth0:x").put("time", "2025-01-01T00:00:00Z").putObject("data")
                    .putObject("object").put("user_id", "auth0|c" + i % 50);
            envelopes.addObject().put("id", run + "-e" + i).put("detail-type", "Auth0 log").put("source", "aws.partner/auth0.com")
                    .put("time", "2025-01-01T00:00:00Z").putObject("detail").put("log_id", run + "-e" + i)
                    .putObject("data").put("type", "s").put("user_id", "auth0|e" + i % 50);
        }
        Map<Route, ArrayNode> bodies = new LinkedHashMap<>();
        bodies.put(postRoutes().get(0), logs);
        bodies.put(postRoutes().get(1), cloudEvents);
        bodies.put(postRoutes().get(2), envelopes);
        for (var entry : bodies.entrySet()) {
            byte[] body = JSON.writeValueAsBytes(entry.getValue());
            HttpResponse<String> answer = post(entry.getKey().path(), body, "application/json", entry.getKey().credentials());
            if (body.length > MAX_BODY) {
                assertJsonError(answer, 413, "body_too_large");
            } else {
                assertThat(answer.statusCode()).as("%s: %s", entry.getKey().path(), answer.body()).isEqualTo(200);
                JsonNode counts = JSON.readTree(answer.body());
                assertThat(counts.path("accepted").asInt() + counts.path("deadLettered").asInt()).isEqualTo(10_000);
            }
        }
        Map<String, Long> perPrefix = rawEventIdList().stream().filter(id -> id.startsWith(run + "-"))
                .collect(Collectors.groupingBy(id -> id.substring(run.length() + 1, run.length() + 2), Collectors.counting()));
        assertThat(perPrefix.getOrDefault("l", 0L)).as("every log-stream entry on the raw topic").isEqualTo(10_000);
        byte[] tenThousandEntries = putEventsRequest(10_000, run).getBytes(StandardCharsets.UTF_8);
        assertThat(tenThousandEntries.length).isLessThan(MAX_BODY);
        HttpResponse<String> tooMany = putEvents(tenThousandEntries, putEventsSecret);
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(tooMany.headers().firstValue("x-amzn-ErrorType")).contains("ValidationException");
    }

    @Test
    @Order(7)
    void crLfSmuggledIntoHeadersOrQueriesNeverBecomesAHeaderOfTheAnswer() throws Exception {
        // A bare LF inside a header value: a lenient parser would read a second header from it.
        RawHttp.Answer smuggled = RawHttp.exchange(gateway.url(), "POST " + GatewayServer.LOG_STREAM_PATH + " HTTP/1.1\r\n"
                + "Host: x\r\nAuthorization: Bearer nope\nX-Injected: 1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
                Duration.ofSeconds(10));
        assertThat(smuggled.status()).isBetween(400, 401);
        assertThat(smuggled.headers()).doesNotContainKey("x-injected");
        assertThat(smuggled.body()).startsWith("{").contains("message");
        // Request smuggling: both Content-Length and Transfer-Encoding.
        RawHttp.Answer ambiguous = RawHttp.exchange(gateway.url(), "POST " + GatewayServer.LOG_STREAM_PATH + " HTTP/1.1\r\n"
                + "Host: x\r\nAuthorization: " + logStreamAuthorization + "\r\nContent-Length: 4\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\nGET /health/live HTTP/1.1\r\nHost: x\r\n\r\n",
                Duration.ofSeconds(10));
        assertThat(ambiguous.status()).isEqualTo(400);
        assertThat(ambiguous.body()).startsWith("{").contains("message");
        // Encoded CR/LF in a value the gateway echoes into its error message.
        HttpResponse<String> echoed = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/"))
                .header("X-Amz-Target", "AWSEvents.PutEvents%0d%0aSet-Cookie: a=b")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(echoed.statusCode()).isBetween(400, 403);
        assertThat(echoed.headers().map()).doesNotContainKey("set-cookie");
        HttpResponse<String> actions = get(GatewayServer.ACTIONS_PATH + "?subject=" + enc("x\r\nSet-Cookie: a=b")
                + "&topic=" + enc("t\r\nLocation: http://evil") + "&message=" + enc("{\"user_id\":\"auth0|crlf\"}"),
                Map.of("x-api-key", actionsKey));
        assertThat(actions.statusCode()).isEqualTo(200);
        assertThat(actions.headers().map()).doesNotContainKeys("set-cookie", "location");
        // A header far beyond the server's header buffer.
        RawHttp.Answer hugeHeader = RawHttp.exchange(gateway.url(), "GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: "
                + "a".repeat(64 * 1024) + "\r\nConnection: close\r\n\r\n", Duration.ofSeconds(10));
        assertThat(hugeHeader.status()).isEqualTo(431);
        assertThat(hugeHeader.body()).startsWith("{").contains("message");
    }

    @Test
    @Order(8)
    void slowClientsAreClosedAtTheIdleTimeoutAndDoNotStarveOthers() throws Exception {
        int slowClients = 50;
        List<Socket> sockets = new ArrayList<>();
        ExecutorService tricklers = Executors.newFixedThreadPool(slowClients);
        try {
            byte[] headers = ("POST " + GatewayServer.LOG_STREAM_PATH + " HTTP/1.1\r\nHost: x\r\nAuthorization: "
                    + logStreamAuthorization + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            List<Future<String>> crawling = new ArrayList<>();
            for (int i = 0; i < slowClients; i++) {
                Socket socket = connect();
                sockets.add(socket);
                // Half crawl through the headers, half send them and stall in the body (where a thread reads it).
                boolean inBody = i % 2 == 1;
                crawling.add(tricklers.submit(() -> crawlThenStall(socket, headers, inBody)));
            }
            // While 50 clients crawl, ordinary requests are answered promptly.
            long deadline = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            int answered = 0;
            while (System.nanoTime() < deadline) {
                long started = System.nanoTime();
                HttpResponse<String> answer = post(GatewayServer.LOG_STREAM_PATH,
                        "{\"log_id\":\"slow-probe\",\"data\":{\"type\":\"s\"}}".getBytes(StandardCharsets.UTF_8),
                        "application/json", Map.of("Authorization", logStreamAuthorization));
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
                answered++;
            }
            assertThat(answered).isGreaterThan(5);
            // Once they stall, every crawler is dropped at the idle timeout; a stalled body is never a 5xx.
            for (Future<String> future : crawling) {
                String before = future.get(60, TimeUnit.SECONDS);
                assertThat(before).as("what a stalled client got").doesNotStartWith("HTTP/1.1 5");
            }
        } finally {
            tricklers.shutdownNow();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        // An idle connection (sends nothing at all) is closed at the idle timeout.
        try (Socket idle = connect()) {
            idle.setSoTimeout((int) IDLE_TIMEOUT.multipliedBy(10).toMillis());
            long started = System.nanoTime();
            int read;
            try {
                read = idle.getInputStream().read();
            } catch (SocketException reset) {
                read = -1;
            }
            assertThat(read).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(IDLE_TIMEOUT.minusMillis(200),
                    IDLE_TIMEOUT.plusSeconds(5));
        }
    }

    /**
     * Crawls like slowloris (a header byte every 50 ms for 3 s), or sends the headers and one byte
     * of body, then stalls; returns what the server sent before it closed the connection, and
     * fails if it kept the stalled connection open past the idle timeout (plus slack).
     */
    private String crawlThenStall(Socket socket, byte[] headers, boolean stallInBody) throws IOException, InterruptedException {
        OutputStream out = socket.getOutputStream();
        if (stallInBody) {
            out.write(headers);
            out.write('[');
        } else {
            long crawlUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            for (int sent = 0; sent < headers.length - 1 && System.nanoTime() < crawlUntil; sent++) {
                out.write(headers[sent]);
                out.flush();
                Thread.sleep(50);
            }
        }
        out.flush();
        socket.setSoTimeout((int) IDLE_TIMEOUT.plusSeconds(10).toMillis());
        java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
        try {
            socket.getInputStream().transferTo(answer);
        } catch (SocketTimeoutException stillOpen) {
            throw new AssertionError("a stalled client was still connected " + IDLE_TIMEOUT.plusSeconds(10) + " after it stopped");
        } catch (SocketException reset) {
            // closed by the server: what we want
        }
        return answer.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    @Order(9)
    void afterTheBarrageTheGatewayIsUpItsHeapIsBoundedAndNoSecretWasLogged() throws Exception {
        assertThat(get("/health/live", Map.of()).statusCode()).isEqualTo(200);
        assertThat(post(GatewayServer.LOG_STREAM_PATH, ("{\"log_id\":\"after-" + UUID.randomUUID()
                + "\",\"data\":{\"type\":\"s\"}}").getBytes(StandardCharsets.UTF_8), "application/json",
                Map.of("Authorization", logStreamAuthorization)).statusCode()).isEqualTo(200);
        // The barrage posted well over 100 MiB in total; none of it may stay reachable.
        long growth = usedHeapAfterGc() - heapBeforeBytes;
        org.slf4j.LoggerFactory.getLogger(HostileInputIT.class).info("heap after GC: {} MiB before the barrage, growth {} MiB",
                heapBeforeBytes >> 20, growth >> 20);
        assertThat(growth).as("heap growth in bytes").isLessThan(64L * 1024 * 1024);
        // The capture sees this JVM's log lines (the gateway's among them), at the levels the tests log at.
        String marker = "hostile barrage done " + UUID.randomUUID();
        org.slf4j.LoggerFactory.getLogger(GatewayServer.class).warn(marker);
        assertThat(logs.lines()).contains(marker);
        assertThat(logs.linesContainingAny(secrets())).isEmpty();
    }

    // ---- helpers ----

    private static List<String> nearMisses(String secret) {
        return List.of(secret.substring(0, secret.length() - 1), secret + "x", secret.substring(0, secret.length() - 1) + "X",
                secret.toUpperCase(java.util.Locale.ROOT).equals(secret) ? secret.toLowerCase(java.util.Locale.ROOT)
                        : secret.toUpperCase(java.util.Locale.ROOT),
                // Whitespace around a header value is not part of it (RFC 9110), so none around, one inside.
                secret.substring(0, 3) + " " + secret.substring(3), "x", secret.repeat(3));
    }

    private HttpResponse<String> assertJsonError(HttpResponse<String> answer, int status, String code) throws IOException {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode json = JSON.readTree(answer.body());
        assertThat(json.path("error").asText()).isEqualTo(code);
        assertThat(json.path("message").asText()).isNotBlank();
        assertThat(secrets()).noneMatch(answer.body()::contains);
        return answer;
    }

    private HttpRequest.Builder request(String path, String contentType, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url() + path)).timeout(Duration.ofSeconds(60));
        if (!contentType.isEmpty()) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        return request;
    }

    private HttpResponse<String> post(String path, byte[] body, String contentType, Map<String, String> headers)
            throws IOException, InterruptedException {
        return HTTP.send(request(path, contentType, headers).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String pathAndQuery, Map<String, String> headers) throws IOException, InterruptedException {
        return HTTP.send(request(pathAndQuery, "", headers).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A PutEvents call signed with SigV4 by the AWS SDK's own signer, over whatever body is given. */
    private HttpResponse<String> putEvents(byte[] body, String secret) throws IOException, InterruptedException {
        URI uri = URI.create(gateway.url() + "/");
        SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri)
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", GatewayServer.PUT_EVENTS_TARGET).build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(putEventsKeyId, secret))
                .request(unsigned)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "events")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        signed.request().headers().forEach((name, values) -> {
            if (!Set.of("host", "content-length").contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String putEventsRequest(int entries, String marker) {
        StringBuilder json = new StringBuilder("{\"Entries\":[");
        for (int i = 0; i < entries; i++) {
            json.append(i == 0 ? "" : ",").append("{\"Source\":\"s\",\"DetailType\":\"user.signed_in\",\"Detail\":\"{\\\"eventId\\\":\\\"")
                    .append(marker).append('-').append(i).append("\\\"}\"}");
        }
        return json.append("]}").toString();
    }

    private Set<String> rawEventIds() {
        return Set.copyOf(rawEventIdList());
    }

    private List<String> rawEventIdList() {
        return stack.consumeAll(Topics.AUTH_EVENTS_RAW.name(), new AvroDeserializer<>(AuthEvent.class, stack.serdeConfig()))
                .stream().map(ConsumerRecord::value).map(AuthEvent::getEventId).toList();
    }

    private Socket connect() throws IOException {
        URI uri = URI.create(gateway.url());
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
        return socket;
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

}
