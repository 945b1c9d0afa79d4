package io.authstream.streams.analytics;

import java.time.Duration;
import java.util.Locale;

/** Window sizes of the counted metrics, and how long their windows stay queryable. */
public enum Granularity {
    HOUR(Duration.ofHours(1), Duration.ofDays(7)),
    DAY(Duration.ofDays(1), Duration.ofDays(90));

    private final Duration size;
    private final Duration retention;

    Granularity(Duration size, Duration retention) {
        this.size = size;
        this.retention = retention;
    }

    public Duration size() {
        return size;
    }

    public Duration retention() {
        return retention;
    }

    /**
     * How late (event time) an event may still change a window: as long as the window is within
     * its store's retention, so a backfill (a month of history pulled through the logs source
     * after live traffic) counts as the same events sent in order would.
     */
    public Duration grace() {
        return retention.minus(size);
    }

    /** {@code hour} / {@code day}, as on the rollups and in the HTTP API. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The window store of the counted metrics at this granularity. */
    public String storeName() {
        return "analytics-counts-" + label();
    }
}
