package io.authstream.connect.logs;

import io.authstream.schemas.deadletter.DeadLetterReason;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logs a task sent to the dead-letter topic, by reason code: the task's plugin metric
 * {@value #METRIC} tagged {@code reason} (Connect adds the connector and task tags; in JMX
 * {@code kafka.connect:type=plugins,connector=<name>,task=<n>,reason=<code>}). Every code is
 * registered at start, so a dashboard sees zeros rather than no series, and the tag's values are
 * the fixed set of {@link DeadLetterReason}s, whatever the records say.
 */
final class DeadLetterCount {

    static final String METRIC = "dead-letters-total";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterCount.class);

    private final Map<DeadLetterReason, LongAdder> counts = new EnumMap<>(DeadLetterReason.class);

    /** @param metrics the task's plugin metrics; null when the worker offers none */
    DeadLetterCount(PluginMetrics metrics) {
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            LongAdder count = new LongAdder();
            counts.put(reason, count);
            if (metrics != null) {
                LinkedHashMap<String, String> tags = new LinkedHashMap<>();
                tags.put("reason", reason.code());
                metrics.addMetric(
                        metrics.metricName(
                                METRIC, "Auth0 log records sent to the dead-letter topic, by reason code", tags),
                        (Measurable) (config, now) -> count.sum());
            }
        }
    }

    /** The task's plugin metrics, or null on a worker older than Kafka 4.1 (KIP-877), which has none. */
    static PluginMetrics of(org.apache.kafka.connect.source.SourceTaskContext context) {
        try {
            return context.pluginMetrics();
        } catch (LinkageError | UnsupportedOperationException olderWorker) {
            LOG.info("this Connect worker offers no plugin metrics; dead letters are only logged");
            return null;
        }
    }

    void add(DeadLetterReason reason) {
        counts.get(reason).increment();
    }
}
