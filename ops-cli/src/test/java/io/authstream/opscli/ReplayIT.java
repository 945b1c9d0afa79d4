package io.authstream.opscli;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.serde.AvroDeserializer;
import io.authstream.schemas.serde.AvroSerializer;
import io.authstream.schemas.testing.SampleEvents;
import io.authstream.streams.StreamsApp;
import io.authstream.streams.StreamsAppConfig;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code replay} on the real broker: the new application id's group is created at the raw topic's
 * offsets of {@code --since} (or its beginning), nothing is created on a dry run or while the old
 * group has members, and {@code --follow} reports the group's progress to the end it took at the
 * start: once with the real Streams app started under the new id (it rebuilds auth.events.ordered
 * from --since, and nothing written before), once with a consumer of that group committing in two
 * steps, so the progress lines in between can be checked.
 */
@ExtendWith(StackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayIT {

    private static final String RAW = Topics.AUTH_EVENTS_RAW.name();
    private static final int EVENTS = 30;

    private final TestStack stack;
    private final String app = "replay-it-" + UUID.randomUUID().toString().substring(0, 8);
    private final String user = "auth0|" + app;
    private Instant since;
    private Map<TopicPartition, Long> before;
    private Map<TopicPartition, Long> after;

    ReplayIT(TestStack stack) {
        this.stack = stack;
    }

    @BeforeAll
    void writeEvents() throws Exception {
        stack.createTopics(Topics.ALL, 3);
        AuthEvent old = SampleEvents.full();
        old.setEventId(app + "-old");
        old.setUserId(user);
        stack.produce(RAW, new AvroSerializer<>(stack.serdeConfig(), false), List.of(old));
        Thread.sleep(5);
        before = offsets(OffsetSpec.latest());
        since = Instant.now();
        Thread.sleep(5);
        List<AuthEvent> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            AuthEvent event = SampleEvents.full();
            event.setEventId(app + "-" + i);
            event.setUserId(user);
            events.add(event);
        }
        stack.produce(RAW, new AvroSerializer<>(stack.serdeConfig(), false), events);
        after = offsets(OffsetSpec.latest());
        assertThat(total(before, after)).isEqualTo(EVENTS);
    }

    @AfterAll
    void emptyTheRawTopic() throws Exception {
        RawTopic.empty(stack);
    }

    private record Run(int status, String out, String err) {}

    private Run replay(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("replay"));
        all.addAll(List.of(args));
        all.addAll(List.of("--bootstrap-servers", stack.bootstrapServers()));
        int status = AuthstreamCommand.execute(
                new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Run(status, out.toString(), err.toString());
    }

    private Map<TopicPartition, Long> offsets(OffsetSpec spec) throws Exception {
        Admin admin = stack.admin();
        int partitions = admin.describeTopics(List.of(RAW))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(RAW)
                .partitions()
                .size();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(RAW, p), spec);
        }
        return admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private Map<TopicPartition, Long> committed(String group) throws Exception {
        return stack
                .admin()
                .listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS)
                .entrySet()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private boolean groupExists(String group) throws Exception {
        return stack.admin().listGroups().all().get(30, TimeUnit.SECONDS).stream()
                .anyMatch(listing -> listing.groupId().equals(group));
    }

    private static long total(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
        return to.entrySet().stream()
                .mapToLong(e -> e.getValue() - from.get(e.getKey()))
                .sum();
    }

    private KafkaConsumer<byte[], byte[]> consumer(String group) {
        Map<String, Object> config = stack.clientConfig();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Test
    void aDryRunCountsWhatWouldBeReplayedAndCreatesNothing() throws Exception {
        String target = app + "-dry";
        Run run = replay(
                "--since", since.toString(), "--application-id", app, "--new-application-id", target, "--dry-run");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out())
                .contains(": " + EVENTS + " record(s) in " + after.size() + " partition(s)")
                .contains("dry run, nothing created");
        assertThat(groupExists(target)).isFalse();
    }

    @Test
    void theNewGroupStartsAtTheRawTopicsOffsetsOfSince() throws Exception {
        Run run = replay("--since", since.toString(), "--application-id", app);

        assertThat(run.status()).as(run.err()).isZero();
        String target = run.out().replaceAll("(?s).*created the consumer group (\\S+) .*", "$1");
        assertThat(target).startsWith(app + "-replay-");
        assertThat(committed(target)).isEqualTo(before);
        assertThat(run.out())
                .contains("STREAMS_APPLICATION_ID=" + target)
                .contains("DynamoDB: the Users sink upserts")
                .contains("derived topics");

        Run again = replay("--since", since.toString(), "--application-id", app, "--new-application-id", target);
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err()).contains("the group " + target + " exists already");
    }

    @Test
    void fromTheBeginningStartsAtTheFirstOffsetKept() throws Exception {
        String target = app + "-all";
        Run run = replay("--from-beginning", "--application-id", app, "--new-application-id", target);

        assertThat(run.status()).as(run.err()).isZero();
        Map<TopicPartition, Long> earliest = offsets(OffsetSpec.earliest());
        assertThat(committed(target)).isEqualTo(earliest);
        assertThat(run.out()).contains(": " + total(earliest, offsets(OffsetSpec.latest())) + " record(s)");
    }

    @Test
    void anOldGroupWithActiveMembersIsRefused() throws Exception {
        String old = app + "-running";
        try (KafkaConsumer<byte[], byte[]> running = consumer(old)) {
            running.subscribe(List.of(RAW));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (running.assignment().isEmpty() && System.nanoTime() < deadline) {
                running.poll(Duration.ofMillis(200));
            }
            assertThat(running.assignment()).isNotEmpty();

            Run run = replay("--since", "1h", "--application-id", old, "--new-application-id", old + "-new");

            assertThat(run.status()).isEqualTo(1);
            assertThat(run.err()).contains("has 1 active member(s)").contains("stop every Streams app instance");
            assertThat(groupExists(old + "-new")).isFalse();
        }
    }

    @Test
    void followReportsTheGroupsProgressUntilItReachesTheEndTakenAtTheStart() throws Exception {
        String target = app + "-follow";
        CompletableFuture<Run> following = CompletableFuture.supplyAsync(() -> replay(
                "--since",
                since.toString(),
                "--application-id",
                app,
                "--new-application-id",
                target,
                "--follow",
                "--progress-interval-ms",
                "200"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!groupExists(target) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(following).isNotDone();
        // The group's consumer commits in two steps, with a pause between: a third of the way, then to the end.
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(target)) {
            consumer.assign(after.keySet());
            Map<TopicPartition, OffsetAndMetadata> part = new HashMap<>();
            long partial = 0;
            for (TopicPartition tp : after.keySet()) {
                long step = (after.get(tp) - before.get(tp)) / 3;
                partial += step;
                part.put(tp, new OffsetAndMetadata(before.get(tp) + step));
            }
            consumer.commitSync(part);
            Thread.sleep(1_000);
            assertThat(following).isNotDone();
            Map<TopicPartition, OffsetAndMetadata> all = new HashMap<>();
            after.forEach((tp, end) -> all.put(tp, new OffsetAndMetadata(end)));
            consumer.commitSync(all);

            Run run = following.get(30, TimeUnit.SECONDS);
            assertThat(run.status()).as(run.err()).isZero();
            assertThat(run.err())
                    .contains("replay: 0 of " + EVENTS + " record(s) consumed (0%)")
                    .contains("replay: " + partial + " of " + EVENTS + " record(s) consumed (" + partial * 100 / EVENTS
                            + "%)")
                    .containsPattern("records/s, ETA \\d+[smh]")
                    .contains("replay: " + EVENTS + " of " + EVENTS + " record(s) consumed (100%)")
                    .contains("done");
        }
    }

    @Test
    void theStreamsAppStartedUnderTheNewIdRebuildsTheOrderedTopicFromSince() throws Exception {
        String target = app + "-streams";
        CompletableFuture<Run> following = CompletableFuture.supplyAsync(() -> replay(
                "--since",
                since.toString(),
                "--application-id",
                app,
                "--new-application-id",
                target,
                "--follow",
                "--progress-interval-ms",
                "200"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!groupExists(target) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
        env.put("SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl());
        env.put("GEOIP_DATABASE", System.getProperty("authstream.geoip.database"));
        env.put("STREAMS_APPLICATION_ID", target);
        env.put("STREAMS_STATE_DIR", Files.createTempDirectory("replay-it").toString());
        env.put("REORDER_GRACE_MS", "1000");
        env.put("REORDER_PUNCTUATE_MS", "200");
        env.put("KAFKA_STREAMS_COMMIT_INTERVAL_MS", "100");
        env.put("STREAMS_HTTP_PORT", "0");
        try (StreamsApp streams = StreamsApp.start(StreamsAppConfig.fromEnvironment(env))) {
            assertThat(streams.httpUrl()).startsWith("http://127.0.0.1:");
            Run run = following.get(90, TimeUnit.SECONDS);
            assertThat(run.status()).as(run.err()).isZero();
            assertThat(run.err()).contains("replay: " + EVENTS + " of " + EVENTS + " record(s) consumed (100%)");

            List<String> ordered = new ArrayList<>();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (ordered.size() < EVENTS && System.nanoTime() < until) {
                ordered = stack
                        .consumeAll(
                                Topics.AUTH_EVENTS_ORDERED.name(),
                                new AvroDeserializer<>(AuthEvent.class, stack.serdeConfig()))
                        .stream()
                        .filter(r -> user.equals(r.value().getUserId()))
                        .map(r -> r.value().getEventId())
                        .toList();
                Thread.sleep(200);
            }
            // What was written before --since is not replayed; everything after it is, once.
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                expected.add(app + "-" + i);
            }
            assertThat(ordered).containsExactlyInAnyOrderElementsOf(expected);
        }
    }
}
