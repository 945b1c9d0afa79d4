package io.authstream.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authstream.embedded.junit.StackExtension;
import io.authstream.embedded.junit.TestStack;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.deadletter.DeadLetterHeaders;
import io.authstream.schemas.serde.AvroDeserializer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
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
        gateway = TestGateway.start(stack, Map.of("PUTEVENTS_ACCESS_KEYS", "OTHERKEY:other-secret-key-1," + ACCESS_KEY + ":" + SECRET_KEY),
                Clock.systemUTC());
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    private EventBridgeClient client(String accessKey, String secretKey) {
        return EventBridgeClient.builder()
                .endpointOverride(URI.create(gateway.url()))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
                .build();
    }

    @Test
    void theAwsSdkPutsEventsAndGetsPerEntryResults() {
        Instant time = Instant.parse("2025-08-01T09:30:00.250Z");
        try (EventBridgeClient client = client(ACCESS_KEY, SECRET_KEY)) {
            PutEventsResponse response = client.putEvents(r -> r.entries(
                    PutEventsRequestEntry.builder().source("com.example.token-exchange").detailType("user.signed_in")
                            .time(time)
                            .detail("{\"eventId\":\"pe-1\",\"userId\":\"auth0|pe\",\"email\":\"pe@example.com\","
                                    + "\"displayName\":\"P E\",\"photoURL\":\"https://example.com/pe.png\",\"provider\":\"auth0\"}")
                            .build(),
                    PutEventsRequestEntry.builder().source("com.example.token-exchange").detailType("user.signed_in")
                            .detail("{not json").build(),
                    PutEventsRequestEntry.builder().source("com.example.token-exchange").detailType("credentials.refreshed")
                            .detail("{\"eventId\":\"pe-3\",\"userId\":\"auth0|pe\"}").build()));

            assertThat(response.failedEntryCount()).isEqualTo(1);
            assertThat(response.entries()).hasSize(3);
            assertThat(response.entries().get(0).eventId()).isNotBlank();
            assertThat(response.entries().get(1).errorCode()).isEqualTo("MalformedDetail");
            assertThat(response.entries().get(2).eventId()).isNotBlank();
        }
        Map<String, AuthEvent> read = stack.consumeAll(Topics.AUTH_EVENTS_RAW.name(),
                        new AvroDeserializer<>(AuthEvent.class, stack.serdeConfig())).stream()
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
        assertThat(stack.consumeAll(Topics.AUTH_EVENTS_DEADLETTER.name(), new org.apache.kafka.common.serialization.StringDeserializer()))
                .anyMatch(r -> r.key().equals(GatewayServer.SOURCE_PUT_EVENTS) && r.value().contains("{not json"));
    }

    @Test
    void anAppCannotPutEventsThatSpeakForAuth0OrAws() {
        String auth0Log = "{\"log_id\":\"pe-forged-log\",\"data\":{\"type\":\"limit_wc\",\"user_id\":\"auth0|pe-victim\"}}";
        try (EventBridgeClient client = client(ACCESS_KEY, SECRET_KEY)) {
            PutEventsResponse response = client.putEvents(r -> r.entries(
                    PutEventsRequestEntry.builder().source("aws.partner/auth0.com/tenant-1/auth0.logs").detailType("Auth0 log")
                            .detail(auth0Log).build(),
                    PutEventsRequestEntry.builder().source("aws.signin").detailType("user.signed_in")
                            .detail("{\"eventId\":\"pe-aws\",\"userId\":\"auth0|pe-victim\"}").build(),
                    PutEventsRequestEntry.builder().source("com.example.app").detailType("user.deleted")
                            .detail("{\"eventId\":\"pe-del\",\"userId\":\"auth0|pe-victim\"}").build()));
            assertThat(response.failedEntryCount()).isEqualTo(3);
            assertThat(response.entries()).allSatisfy(e -> {
                assertThat(e.errorCode()).isEqualTo("InvalidArgument");
                assertThat(e.errorMessage()).startsWith("not_allowed_on_route: ");
            });
        }
        assertThat(stack.consumeAll(Topics.AUTH_EVENTS_RAW.name(), new AvroDeserializer<>(AuthEvent.class, stack.serdeConfig())))
                .noneMatch(r -> "auth0|pe-victim".equals(r.value().getUserId()));
        assertThat(stack.consumeAll(Topics.AUTH_EVENTS_DEADLETTER.name(), new org.apache.kafka.common.serialization.StringDeserializer()))
                .filteredOn(r -> r.value().contains("pe-victim"))
                .hasSize(3)
                .allSatisfy(r -> assertThat(new String(r.headers().lastHeader(DeadLetterHeaders.CODE).value(), StandardCharsets.UTF_8))
                        .isEqualTo("not_allowed_on_route"));
    }

    @Test
    void wrongSecretOrUnknownKeyIsRefusedAsAwsWould() {
        try (EventBridgeClient client = client(ACCESS_KEY, "wrong-secret")) {
            assertThatThrownBy(() -> client.putEvents(r -> r.entries(List.of(PutEventsRequestEntry.builder()
                            .source("s").detailType("d").detail("{}").build()))))
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
                            .source("s").detailType("d").detail("{}").build()))))
                    .isInstanceOf(EventBridgeException.class)
                    .satisfies(e -> assertThat(((EventBridgeException) e).awsErrorDetails().errorCode())
                            .isEqualTo("UnrecognizedClientException"));
        }
    }

    @Test
    void moreThanTenEntriesIsAValidationError() {
        try (EventBridgeClient client = client(ACCESS_KEY, SECRET_KEY)) {
            List<PutEventsRequestEntry> eleven = java.util.stream.IntStream.range(0, 11)
                    .mapToObj(i -> PutEventsRequestEntry.builder().source("s").detailType("d").detail("{}").build()).toList();
            assertThatThrownBy(() -> client.putEvents(r -> r.entries(eleven)))
                    .isInstanceOf(EventBridgeException.class)
                    .satisfies(e -> {
                        assertThat(((EventBridgeException) e).statusCode()).isEqualTo(400);
                        assertThat(((EventBridgeException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    });
        }
    }

    @Test
    void unsignedRequestsAndOtherOperationsAreRefused() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/"))
                .header("X-Amz-Target", "AWSEvents.PutEvents").header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"Entries\":[]}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(unsigned.headers().firstValue("x-amzn-ErrorType")).contains("MissingAuthenticationTokenException");

        HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/"))
                .header("X-Amz-Target", "AWSEvents.ListRules")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).isEqualTo(400);
        assertThat(other.body()).contains("UnknownOperationException");
    }
}
