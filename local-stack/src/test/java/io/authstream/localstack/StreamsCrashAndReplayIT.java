package io.authstream.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authstream.embedded.ChildJvm;
import io.authstream.embedded.EmbeddedDynamoDb;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AnalyticsRollup;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.SecurityAlert;
import io.authstream.schemas.avro.UserProfile;
import io.authstream.schemas.serde.AvroDeserializer;
import io.authstream.streams.StreamsMain;
import io.authstream.streams.order.ReorderProcessor;
import io.authstream.testrecords.TestOutput;
import io.authstream.teststack.LogCapture;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Exactly once through the topology, and replay. Events flow in through the gateway while the
 * Streams app, in its own JVM, is killed (SIGKILL: no commit, no clean leave) and restarted on
 * its state directory, twice. Then the same raw topic is replayed from the start by a second
 * app with a new application id. Both runs must produce the same ordered events, profiles,
 * alerts (same alert ids, each once per run) and rollups, and match what the input implies;
 * DynamoDB (the Connect sink) must equal auth.profiles.
 */
@ExtendWith(StackExtension.class)
// Apps and workers opened in try-with-resources run for the block without being referred to.
@SuppressWarnings("try")
class StreamsCrashAndReplayIT {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsCrashAndReplayIT.class);
    private static final int BLOCK = 100;
    private static final int FAILURES_PER_BLOCK = 12;

    private final TestStack stack;

    StreamsCrashAndReplayIT(TestStack stack) {
        this.stack = stack;
    }

    @Test
    void killedTwiceMidRunThenReplayedTheResultsAreTheSame() throws Exception {
        int events = ReliabilityFigures.get("streamsEvents", 2000);
        int kills = ReliabilityFigures.get("kills", 2);
        stack.createTopics(Topics.ALL, 3);
        String run = "crash-" + UUID.randomUUID().toString().substring(0, 8);
        String token = "Bearer " + UUID.randomUUID();
        Map<String, String> env = TestEnvironments.logStreamPipeline("crash-it", token);
        // A killed member is only dropped from the group when its session times out; the broker's minimum keeps it
        // short.
        env.put("KAFKA_STREAMS_SESSION_TIMEOUT_MS", "6000");
        env.put("KAFKA_STREAMS_HEARTBEAT_INTERVAL_MS", "1000");
        LocalEndpoints endpoints = TestEnvironments.endpoints(stack);
        String table = env.get("DYNAMODB_TABLE");
        Path work = Files.createTempDirectory("crash-it");
        Map<String, String> childEnv = endpoints.applyTo(env);
        childEnv.put("STREAMS_STATE_DIR", work.resolve("state").toString());

        // Every block of 100 holds 12 wrong passwords for one account from one IP (one brute-force
        // incident), the rest are sign-ins of 40 users; event times rise with the number.
        try (LogCapture logs = LogCapture.start();
                LocalGateway gateway =
                        LocalGateway.startIfConfigured(env, endpoints).orElseThrow();
                LocalConnect connect = LocalConnect.start(
                        env,
                        endpoints,
                        TestStack.uniqueTopic("connect"),
                        Files.createTempDirectory("connect-secrets"))) {
            LogStreamLoad posting = new LogStreamLoad(gateway.url(), token, run, 40);
            posting.withEvents(n -> event(posting, n, run));
            int incidents = (events + BLOCK - 1) / BLOCK;
            Map<String, Long> signInsPerUser = new HashMap<>();
            for (int n = 0; n < events; n++) {
                if (n % BLOCK >= FAILURES_PER_BLOCK) {
                    signInsPerUser.merge(posting.user(n), 1L, Long::sum);
                }
            }

            // Run 1: the app in its own JVM, killed twice while events arrive.
            // A TestOutput file: the suite audit reads the child's console along with this JVM's.
            Path childLog = TestOutput.newFile("streams-app");
            ChildJvm app = startStreamsApp(childEnv, childLog);
            CompletableFuture<Void> feeding = CompletableFuture.runAsync(() -> {
                try {
                    // One client, paced: events reach Kafka in event-time order and the run spans the kills.
                    posting.run(events, 10, 1, Duration.ofMinutes(3), Duration.ofMillis(40));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            List<Integer> orderedAtKill = new java.util.ArrayList<>();
            for (int k = 1; k <= kills; k++) {
                int orderedBefore = events * k / (kills + 1);
                await().atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> segment(Topics.AUTH_EVENTS_ORDERED.name(), Map.of(), AuthEvent.class).stream()
                                        .filter(r -> r.value().getEventId().startsWith(run + "-"))
                                        .count()
                                >= orderedBefore);
                app.kill();
                orderedAtKill.add(ordered(Map.of(), run).size());
                app = startStreamsApp(childEnv, childLog);
            }
            feeding.get();
            assertThat(orderedAtKill)
                    .as("every kill came before the run was through")
                    .allMatch(n -> n < events);
            ChildJvm survivor = app;
            try {
                await().atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> ordered(Map.of(), run).size() >= events
                                && alerts(Map.of(), run).size() >= incidents);
            } finally {
                survivor.close();
            }
            Map<String, Map<Integer, Long>> firstRunEnds = ends();
            Run first =
                    new Run(ordered(Map.of(), run), profiles(Map.of(), run), alerts(Map.of(), run), rollups(Map.of()));

            // Run 2: the same raw topic from the start, new application id, fresh state.
            Map<String, String> replayEnv = new HashMap<>(env);
            replayEnv.put("STREAMS_APPLICATION_ID", TestStack.uniqueTopic("crash-it-replay"));
            Run second;
            try (LocalStreamsApp replay = LocalStreamsApp.start(replayEnv, endpoints, work.resolve("replay-state"))) {
                await().atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> ordered(firstRunEnds.get(Topics.AUTH_EVENTS_ORDERED.name()), run)
                                                .size()
                                        >= events
                                && alerts(firstRunEnds.get(Topics.AUTH_SECURITY_ALERTS.name()), run)
                                                .size()
                                        >= incidents
                                && rollups(firstRunEnds.get(Topics.AUTH_ANALYTICS.name()))
                                        .equals(first.rollups()));
                second = new Run(
                        ordered(firstRunEnds.get(Topics.AUTH_EVENTS_ORDERED.name()), run),
                        profiles(firstRunEnds.get(Topics.AUTH_PROFILES.name()), run),
                        alerts(firstRunEnds.get(Topics.AUTH_SECURITY_ALERTS.name()), run),
                        rollups(firstRunEnds.get(Topics.AUTH_ANALYTICS.name())));
            }

            for (Run result : List.of(first, second)) {
                List<String> ids = result.ordered().stream()
                        .map(r -> r.value().getEventId())
                        .toList();
                assertThat(ids).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(posting.acked);
                assertThat(result.ordered())
                        .allSatisfy(r -> assertThat(r.headers().lastHeader(ReorderProcessor.LATE_HEADER))
                                .isNull());
                List<String> alertIds =
                        result.alerts().stream().map(SecurityAlert::getAlertId).toList();
                assertThat(alertIds)
                        .as("one alert per incident")
                        .doesNotHaveDuplicates()
                        .hasSize(incidents);
                assertThat(result.alerts()).extracting(SecurityAlert::getRuleId).containsOnly("brute-force");
                Map<String, Long> counts = result.profiles().entrySet().stream()
                        .filter(e -> e.getValue().getLoginCount() > 0)
                        .collect(Collectors.toMap(
                                Map.Entry::getKey, e -> e.getValue().getLoginCount()));
                assertThat(counts).isEqualTo(signInsPerUser);
            }
            assertThat(perKey(second.ordered())).as("same order per user").isEqualTo(perKey(first.ordered()));
            assertThat(second.profiles()).isEqualTo(first.profiles());
            assertThat(alertIdSet(second)).isEqualTo(alertIdSet(first));
            assertThat(second.rollups()).isEqualTo(first.rollups()).isNotEmpty();

            try (DynamoDbClient dynamo = EmbeddedDynamoDb.clientFor(stack.dynamoDbEndpoint())) {
                Map<String, UserProfile> latest = profiles(Map.of(), run);
                await().atMost(Duration.ofMinutes(1))
                        .untilAsserted(() -> latest.forEach((user, profile) ->
                                ProfileItems.assertSameProfile(profile, ProfileItems.item(dynamo, table, user), user)));
            }

            String childOutput = Files.readString(childLog, StandardCharsets.UTF_8);
            assertThat(childOutput).contains(READY_LINE);
            String secret = token.substring("Bearer ".length());
            assertThat(childOutput).doesNotContain(secret);
            assertThat(logs.linesContainingAny(List.of(secret))).isEmpty();
            LOG.info(
                    "reliability figures (Streams app kills and replay): events {}, acked {}, SIGKILLs {} (events "
                            + "ordered when killed: {}), ordered per run {} / {}, alerts per run {} / {}, profiles {}, rollups {}",
                    posting.sent.size(),
                    posting.acked.size(),
                    kills,
                    orderedAtKill,
                    first.ordered().size(),
                    second.ordered().size(),
                    first.alerts().size(),
                    second.alerts().size(),
                    first.profiles().size(),
                    first.rollups().size());
        }
    }

    private static final String READY_LINE = "health, metrics and analytics on ";

    private static ObjectNode event(LogStreamLoad load, int n, String run) {
        ObjectNode record = load.signIn(n);
        if (n % BLOCK < FAILURES_PER_BLOCK) {
            String victim = "auth0|" + run + "-victim" + n / BLOCK;
            ((ObjectNode) record.get("data"))
                    .put("type", "fp")
                    .put("user_id", victim)
                    .put("user_name", run + "-victim" + n / BLOCK + "@example.com")
                    .put("ip", "198.51.100." + (n / BLOCK % 250));
        }
        return record;
    }

    /** What one run of the topology wrote. */
    private record Run(
            List<ConsumerRecord<String, AuthEvent>> ordered,
            Map<String, UserProfile> profiles,
            List<SecurityAlert> alerts,
            Map<String, List<Object>> rollups) {}

    private static Set<String> alertIdSet(Run run) {
        return run.alerts().stream().map(SecurityAlert::getAlertId).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<String, List<String>> perKey(List<ConsumerRecord<String, AuthEvent>> ordered) {
        Map<String, List<String>> byKey = new HashMap<>();
        ordered.forEach(r -> byKey.computeIfAbsent(r.key(), k -> new java.util.ArrayList<>())
                .add(r.value().getEventId()));
        return byKey;
    }

    /** End offsets of the output topics now: what a later run writes lies beyond them. */
    private Map<String, Map<Integer, Long>> ends() {
        Map<String, Map<Integer, Long>> ends = new HashMap<>();
        for (String topic : List.of(
                Topics.AUTH_EVENTS_ORDERED.name(),
                Topics.AUTH_PROFILES.name(),
                Topics.AUTH_SECURITY_ALERTS.name(),
                Topics.AUTH_ANALYTICS.name())) {
            Map<Integer, Long> byPartition = new HashMap<>();
            stack.consumeAll(topic, new org.apache.kafka.common.serialization.ByteArrayDeserializer())
                    .forEach(r -> byPartition.merge(r.partition(), r.offset() + 1, Math::max));
            ends.put(topic, byPartition);
        }
        return ends;
    }

    /** Records of {@code topic} at or after {@code from} (per partition; all when empty). */
    private <V> List<ConsumerRecord<String, V>> segment(String topic, Map<Integer, Long> from, Class<V> type) {
        Deserializer<V> deserializer = new AvroDeserializer<>(type, stack.serdeConfig());
        return stack.consumeAll(topic, deserializer).stream()
                .filter(r -> r.offset() >= from.getOrDefault(r.partition(), 0L))
                .toList();
    }

    private List<ConsumerRecord<String, AuthEvent>> ordered(Map<Integer, Long> from, String run) {
        return segment(Topics.AUTH_EVENTS_ORDERED.name(), from, AuthEvent.class).stream()
                .filter(r -> r.value().getEventId().startsWith(run + "-"))
                .toList();
    }

    private Map<String, UserProfile> profiles(Map<Integer, Long> from, String run) {
        Map<String, UserProfile> latest = new LinkedHashMap<>();
        segment(Topics.AUTH_PROFILES.name(), from, UserProfile.class).stream()
                .filter(r -> r.key().startsWith("auth0|" + run + "-"))
                .forEach(r -> latest.put(r.key(), r.value()));
        return latest;
    }

    private List<SecurityAlert> alerts(Map<Integer, Long> from, String run) {
        return segment(Topics.AUTH_SECURITY_ALERTS.name(), from, SecurityAlert.class).stream()
                .map(ConsumerRecord::value)
                .filter(a -> a.getUserId() != null && a.getUserId().startsWith("auth0|" + run + "-"))
                .toList();
    }

    /** The latest count, total and value of every rollup key. */
    private Map<String, List<Object>> rollups(Map<Integer, Long> from) {
        Map<String, List<Object>> latest = new HashMap<>();
        segment(Topics.AUTH_ANALYTICS.name(), from, AnalyticsRollup.class)
                .forEach(r -> latest.put(
                        r.key(),
                        java.util.Arrays.asList(
                                r.value().getCount(),
                                r.value().getTotal(),
                                r.value().getValue())));
        return latest;
    }

    /**
     * The Streams app in its own JVM, so that a kill is a real hard stop (SIGKILL: no shutdown
     * hook, no commit, no leaving the group); restarts append to the same log.
     */
    private static ChildJvm startStreamsApp(Map<String, String> env, Path log) throws Exception {
        return ChildJvm.start(StreamsMain.class, List.of("-Xmx512m"), env, log)
                .awaitOutput("health, metrics and analytics on ", Duration.ofSeconds(60));
    }
}
