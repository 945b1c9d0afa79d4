package io.authstream.streams.http.dashboard;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Each stage's lag: every consumer group of the cluster (the Streams app's application id, the
 * Connect sinks' {@code connect-*} groups, ...) with how far its committed offsets are behind each
 * topic's last committed record.
 */
final class ConsumerLags {

    private static final long TIMEOUT_SECONDS = 5;

    /** One group: its summed lag, and per topic. {@code problem} when its offsets could not be read. */
    record Stage(String group, String type, long lag, Map<String, Long> byTopic, String problem) {}

    private final Admin admin;

    ConsumerLags(Admin admin) {
        this.admin = admin;
    }

    List<Stage> read() throws InterruptedException, ExecutionException, TimeoutException {
        Collection<GroupListing> groups = admin.listGroups().all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<Stage> stages = new ArrayList<>();
        for (GroupListing group : groups) {
            String type = group.type().map(Enum::name).orElse("UNKNOWN").toLowerCase(java.util.Locale.ROOT);
            try {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.groupId())
                        .partitionsToOffsetAndMetadata()
                        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                stages.add(stage(group.groupId(), type, committed));
            } catch (ExecutionException e) {
                stages.add(new Stage(
                        group.groupId(),
                        type,
                        0,
                        Map.of(),
                        "offsets not readable: " + e.getCause().getClass().getSimpleName()));
            }
        }
        stages.sort(Comparator.comparing(Stage::group));
        return stages;
    }

    private Stage stage(String group, String type, Map<TopicPartition, OffsetAndMetadata> committed)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        committed.forEach((partition, offset) -> {
            if (offset != null) {
                latest.put(partition, OffsetSpec.latest());
            }
        });
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = latest.isEmpty()
                ? Map.of()
                : admin.listOffsets(
                                latest,
                                new org.apache.kafka.clients.admin.ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                        .all()
                        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<String, Long> byTopic = new TreeMap<>();
        long lag = 0;
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end : ends.entrySet()) {
            long behind = Math.max(
                    0, end.getValue().offset() - committed.get(end.getKey()).offset());
            byTopic.merge(end.getKey().topic(), behind, Long::sum);
            lag += behind;
        }
        return new Stage(group, type, lag, byTopic, null);
    }
}
