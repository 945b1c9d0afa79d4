package io.authstream.opscli;

import io.authstream.schemas.Topics;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code replay}: the Streams app rebuilds the derived topics from {@code auth.events.raw} under a
 * new application id, whose consumer group is created here with its offsets on the raw topic at
 * the chosen start. A new id rather than a reset of the old group: the old id's state stores and
 * internal topics (the dedup store among them, which would drop every replayed event as seen)
 * stay as they are, and going back is starting the app with the old id again.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Rebuilds the derived topics from auth.events.raw: creates the consumer group of a new Streams "
                    + "application id (<id>-replay-<UTC time>) with its offsets on auth.events.raw at --since "
                    + "(or the beginning); start the Streams app with STREAMS_APPLICATION_ID set to it.",
            "Refuses while the current application id's group has active members (stop the Streams app first).",
            "The derived topics get the replayed results again (compacted ones converge; consumers of the others "
                    + "see them twice); the Users sink upserts, so DynamoDB profiles are rewritten idempotently.",
            "--follow prints progress on stderr (records consumed of total, rate, ETA) until the group reaches the "
                    + "end offsets taken at the start."
        })
final class Replay implements Callable<Integer> {

    private static final DateTimeFormatter SUFFIX =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final long TIMEOUT_S = 30;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    Connection connection;

    @Option(
            names = "--since",
            paramLabel = "TIME",
            description = "Replay the raw events written at or after TIME: 15m, 2h, 7d, 2026-12-02T13:00:00Z.")
    Instant since;

    @Option(names = "--from-beginning", description = "Replay everything auth.events.raw still holds.")
    boolean fromBeginning;

    @Option(
            names = "--application-id",
            paramLabel = "ID",
            defaultValue = "${env:STREAMS_APPLICATION_ID:-authstream-streams}",
            description = "The Streams app's current application id (default: $STREAMS_APPLICATION_ID, "
                    + "else ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(
            names = "--new-application-id",
            paramLabel = "ID",
            description = "The id to replay under (default: <application-id>-replay-<UTC time>).")
    String newApplicationId;

    @Option(names = "--dry-run", description = "Check and count, create nothing.")
    boolean dryRun;

    @Option(
            names = "--follow",
            description = "Then print progress until the new group has consumed what was there at the start.")
    boolean follow;

    @Option(
            names = "--progress-interval-ms",
            paramLabel = "MS",
            defaultValue = "5000",
            description = "Between progress lines with --follow (default ${DEFAULT-VALUE}).")
    long progressIntervalMs;

    private final Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws Exception {
        if (fromBeginning == (since != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --since TIME or --from-beginning");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String raw = Topics.AUTH_EVENTS_RAW.name();
        String target = newApplicationId != null
                ? newApplicationId
                : applicationId + "-replay-" + SUFFIX.format(clock.instant());
        Duration interval = Duration.ofMillis(progressIntervalMs);
        try (Admin admin = Admin.create(connection.client())) {
            int active = activeMembers(admin, applicationId);
            if (active > 0) {
                err.println("authstream: the Streams app's group " + applicationId + " has " + active
                        + " active member(s): stop every Streams app instance first, then replay");
                return 1;
            }
            if (activeMembers(admin, target) > 0 || hasOffsets(admin, target)) {
                err.println("authstream: the group " + target + " exists already: give another --new-application-id");
                return 1;
            }
            List<TopicPartition> partitions = admin
                    .describeTopics(List.of(raw))
                    .allTopicNames()
                    .get(TIMEOUT_S, TimeUnit.SECONDS)
                    .get(raw)
                    .partitions()
                    .stream()
                    .map(p -> new TopicPartition(raw, p.partition()))
                    .toList();
            Map<TopicPartition, Long> ends = offsets(admin, partitions, OffsetSpec.latest());
            Map<TopicPartition, Long> starts = since == null
                    ? offsets(admin, partitions, OffsetSpec.earliest())
                    : offsets(admin, partitions, OffsetSpec.forTimestamp(since.toEpochMilli()));
            // No record at or after --since in a partition: it starts at its end.
            starts.replaceAll((tp, offset) -> offset < 0 ? ends.get(tp) : offset);
            long total = partitions.stream()
                    .mapToLong(tp -> ends.get(tp) - starts.get(tp))
                    .sum();
            out.println("replay of " + raw + (since == null ? " from the beginning" : " since " + since) + ": " + total
                    + " record(s) in " + partitions.size() + " partition(s) (up to now; what arrives later follows)");
            if (dryRun) {
                out.println("dry run, nothing created. Would create the group " + target + " at offsets "
                        + describe(starts));
                return 0;
            }
            Map<TopicPartition, OffsetAndMetadata> commit = starts.entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue())));
            admin.alterConsumerGroupOffsets(target, commit).all().get(TIMEOUT_S, TimeUnit.SECONDS);
            out.println("created the consumer group " + target + " at offsets " + describe(starts));
            out.println("next: start the Streams app with STREAMS_APPLICATION_ID=" + target
                    + " (e.g. STREAMS_APPLICATION_ID=" + target + " bin/local-stack); its other inputs "
                    + "(auth.rules) are read from the beginning, as on a first start.");
            out.println("derived topics: the replayed events' results are written to them again; compacted topics "
                    + "converge, consumers of the others see those results a second time.");
            out.println("DynamoDB: the Users sink upserts, so the replayed profiles are rewritten idempotently "
                    + "(an older event does not overwrite a newer profile).");
            out.println("afterwards: the old group " + applicationId + " and its internal topics ("
                    + applicationId + "-*) can be deleted (kafka-streams-application-reset, kafka-consumer-groups "
                    + "--delete); to go back, start the app with STREAMS_APPLICATION_ID=" + applicationId + ".");
            out.flush();
            if (follow) {
                follow(admin, target, starts, ends, total, interval, err);
            }
        }
        return 0;
    }

    private void follow(
            Admin admin,
            String group,
            Map<TopicPartition, Long> starts,
            Map<TopicPartition, Long> ends,
            long total,
            Duration interval,
            PrintWriter err)
            throws Exception {
        ReplayProgress progress = new ReplayProgress(total, clock.instant());
        while (true) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(TIMEOUT_S, TimeUnit.SECONDS);
            long consumed = 0;
            for (Map.Entry<TopicPartition, Long> start : starts.entrySet()) {
                OffsetAndMetadata at = committed.get(start.getKey());
                long offset = at == null ? start.getValue() : at.offset();
                consumed += Math.max(0, Math.min(offset, ends.get(start.getKey())) - start.getValue());
            }
            err.println(progress.line(consumed, clock.instant()));
            err.flush();
            if (consumed >= total) {
                return;
            }
            Thread.sleep(interval.toMillis());
        }
    }

    /** Members of the group now; 0 when it has none or does not exist. */
    static int activeMembers(Admin admin, String group) throws Exception {
        try {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group))
                    .describedGroups()
                    .get(group)
                    .get(TIMEOUT_S, TimeUnit.SECONDS);
            if (description.groupState() == GroupState.DEAD) {
                return 0;
            }
            return description.members().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return 0;
            }
            throw e;
        }
    }

    private static boolean hasOffsets(Admin admin, String group) throws Exception {
        try {
            return !admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(TIMEOUT_S, TimeUnit.SECONDS)
                    .isEmpty();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return false;
            }
            throw e;
        }
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> answer =
                admin.listOffsets(request).all().get(TIMEOUT_S, TimeUnit.SECONDS);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        answer.forEach((tp, info) -> offsets.put(tp, info.offset()));
        return offsets;
    }

    private static String describe(Map<TopicPartition, Long> offsets) {
        return offsets.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparingInt(TopicPartition::partition)))
                .map(e -> e.getKey().partition() + ":" + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
