package io.authstream.streams.analytics;

import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Topic configs of the analytics window stores' changelogs. Kafka Streams makes them
 * {@code compact,delete} with the store's retention, and writes each record with its window's
 * event time: the broker then deleted the records of backfilled windows (event times older than
 * the retention) at its next retention check, and a task that moved to another instance, or
 * restored after a crash, came back without those windows (seen: sign-ins of a 2025 day gone after
 * a second instance joined, the changelogs' first offsets moved past them). Stamped with their
 * append time, records are kept the retention counted from when they were written, as on the
 * catalogue's topics.
 *
 * <p>The price: a restored window's timestamp (its rollup's {@code updatedAt}) is when its value
 * was last written, not the event time of its latest event; live windows differ by the commit
 * interval, backfilled ones by how long ago they happened.
 */
public final class WindowChangelogs {

    public static final Map<String, String> CONFIG = Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");

    private WindowChangelogs() {}
}
