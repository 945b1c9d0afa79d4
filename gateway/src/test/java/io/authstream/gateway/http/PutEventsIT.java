package io.authstream.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.deadletter.DeadLetterHeaders;
import io.authstream.schemas.serde.AvroDeserializer;
import io.authstream.teststack.LogCapture;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/** The PutEvents-compatible endpoint driven by the real AWS SDK v2 EventBridgeClient. */
@ExtendWith(StackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PutEventsIT {

    private static final String ACCESS_KEY = "AKIDAUTHSTREAMIT";
    private static final String SECRET_KEY = "it/putevents+secret/key";

    private final TestStack stack;
    private TestGateway gateway;

    PutEventsIT(TestStack stack) {
        this.stack = stack;
    }

    @BeforeAll
    void startGateway() {
        gateway = TestGateway.start(
                stack,
                Map.of("PUTEVENTS_ACCESS_KEYS", "OTHERKEY:other-secret-key-1," + ACCESS_KEY + ":" + SECRET_KEY),
                Clock.systemUTC());
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    private EventBridgeClient client(String accessKey, String secretKey) {
        return client(accessKey, secretKey, new ExecutionInterceptor() {});
    }

    private EventBridgeClient client(String accessKey, String secretKey, ExecutionInterceptor interceptor) {
        return EventBridgeClient.builder()
                .endpointOverride(URI.create(gateway.url()))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD).addExecutionInterceptor(interceptor))
                .build();
    }

    /** A request exactly as the SDK put it on the wire: signed headers, and the body they sign. */
    record Captured(SdkHttpRequest request, byte[] body) {

        /** The same request line and headers with {@code body}: what an attacker who saw the request can send. */
        byte[] replayWith(String pathAndQuery, byte[] otherBody) {
            StringBuilder head = new StringBuilder("POST " + pathAndQuery + " HTTP/1.1\r\n");
            request.headers().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Connection")) {
                    values.forEach(value ->
                            head.append(name).append(": ").append(value).append("\r\n"));
                }
            });
            head.append("Content-Length: ").append(otherBody.length).append("\r\nConnection: close\r\n\r\n");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(otherBody);
            return out.toByteArray();
        }
    }

    /** Sends one PutEvents through the SDK and keeps what it transmitted. */
    private Captured putAndCapture(String source) {
        AtomicReference<Captured> captured = new AtomicReference<>();
        ExecutionInterceptor capture = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                byte[] body = context.requestBody()
                        .map(b -> {
                            try (InputStream in = b.contentStreamProvider().newStream()) {
                                return in.readAllBytes();
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        })
                        .orElse(new byte[0]);
                captured.set(new Captured(context.httpRequest(), body));
            }
        };
        try (EventBridgeClient client = client(ACCESS_KEY, SECRET_KEY, capture)) {
            PutEventsResponse response = client.putEvents(r -> r.entries(PutEventsRequestEntry.builder()
                    .source(source)
                    .detailType("user.signed_in")
                    .detail("{\"eventId\":\"" + source + "\",\"userId\":\"auth0|replay\"}")
                    .build()));
            assertThat(response.failedEntryCount()).isZero();
        }
        return captured.get();
    }

    private List<String> publishedMentioning(String marker) {
        List<String> raw = stack
                .consumeAll(Topics.AUTH_EVENTS_RAW.name(), new AvroDeserializer<>(AuthEvent.class, stack.serdeConfig()))
                .stream()
                .map(r -> r.value().getRaw())
                .filter(v -> v.contains(marker))
                .toList();
        List<String> dead = stack.consumeAll(Topics.AUTH_EVENTS_DEADLETTER.name(), new StringDeserializer()).stream()
                .map(ConsumerRecord::value)
                .filter(v -> v != null && v.contains(marker))
                .toList();
        return Stream.concat(raw.stream(), dead.stream()).toList();
    }

    @Test
    void aCapturedSdkRequestReplayedWithAnotherBodyIsRefusedAndNothingIsPublished() throws IOException {
        String original = "com.example.replay-" + UUID.randomUUID();
        Captured captured = putAndCapture(original);
        // The SDK sends the body's hash in X-Amz-Content-Sha256 and signs it; the replay keeps that header.
        String sentHash =
                captured.request().firstMatchingHeader("X-Amz-Content-Sha256").orElseThrow();
        assertThat(sentHash).isEqualTo(sha256Hex(captured.body()));
        assertThat(captured.request().firstMatchingHeader("Authorization").orElseThrow())
                .contains("x-amz-content-sha256");

        // Replayed as captured, within the signature's 15 minutes, it is the same request: accepted.
        RawHttp.Answer same =
                RawHttp.exchange(gateway.url(), captured.replayWith("/", captured.body()), Duration.ofSeconds(30));
        assertThat(same.status()).as(same.body()).isEqualTo(200);

        // Of the same length, as the SDK signs Content-Length too.
        String forged = "com.example.replay-" + UUID.randomUUID();
        byte[] otherBody = new String(captured.body(), StandardCharsets.UTF_8)
                .replace(original, forged)
                .getBytes(StandardCharsets.UTF_8);
        RawHttp.Answer answer =
                RawHttp.exchange(gateway.url(), captured.replayWith("/", otherBody), Duration.ofSeconds(30));

        assertThat(answer.status()).as(answer.body()).isEqualTo(403);
        assertThat(answer.header("x-amzn-ErrorType")).isEqualTo("XAmzContentSHA256Mismatch");
        assertThat(answer.body())
                .contains("The provided 'x-amz-content-sha256' header does not match what was computed.");
        assertThat(publishedMentioning(forged)).isEmpty();
        assertThat(publishedMentioning(original)).hasSize(2);
    }

    @Test
    void aMalformedPercentEscapeIsA403WithoutAStackInTheLog() throws IOException {
        Captured captured = putAndCapture("com.example.escape-" + UUID.randomUUID());
        try (LogCapture logs = LogCapture.start()) {
            RawHttp.Answer answer = RawHttp.exchange(
                    gateway.url(), captured.replayWith("/?a=%zz", captured.body()), Duration.ofSeconds(30));

            assertThat(answer.status()).as(answer.body()).isEqualTo(403);
            assertThat(answer.header("x-amzn-ErrorType")).isEqualTo("InvalidSignatureException");
            assertThat(answer.body()).contains("malformed percent-encoding");
            assertThat(logs.lines())
                    .noneMatch(line -> line.contains("unexpected error") || line.contains("Exception:"));
        }
    }

    private static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theAwsSdkPutsEventsAndGetsPerEntryResults() {
        Instant time = Instant.parse("2025-08-01T09:30:00.250Z");
        try (EventBridgeClient client = client(ACCESS_KEY, SECRET_KEY)) {
            PutEventsResponse response = client.putEvents(r -> r.entries(
                    PutEventsRequestEntry.builder()
                            .source("com.example.token-exchange")
                            .detailType("user.signed_in")
                            .time(time)
                            .detail(
                                    "{\"eventId\":\"pe-1\",\"userId\":\"auth0|pe\",\"email\":\"pe@example.com\","
                                            + "\"displayName\":\"P E\",\"photoURL\":\"https://example.com/pe.png\",\"provider\":\"auth0\"}")
                            .build(),
                    PutEventsRequestEntry.builder()
                            .source("com.example.token-exchange")
                            .detailType("user.signed_in")
                            .detail("{not json")
                            .build(),
                    PutEventsRequestEntry.builder()
                            .source("com.example.token-exchange")
                            .detailType("credentials.refreshed")
                            .detail("{\"eventId\":\"pe-3\",\"userId\":\"auth0|pe\"}")
                            .build()));

            assertThat(response.failedEntryCount()).isEqualTo(1);
            assertThat(response.entries()).hasSize(3);
            assertThat(response.entries().get(0).eventId()).isNotBlank();
            assertThat(response.entries().get(1).errorCode()).isEqualTo("MalformedDetail");
            assertThat(response.entries().get(2).eventId()).isNotBlank();
        }
        Map<String, AuthEvent> read = stack
                .consumeAll(Topics.AUTH_EVENTS_RAW.name(), new AvroDeserializer<>(AuthEvent.class, stack.serdeConfig()))
                .stream()
                .map(ConsumerRecord::value)
                .filter(e -> e.getSource().equals(GatewayServer.SOURCE_PUT_EVENTS))
                .collect(Collectors.toMap(AuthEvent::getEventId, e -> e, (a, b) -> a));
        // App ids live in their own namespace (they cannot pre-empt an Auth0 log_id in dedup).
        AuthEvent signedIn = read.get("app:pe-1");
        assertThat(signedIn.getType()).isEqualTo("user.signed_in");
        assertThat(signedIn.getOccurredAt()).isEqualTo(time);
        assertThat(signedIn.getEmail()).isEqualTo("pe@example.com");
        assertThat(signedIn.getPhotoUrl()).isEqualTo("https://example.com/pe.png");
        assertThat(read.get("app:pe-3").getType()).isEqualTo("credentials.refreshed");
        // The malformed entry is not lost either.
        assertThat(stack.consumeAll(
                        Topics.AUTH_EVENTS_DEADLETTER.name(),
                        new org.apache.kafka.common.serialization.StringDeserializer()))
                .anyMatch(r -> r.key().equals(GatewayServer.SOURCE_PUT_EVENTS)
                        && r.value().contains("{not json"));
    }

    @Test
    void anAppCannotPutEventsThatSpeakForAuth0OrAws() {
        String auth0Log =
                "{\"log_id\":\"pe-forged-log\",\"data\":{\"type\":\"limit_wc\",\"user_id\":\"auth0|pe-victim\"}}";
        try (EventBridgeClient client = client(ACCESS_KEY, SECRET_KEY)) {
            PutEventsResponse response = client.putEvents(r -> r.entries(
                    PutEventsRequestEntry.builder()
                            .source("aws.partner/auth0.com/tenant-1/auth0.logs")
                            .detailType("Auth0 log")
                            .detail(auth0Log)
                            .build(),
                    PutEventsRequestEntry.builder()
                            .source("aws.signin")
                            .detailType("user.signed_in")
                            .detail("{\"eventId\":\"pe-aws\",\"userId\":\"auth0|pe-victim\"}")
                            .build(),
                    PutEventsRequestEntry.builder()
                            .source("com.example.app")
                            .detailType("user.deleted")
                            .detail("{\"eventId\":\"pe-del\",\"userId\":\"auth0|pe-victim\"}")
                            .build()));
            assertThat(response.failedEntryCount()).isEqualTo(3);
            assertThat(response.entries()).allSatisfy(e -> {
                assertThat(e.errorCode()).isEqualTo("InvalidArgument");
                assertThat(e.errorMessage()).startsWith("not_allowed_on_route: ");
            });
        }
        assertThat(stack.consumeAll(
                        Topics.AUTH_EVENTS_RAW.name(), new AvroDeserializer<>(AuthEvent.class, stack.serdeConfig())))
                .noneMatch(r -> "auth0|pe-victim".equals(r.value().getUserId()));
        assertThat(stack.consumeAll(
                        Topics.AUTH_EVENTS_DEADLETTER.name(),
                        new org.apache.kafka.common.serialization.StringDeserializer()))
                .filteredOn(r -> r.value().contains("pe-victim"))
                .hasSize(3)
                .allSatisfy(r -> assertThat(new String(
                                r.headers().lastHeader(DeadLetterHeaders.CODE).value(), StandardCharsets.UTF_8))
                        .isEqualTo("not_allowed_on_route"));
    }

    @Test
    void wrongSecretOrUnknownKeyIsRefusedAsAwsWould() {
        try (EventBridgeClient client = client(ACCESS_KEY, "wrong-secret")) {
            assertThatThrownBy(() -> client.putEvents(r -> r.entries(List.of(PutEventsRequestEntry.builder()
                            .source("s")
                            .detailType("d")
                            .detail("{}")
                            .build()))))
                    .isInstanceOf(EventBridgeException.class)
                    .satisfies(e -> {
                        EventBridgeException error = (EventBridgeException) e;
                        assertThat(error.statusCode()).isEqualTo(403);
                        assertThat(error.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
                    })
                    .hasMessageNotContaining(SECRET_KEY);
        }
        try (EventBridgeClient client = client("AKIDNOBODY", SECRET_KEY)) {
            assertThatThrownBy(() -> client.putEvents(r -> r.entries(List.of(PutEventsRequestEntry.builder()
                            .source("s")
                            .detailType("d")
                            .detail("{}")
                            .build()))))
                    .isInstanceOf(EventBridgeException.class)
                    .satisfies(e -> assertThat(
                                    ((EventBridgeException) e).awsErrorDetails().errorCode())
                            .isEqualTo("UnrecognizedClientException"));
        }
    }

    @Test
    void moreThanTenEntriesIsAValidationError() {
        try (EventBridgeClient client = client(ACCESS_KEY, SECRET_KEY)) {
            List<PutEventsRequestEntry> eleven = java.util.stream.IntStream.range(0, 11)
                    .mapToObj(i -> PutEventsRequestEntry.builder()
                            .source("s")
                            .detailType("d")
                            .detail("{}")
                            .build())
                    .toList();
            assertThatThrownBy(() -> client.putEvents(r -> r.entries(eleven)))
                    .isInstanceOf(EventBridgeException.class)
                    .satisfies(e -> {
                        assertThat(((EventBridgeException) e).statusCode()).isEqualTo(400);
                        assertThat(((EventBridgeException) e).awsErrorDetails().errorCode())
                                .isEqualTo("ValidationException");
                    });
        }
    }

    @Test
    void aRequestItsHeadersRefuseIsAnsweredWithoutItsBodyBeingRead() throws Exception {
        String amzDate = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC)
                .format(Instant.now());
        // An unknown access key: nothing the body could hold would make the request acceptable.
        String headers = "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSEvents.PutEvents\r\nX-Amz-Date: " + amzDate
                + "\r\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIDNOBODY/" + amzDate.substring(0, 8)
                + "/eu-west-1/events/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + "0".repeat(64)
                + "\r\nContent-Length: 100000\r\n\r\n{\"Entries\":[";
        URI uri = URI.create(gateway.url());
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            long started = System.nanoTime();
            socket.getOutputStream().write(headers.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            socket.setSoTimeout(20_000);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(answer);
            } catch (java.net.SocketException reset) {
                // closed after the answer
            }
            Duration after = Duration.ofNanos(System.nanoTime() - started);
            assertThat(answer.toString(StandardCharsets.ISO_8859_1))
                    .startsWith("HTTP/1.1 403")
                    .contains("x-amzn-ErrorType: UnrecognizedClientException");
            // Answered once the body stopped coming for the refusal's wait (2 s), 99 987 bytes short of it.
            assertThat(after).isLessThan(GatewayServer.REFUSED_BODY_WAIT.plusSeconds(8));
        }
    }

    @Test
    void unsignedRequestsAndOtherOperationsAreRefused() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> unsigned = http.send(
                HttpRequest.newBuilder(URI.create(gateway.url() + "/"))
                        .header("X-Amz-Target", "AWSEvents.PutEvents")
                        .header("Content-Type", "application/x-amz-json-1.1")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"Entries\":[]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(unsigned.headers().firstValue("x-amzn-ErrorType")).contains("MissingAuthenticationTokenException");

        HttpResponse<String> other = http.send(
                HttpRequest.newBuilder(URI.create(gateway.url() + "/"))
                        .header("X-Amz-Target", "AWSEvents.ListRules")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).isEqualTo(400);
        assertThat(other.body()).contains("UnknownOperationException");
    }
}
