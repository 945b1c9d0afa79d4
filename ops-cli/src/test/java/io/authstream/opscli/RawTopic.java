package io.authstream.opscli;

import io.authstream.schemas.Topics;
import io.authstream.teststack.TestStack;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;

/**
 * The shared stack's auth.events.raw, emptied after a class that wrote to it: the other classes of
 * this module read that topic from its beginning and count what they find there.
 */
final class RawTopic {

    private RawTopic() {}

    static void empty(TestStack stack) throws Exception {
        Admin admin = stack.admin();
        String raw = Topics.AUTH_EVENTS_RAW.name();
        int partitions = admin.describeTopics(java.util.List.of(raw))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(raw)
                .partitions()
                .size();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(raw, p), OffsetSpec.latest());
        }
        Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
        admin.listOffsets(latest)
                .all()
                .get(30, TimeUnit.SECONDS)
                .forEach((tp, info) -> delete.put(tp, RecordsToDelete.beforeOffset(info.offset())));
        admin.deleteRecords(delete).all().get(30, TimeUnit.SECONDS);
    }
}
