package io.authstream.connectmetrics;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.stats.CumulativeSum;

/**
 * Kafka metrics in the Prometheus text exposition format (0.0.4).
 *
 * <p>A metric {@code <name>} of group {@code <group>} with tags {@code k=v} becomes
 * {@code kafka_connect_<group>_<name>{k="v"}}: the group without its {@code connect-} prefix and
 * {@code -metrics} suffix, every character but letters, digits and {@code _} as {@code _}, all in
 * lower case. So {@code connect-worker-metrics / connector-count} is
 * {@code kafka_connect_worker_connector_count}, {@code sink-task-metrics / sink-record-read-total
 * {connector, task}} is {@code kafka_connect_sink_task_sink_record_read_total{connector="...",task="0"}},
 * {@code consumer-fetch-manager-metrics / records-lag-max {client-id}} is
 * {@code kafka_connect_consumer_fetch_manager_records_lag_max{client_id="..."}}, and a task's own
 * plugin metric (KIP-877, group {@code plugins}) {@code kafka_connect_plugins_<name>}.
 *
 * <p>A name ending in {@code -total}, or a cumulative sum or count, is a counter; every other
 * numeric metric a gauge. Metrics whose value is not a number (versions, states as text) are left
 * out. Two metrics that map to the same name and labels (possible only across clients of the same
 * id) are written once.
 */
final class PrometheusText {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final String PREFIX = "kafka_connect_";

    private PrometheusText() {}

    /** The Prometheus name of {@code name}. */
    static String name(MetricName name) {
        String group = name.group();
        if (group.endsWith("-metrics")) {
            group = group.substring(0, group.length() - "-metrics".length());
        }
        if (group.startsWith("connect-")) {
            group = group.substring("connect-".length());
        }
        return PREFIX + sanitize(group) + "_" + sanitize(name.name());
    }

    /** Lower case, and every character that may not appear in a Prometheus name as {@code _}. */
    static String sanitize(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
            out.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ? c : '_');
        }
        if (out.length() == 0 || Character.isDigit(out.charAt(0))) {
            out.insert(0, '_');
        }
        return out.toString();
    }

    /** The scrape: every numeric metric of {@code metrics}, grouped by name, names and labels sorted. */
    static String render(Collection<KafkaMetric> metrics) {
        Map<String, Family> families = new TreeMap<>();
        for (KafkaMetric metric : metrics) {
            Object value;
            try {
                value = metric.metricValue();
            } catch (RuntimeException e) {
                // A value supplier that fails (a closing client) costs its own sample, not the scrape.
                continue;
            }
            if (!(value instanceof Number number)) {
                continue;
            }
            MetricName name = metric.metricName();
            Family family = families.computeIfAbsent(
                    name(name), n -> new Family(n, name.description(), counter(metric) ? "counter" : "gauge"));
            family.samples.put(labels(name.tags()), number.doubleValue());
        }
        StringBuilder out = new StringBuilder();
        for (Family family : families.values()) {
            if (!family.help.isBlank()) {
                out.append("# HELP ")
                        .append(family.name)
                        .append(' ')
                        .append(family.help.replace("\\", "\\\\").replace("\n", "\\n"))
                        .append('\n');
            }
            out.append("# TYPE ")
                    .append(family.name)
                    .append(' ')
                    .append(family.type)
                    .append('\n');
            family.samples.forEach((labels, value) -> out.append(family.name)
                    .append(labels)
                    .append(' ')
                    .append(value(value))
                    .append('\n'));
        }
        return out.toString();
    }

    private static boolean counter(KafkaMetric metric) {
        if (metric.metricName().name().endsWith("-total")) {
            return true;
        }
        try {
            Measurable measurable = metric.measurable();
            return measurable instanceof CumulativeSum;
        } catch (IllegalStateException notMeasurable) {
            // A gauge (a value supplier), not a stat.
            return false;
        }
    }

    /** {@code {a="1",b="2"}} by label name, or nothing without tags. */
    static String labels(Map<String, String> tags) {
        if (tags.isEmpty()) {
            return "";
        }
        Map<String, String> sorted = new TreeMap<>();
        tags.forEach((key, value) -> sorted.put(sanitize(key), value == null ? "" : value));
        StringBuilder out = new StringBuilder("{");
        sorted.forEach((key, value) -> {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(key).append("=\"").append(escape(value)).append('"');
        });
        return out.append('}').toString();
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String value(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    private static final class Family {
        final String name;
        final String help;
        final String type;
        final Map<String, Double> samples = new TreeMap<>();

        Family(String name, String help, String type) {
            this.name = name;
            this.help = help == null ? "" : help;
            this.type = type;
        }
    }
}
