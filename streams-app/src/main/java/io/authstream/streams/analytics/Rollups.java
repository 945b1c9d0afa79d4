package io.authstream.streams.analytics;

import io.authstream.schemas.avro.AnalyticsRollup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStoreIterator;

/** Builds the {@link AnalyticsRollup} records of {@code auth.analytics} and their keys. */
public final class Rollups {

    private Rollups() {}

    /** A counted metric's window, from its {@code metric|dimension} key and tally. */
    public static AnalyticsRollup counted(
            String metricKey, String granularity, long start, long end, Tally tally, long updatedAt) {
        int bar = metricKey.indexOf('|');
        String dimension = metricKey.substring(bar + 1);
        return AnalyticsRollup.newBuilder()
                .setMetric(metricKey.substring(0, bar))
                .setGranularity(granularity)
                .setWindowStart(Instant.ofEpochMilli(start))
                .setWindowEnd(Instant.ofEpochMilli(end))
                .setDimension(dimension.isEmpty() ? null : dimension)
                .setCount(tally.count())
                .setTotal(tally.isRate() ? tally.total() : null)
                .setValue(tally.isRate() ? (double) tally.count() / tally.total() : tally.count())
                .setRelativeError(null)
                .setUpdatedAt(Instant.ofEpochMilli(updatedAt))
                .build();
    }

    /** For the HTTP API: the rollups of a counted metric's windows starting in [from, to]. */
    public static List<AnalyticsRollup> query(
            ReadOnlyWindowStore<String, ValueAndTimestamp<Tally>> store,
            Granularity granularity,
            String metricKey,
            Instant from,
            Instant to) {
        List<AnalyticsRollup> rollups = new ArrayList<>();
        try (WindowStoreIterator<ValueAndTimestamp<Tally>> windows = store.fetch(metricKey, from, to)) {
            windows.forEachRemaining(window -> rollups.add(counted(
                    metricKey,
                    granularity.label(),
                    window.key,
                    window.key + granularity.size().toMillis(),
                    window.value.value(),
                    window.value.timestamp())));
        }
        return rollups;
    }

    /** Key on the compacted topic: one record per metric, granularity, window and dimension. */
    public static String key(AnalyticsRollup rollup) {
        return rollup.getMetric() + "|" + rollup.getGranularity() + "|" + rollup.getWindowStart() + "|"
                + (rollup.getDimension() == null ? "" : rollup.getDimension());
    }
}
