package io.authstream.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authstream.embedded.EmbeddedDynamoDb;
import io.authstream.fixtures.Samples;
import io.authstream.gateway.GatewayConfig;
import io.authstream.gateway.http.GatewayServer;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.UserProfile;
import io.authstream.schemas.serde.AvroDeserializer;
import io.authstream.streams.order.ReorderProcessor;
import io.authstream.teststack.SecretSettings;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The whole pipeline as {@code bin/local-stack} wires it (gateway → auth.events.raw → Streams app
 * → auth.events.ordered / auth.profiles → Kafka Connect DynamoDB sink → Users), on the real
 * broker, registry and DynamoDB Local; payloads go in over HTTP only.
 */
@ExtendWith(StackExtension.class)
// Apps and workers opened in try-with-resources run for the block without being referred to.
@SuppressWarnings("try")
class PipelineIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final TestStack stack;
    private final String logStreamToken = "Bearer " + UUID.randomUUID();
    private final String eventStreamToken = UUID.randomUUID().toString();
    private final String eventBridgeKey = UUID.randomUUID().toString();
    private String table;
    private Map<String, String> env;

    PipelineIT(TestStack stack) {
        this.stack = stack;
    }

    @BeforeEach
    void environment() throws Exception {
        stack.createTopics(Topics.ALL, 3);
        env = TestEnvironments.pipeline("pipeline-it");
        env.put("AUTH0_LOG_STREAM_AUTHORIZATION", logStreamToken);
        env.put("AUTH0_EVENT_STREAM_BEARER_TOKEN", eventStreamToken);
        env.put("EVENTBRIDGE_API_KEY", eventBridgeKey);
        table = env.get("DYNAMODB_TABLE");
        SecretSettings.register(env, GatewayConfig.DEFINITION);
    }

    private LocalEndpoints endpoints() {
        return TestEnvironments.endpoints(stack);
    }

    @Test
    void theSamplesPostedToEveryRouteEndAsTheSameProfilesInKafkaAndDynamoDb() throws Exception {
        List<String> posted = new ArrayList<>();
        Path mailDir = Files.createTempDirectory("pipeline-mail");
        try (LocalGateway gateway =
                        LocalGateway.startIfConfigured(env, endpoints()).orElseThrow();
                LocalStreamsApp streams =
                        LocalStreamsApp.start(env, endpoints(), Files.createTempDirectory("pipeline-it"));
                LocalMail mail = LocalMail.start(0, 0, 0, mailDir);
                LocalConnect connect = LocalConnect.start(
                        env,
                        endpoints(),
                        TestStack.uniqueTopic("connect"),
                        Files.createTempDirectory("connect-secrets"),
                        Optional.of(mail))) {
            for (String sample : Samples.list("log-stream")) {
                posted.add(post(
                        gateway,
                        GatewayServer.LOG_STREAM_PATH,
                        "Authorization",
                        logStreamToken,
                        Samples.bytes(sample)));
            }
            // The same records again, as Auth0 retries them in batches: dedup must keep one of each.
            for (String batch : Samples.list("wire-bodies")) {
                posted.add(post(
                        gateway, GatewayServer.LOG_STREAM_PATH, "Authorization", logStreamToken, Samples.bytes(batch)));
            }
            for (String sample : Samples.list("eventbridge")) {
                posted.add(post(
                        gateway, GatewayServer.EVENTBRIDGE_PATH, "x-api-key", eventBridgeKey, Samples.bytes(sample)));
            }
            for (String sample : List.of(
                    "event-streams/301_user.created_docs-test-webhook.json",
                    "event-streams/302_user.created_schema-example.json")) {
                posted.add(post(
                        gateway,
                        GatewayServer.EVENT_STREAM_PATH,
                        "Authorization",
                        "Bearer " + eventStreamToken,
                        Samples.bytes(sample)));
            }
            // Auth0's published user.deleted example reuses the user.created example's id; a real
            // delivery has its own, which it needs to get past dedup.
            ObjectNode deletion =
                    (ObjectNode) JSON.readTree(Samples.bytes("event-streams/304_user.deleted_schema-example.json"));
            deletion.put("id", "evt_" + UUID.randomUUID());
            posted.add(post(
                    gateway,
                    GatewayServer.EVENT_STREAM_PATH,
                    "Authorization",
                    "Bearer " + eventStreamToken,
                    JSON.writeValueAsBytes(deletion)));
            assertThat(posted).allSatisfy(answer -> assertThat(answer).startsWith("200 "));

            String signedIn = "auth0|618223a4e3f49e006948565c";
            String signedUp = "auth0|6182002f34f4dd006b05b5c7";
            String deleted = "auth0|507f1f77bcf86cd799439020";
            try (DynamoDbClient dynamo = EmbeddedDynamoDb.clientFor(stack.dynamoDbEndpoint())) {
                await("the sign-in in DynamoDB and the deleted user gone", () -> {
                    Map<String, AttributeValue> item = item(dynamo, signedIn);
                    return item.containsKey("lastLoginDate")
                            && item(dynamo, signedUp).containsKey("lastEventId")
                            && latestProfiles().containsKey(deleted)
                            && latestProfiles().get(deleted) == null
                            && item(dynamo, deleted).isEmpty();
                });

                // Every raw event comes out of the reorder stage exactly once (the batches repeated them).
                List<AuthEvent> raw = events(Topics.AUTH_EVENTS_RAW.name());
                Set<String> rawIds = raw.stream().map(AuthEvent::getEventId).collect(Collectors.toSet());
                assertThat(raw.size())
                        .as("the wire-body batches repeat log-stream samples")
                        .isGreaterThan(rawIds.size());
                await(
                        "every distinct event ordered",
                        () -> events(Topics.AUTH_EVENTS_ORDERED.name()).stream()
                                .map(AuthEvent::getEventId)
                                .collect(Collectors.toSet())
                                .containsAll(rawIds));
                List<String> orderedIds = events(Topics.AUTH_EVENTS_ORDERED.name()).stream()
                        .map(AuthEvent::getEventId)
                        .filter(rawIds::contains)
                        .toList();
                assertThat(orderedIds).doesNotHaveDuplicates().hasSameSizeAs(rawIds);

                // The profile follows from the sample itself: one sign-in (posted three times), then a code exchange.
                JsonNode login = JSON.readTree(Samples.bytes("log-stream/001_s_universal-login-prompts.json"))
                        .get("data");
                UserProfile profile = latestProfiles().get(signedIn);
                assertThat(profile.getEmail()).isEqualTo(login.get("user_name").asText());
                assertThat(profile.getLoginCount()).isEqualTo(1);
                assertThat(profile.getCreatedAt())
                        .isEqualTo(Instant.parse(login.get("date").asText()));
                assertThat(profile.getLastLoginDate())
                        .isEqualTo(Instant.parse(login.get("date").asText()));
                assertThat(profile.getLastIp()).isEqualTo(login.get("ip").asText());
                JsonNode exchange = JSON.readTree(Samples.bytes("log-stream/012_seacft_code-exchange.json"))
                        .get("data");
                assertThat(profile.getLastEventAt())
                        .isEqualTo(Instant.parse(exchange.get("date").asText()));

                // DynamoDB holds the same profile as the compacted topic, for every user the samples name.
                Map<String, UserProfile> profiles = latestProfiles();
                Set<String> sampleUsers = raw.stream()
                        .map(AuthEvent::getUserId)
                        .filter(u -> u != null)
                        .collect(Collectors.toSet());
                assertThat(sampleUsers).contains(signedIn, signedUp, deleted);
                for (String user : sampleUsers) {
                    assertSameProfile(profiles.get(user), item(dynamo, user), user);
                }
            }

            // The first sign-in's welcome, through the welcome-mail sink to the local mail server.
            String address = latestProfiles().get(signedIn).getEmail();
            await(
                    "the welcome mail to " + address,
                    () -> !mailsTo(mail, address).isEmpty());
            MimeMessage welcome = mailsTo(mail, address).get(0);
            assertThat(welcome.getSubject()).startsWith("Welcome, ");
            assertThat(welcome.getMessageID()).isEqualTo("<welcome%3Aauth0|618223a4e3f49e006948565c@authstream.local>");
            try (Stream<Path> saved = Files.list(mailDir)) {
                assertThat(saved.map(p -> p.getFileName().toString()))
                        .anyMatch(name -> name.endsWith("-" + address + ".eml"));
            }
            // The sample batches post that sign-in three times: one notification after dedup, one mail.
            Thread.sleep(2_000);
            assertThat(mailsTo(mail, address)).hasSize(1);
        }
    }

    private static List<MimeMessage> mailsTo(LocalMail mail, String address) {
        return mail.received().stream()
                .filter(m -> {
                    try {
                        return Arrays.stream(m.getRecipients(Message.RecipientType.TO))
                                .anyMatch(
                                        a -> ((InternetAddress) a).getAddress().equals(address));
                    } catch (MessagingException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
    }

    @Test
    void restartingTheStreamsAppMidRunLeavesNoDuplicateAndNoGap() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> users = new ArrayList<>();
        for (int u = 0; u < 12; u++) {
            users.add("auth0|restart-" + run + "-" + u);
        }
        int batches = 30;
        int perBatch = 20;
        Instant t0 = Instant.parse("2026-01-05T09:00:00Z");
        Random random = new Random(run.hashCode());
        List<ArrayNode> bodies = new ArrayList<>();
        Map<String, Integer> signInsPerUser = new HashMap<>();
        for (int b = 0; b < batches; b++) {
            ArrayNode body = JSON.createArrayNode();
            for (int i = 0; i < perBatch; i++) {
                int n = b * perBatch + i;
                String user = users.get(random.nextInt(users.size()));
                signInsPerUser.merge(user, 1, Integer::sum);
                body.add(signIn(run + "-" + n, user, t0.plusMillis(n * 10L)));
            }
            // Out of order inside a batch (it spans 200 ms, within the 500 ms grace).
            List<JsonNode> shuffled = new ArrayList<>();
            body.forEach(shuffled::add);
            Collections.shuffle(shuffled, random);
            body.removeAll();
            body.addAll(shuffled);
            bodies.add(body);
        }

        Path firstStateDir = Files.createTempDirectory("pipeline-restart-a");
        Path secondStateDir = Files.createTempDirectory("pipeline-restart-b");
        try (LocalGateway gateway =
                        LocalGateway.startIfConfigured(env, endpoints()).orElseThrow();
                LocalConnect connect = LocalConnect.start(
                        env,
                        endpoints(),
                        TestStack.uniqueTopic("connect"),
                        Files.createTempDirectory("connect-secrets"))) {
            LocalStreamsApp first = LocalStreamsApp.start(env, endpoints(), firstStateDir);
            // The first half goes to the first instance; the second half is posted while it stops
            // and its successor starts, so events are in flight across the restart.
            CountDownLatch stopping = new CountDownLatch(1);
            CompletableFuture<Void> posting = CompletableFuture.runAsync(() -> {
                for (int b = 0; b < bodies.size(); b++) {
                    if (b == bodies.size() / 2) {
                        awaitLatch(stopping);
                    }
                    postUntilAccepted(gateway, bodies.get(b));
                    sleep(60);
                }
            });
            await(
                    "some events ordered before the restart",
                    () -> !events(Topics.AUTH_EVENTS_ORDERED.name(), run).isEmpty());
            stopping.countDown();
            first.close();
            try (LocalStreamsApp second = LocalStreamsApp.start(env, endpoints(), secondStateDir)) {
                posting.join();
                AtomicInteger seen = new AtomicInteger();
                await(() -> "all " + batches * perBatch + " events ordered, saw " + seen.get(), () -> {
                    seen.set(events(Topics.AUTH_EVENTS_ORDERED.name(), run).size());
                    return seen.get() >= batches * perBatch;
                });
                List<ConsumerRecord<String, AuthEvent>> ordered = records(Topics.AUTH_EVENTS_ORDERED.name(), run);
                List<String> ids =
                        ordered.stream().map(r -> r.value().getEventId()).toList();
                assertThat(ids).doesNotHaveDuplicates();
                assertThat(new HashSet<>(ids)).hasSize(batches * perBatch);
                for (String user : users) {
                    List<Instant> times = ordered.stream()
                            .filter(r -> user.equals(r.key()))
                            .map(r -> r.value().getOccurredAt())
                            .toList();
                    assertThat(times).as("event-time order of %s", user).isSorted();
                }
                assertThat(ordered)
                        .allSatisfy(r -> assertThat(r.headers().lastHeader(ReorderProcessor.LATE_HEADER))
                                .isNull());

                try (DynamoDbClient dynamo = EmbeddedDynamoDb.clientFor(stack.dynamoDbEndpoint())) {
                    await(
                            "every user's sign-ins counted in DynamoDB",
                            () -> users.stream().allMatch(user -> {
                                AttributeValue count = item(dynamo, user).get("loginCount");
                                return count != null
                                        && Integer.parseInt(count.n()) == signInsPerUser.getOrDefault(user, 0);
                            }));
                    Map<String, UserProfile> profiles = latestProfiles();
                    for (String user : users) {
                        if (signInsPerUser.containsKey(user)) {
                            assertThat(profiles.get(user).getLoginCount())
                                    .isEqualTo(signInsPerUser.get(user).longValue());
                            assertSameProfile(profiles.get(user), item(dynamo, user), user);
                        }
                    }
                }
            }
        }
    }

    private static ObjectNode signIn(String logId, String user, Instant at) {
        ObjectNode data = JSON.createObjectNode()
                .put("date", at.toString())
                .put("type", "s")
                .put("user_id", user)
                .put("user_name", user.substring(user.indexOf('|') + 1) + "@example.com")
                .put("ip", "203.0.113.7")
                .put("connection", "Username-Password-Authentication")
                .put("strategy", "auth0")
                .put("client_id", "aI61p8I8aFjmYRliLWgvM9ev97kCCNDB")
                .put("client_name", "Default App");
        ObjectNode record = JSON.createObjectNode().put("log_id", logId);
        record.set("data", data);
        return record;
    }

    private void postUntilAccepted(LocalGateway gateway, ArrayNode body) {
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                String answer = post(
                        gateway,
                        GatewayServer.LOG_STREAM_PATH,
                        "Authorization",
                        logStreamToken,
                        JSON.writeValueAsBytes(body));
                if (answer.startsWith("200 ")) {
                    return;
                }
                assertThat(answer).as("only back-pressure may be retried").startsWith("503 ");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            sleep(500);
        }
        throw new AssertionError("a batch was not accepted after 20 tries");
    }

    private static String post(LocalGateway gateway, String path, String header, String credential, byte[] body)
            throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(gateway.url() + path))
                        .header(header, credential)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    private List<ConsumerRecord<String, AuthEvent>> records(String topic, String idPrefix) {
        return stack.consumeAll(topic, new AvroDeserializer<>(AuthEvent.class, stack.serdeConfig())).stream()
                .filter(r -> r.value().getEventId().startsWith(idPrefix + "-"))
                .toList();
    }

    private List<AuthEvent> events(String topic, String idPrefix) {
        return records(topic, idPrefix).stream().map(ConsumerRecord::value).toList();
    }

    private List<AuthEvent> events(String topic) {
        return stack.consumeAll(topic, new AvroDeserializer<>(AuthEvent.class, stack.serdeConfig())).stream()
                .map(ConsumerRecord::value)
                .toList();
    }

    /** The latest value per key of the compacted profiles topic (null for a tombstone). */
    private Map<String, UserProfile> latestProfiles() {
        Map<String, UserProfile> latest = new LinkedHashMap<>();
        stack.consumeAll(Topics.AUTH_PROFILES.name(), new AvroDeserializer<>(UserProfile.class, stack.serdeConfig()))
                .forEach(r -> latest.put(r.key(), r.value()));
        return latest;
    }

    private Map<String, AttributeValue> item(DynamoDbClient dynamo, String user) {
        return ProfileItems.item(dynamo, table, user);
    }

    private static void assertSameProfile(UserProfile profile, Map<String, AttributeValue> item, String user) {
        ProfileItems.assertSameProfile(profile, item, user);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(() -> what, condition);
    }

    private static void await(Supplier<String> what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 90_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within 90 s: " + what.get());
            }
            Thread.sleep(250);
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
