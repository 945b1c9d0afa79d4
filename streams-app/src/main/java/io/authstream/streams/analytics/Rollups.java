package io.authstream.streams.analytics;

import io.authstream.schemas.avro.AnalyticsRollup;
import java.time.Instant;

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

    /** Key on the compacted topic: one record per metric, granularity, window and dimension. */
    public static String key(AnalyticsRollup rollup) {
        return rollup.getMetric() + "|" + rollup.getGranularity() + "|" + rollup.getWindowStart() + "|"
                + (rollup.getDimension() == null ? "" : rollup.getDimension());
    }
}
