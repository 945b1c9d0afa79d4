package io.authstream.connect.mail;

import java.util.LinkedHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a task did with the notifications, as its plugin metric {@value #METRIC} tagged
 * {@code outcome} (JMX {@code kafka.connect:type=plugins,connector=<name>,task=<n>,outcome=<o>}):
 * {@code sent}; {@code retried} (a transient failure, the batch redelivered); {@code dead-lettered}
 * (refused by the server, or no address); {@code already-sent} (passed over: on the sent topic);
 * {@code other-kind}. Every outcome is registered at start, so a dashboard sees zeros.
 */
final class MailCounts {

    static final String METRIC = "notifications-total";

    private static final Logger LOG = LoggerFactory.getLogger(MailCounts.class);

    final LongAdder sent = new LongAdder();
    final LongAdder retried = new LongAdder();
    final LongAdder deadLettered = new LongAdder();
    final LongAdder alreadySent = new LongAdder();
    final LongAdder otherKind = new LongAdder();

    MailCounts(PluginMetrics metrics) {
        if (metrics == null) {
            return;
        }
        register(metrics, "sent", sent);
        register(metrics, "retried", retried);
        register(metrics, "dead-lettered", deadLettered);
        register(metrics, "already-sent", alreadySent);
        register(metrics, "other-kind", otherKind);
    }

    private static void register(PluginMetrics metrics, String outcome, LongAdder count) {
        LinkedHashMap<String, String> tags = new LinkedHashMap<>();
        tags.put("outcome", outcome);
        metrics.addMetric(
                metrics.metricName(METRIC, "Notifications of the welcome-mail sink, by outcome", tags),
                (Measurable) (config, now) -> count.sum());
    }

    /** The task's plugin metrics, or null on a worker older than Kafka 4.1 (KIP-877), which has none. */
    static PluginMetrics of(SinkTaskContext context) {
        try {
            return context.pluginMetrics();
        } catch (LinkageError | UnsupportedOperationException olderWorker) {
            LOG.info("this Connect worker offers no plugin metrics; the mail counts are only logged");
            return null;
        }
    }

    @Override
    public String toString() {
        return "sent " + sent.sum() + ", retried " + retried.sum() + ", dead-lettered " + deadLettered.sum()
                + ", already sent " + alreadySent.sum() + ", other kinds " + otherKind.sum();
    }
}
