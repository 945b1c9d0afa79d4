package io.authstream.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.yammer.metrics.core.Histogram;
import com.yammer.metrics.core.Metric;
import com.yammer.metrics.core.MetricName;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.regex.Pattern;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.apache.kafka.server.metrics.KafkaYammerMetrics;

/**
 * The broker's side of a scenario's ack latency. The embedded broker runs in the bench's own JVM,
 * so its request metrics and this JVM's GC pauses can be read directly: where a produce request
 * spent its time in the broker (means over the scenario, from the histograms' counts and sums,
 * which are exact where their percentiles are not: those decay over minutes, not per scenario),
 * and the pauses of the JVM that hosts it.
 */
final class BrokerSide implements AutoCloseable {

    /** The parts of a produce request's time in the broker, as Kafka's RequestMetrics name them. */
    private static final List<String> PARTS = List.of(
            "TotalTimeMs",
            "RequestQueueTimeMs",
            "LocalTimeMs",
            "RemoteTimeMs",
            "ResponseQueueTimeMs",
            "ResponseSendTimeMs");

    private static final Pattern PRODUCE = Pattern.compile("[,:]request=Produce(,|$)");

    private final AtomicLong pauses = new AtomicLong();
    private final DoubleAdder pauseMs = new DoubleAdder();
    private final AtomicLong longestPauseMs = new AtomicLong();
    private final List<Runnable> unsubscribe = new ArrayList<>();

    BrokerSide() {
        NotificationListener listener = (notification, handback) -> {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                return;
            }
            GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            // G1's concurrent cycle reports its length too; only the pauses stop the broker.
            if (info.getGcAction().contains("end of") && !info.getGcName().contains("Concurrent")) {
                long ms = info.getGcInfo().getDuration();
                pauses.incrementAndGet();
                pauseMs.add(ms);
                longestPauseMs.accumulateAndGet(ms, Math::max);
            }
        };
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                unsubscribe.add(() -> {
                    try {
                        emitter.removeNotificationListener(listener);
                    } catch (Exception e) {
                        // already gone
                    }
                });
            }
        }
    }

    /** What the broker's metrics and this JVM's collector say now; {@link Window#since} gives a scenario's share. */
    Window now() {
        Map<String, double[]> parts = new LinkedHashMap<>();
        for (Map.Entry<MetricName, Metric> metric :
                KafkaYammerMetrics.defaultRegistry().allMetrics().entrySet()) {
            MetricName name = metric.getKey();
            if ("kafka.network".equals(name.getGroup())
                    && "RequestMetrics".equals(name.getType())
                    && PARTS.contains(name.getName())
                    && PRODUCE.matcher(name.getMBeanName()).find()
                    && metric.getValue() instanceof Histogram histogram) {
                parts.put(name.getName(), new double[] {histogram.count(), histogram.sum()});
            }
        }
        return new Window(parts, pauses.get(), pauseMs.sum(), longestPauseMs.getAndSet(0));
    }

    /** The counters at one moment. */
    record Window(Map<String, double[]> parts, long pauses, double pauseMs, long longestPauseMsSinceLast) {

        /** The scenario between {@code before} and this: one line for the report. */
        String since(Window before) {
            double[] total = parts.getOrDefault("TotalTimeMs", new double[2]);
            double[] totalBefore = before.parts.getOrDefault("TotalTimeMs", new double[2]);
            long requests = (long) (total[0] - totalBefore[0]);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "broker: %d produce requests", requests));
            if (requests > 0) {
                line.append(", mean ms");
                for (String part : PARTS) {
                    double[] now = parts.getOrDefault(part, new double[2]);
                    double[] then = before.parts.getOrDefault(part, new double[2]);
                    double count = now[0] - then[0];
                    line.append(String.format(
                            Locale.ROOT,
                            " %s %.2f",
                            part.replace("TimeMs", "").replace("Ms", ""),
                            count == 0 ? 0 : (now[1] - then[1]) / count));
                }
            }
            line.append(String.format(
                    Locale.ROOT,
                    "; its JVM (broker, registry, DynamoDB Local, bench): %d GC pauses, %.0f ms in all, longest %d ms (ms resolution)",
                    pauses - before.pauses,
                    pauseMs - before.pauseMs,
                    longestPauseMsSinceLast));
            return line.toString();
        }
    }

    @Override
    public void close() {
        unsubscribe.forEach(Runnable::run);
    }
}
