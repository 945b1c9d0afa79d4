package io.authstream.connect.logs;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.PluginMetrics;

/**
 * When the task last read a log from the tenant, as its plugin metric {@value #METRIC} (epoch
 * seconds; the task's start until the first, so that a tenant silent since then shows as silent):
 * the logs source's counterpart of the gateway's {@code authstream_gateway_last_event_timestamp_seconds}.
 */
final class LastLogTime {

    static final String METRIC = "auth0-last-log-timestamp-seconds";

    private final AtomicLong millis;

    /** @param metrics the task's plugin metrics; null when the worker offers none */
    LastLogTime(PluginMetrics metrics, Instant start) {
        millis = new AtomicLong(start.toEpochMilli());
        if (metrics != null) {
            metrics.addMetric(
                    metrics.metricName(
                            METRIC,
                            "When the task last read a log from the tenant (epoch seconds); its start until the first",
                            new LinkedHashMap<>()),
                    (Measurable) (config, now) -> millis.get() / 1000.0);
        }
    }

    void read(Instant at) {
        millis.accumulateAndGet(at.toEpochMilli(), Math::max);
    }

    Instant last() {
        return Instant.ofEpochMilli(millis.get());
    }
}
