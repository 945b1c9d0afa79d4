package io.authstream.connectmetrics;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;

/**
 * Serves the Kafka metrics of what loads it in Prometheus text format on
 * {@code GET http://<authstream.metrics.prometheus.host>:<authstream.metrics.prometheus.port>/metrics}
 * (names: {@link PrometheusText}). Made for a Kafka Connect worker: in its config
 * ({@link #workerConfig}),
 *
 * <pre>
 * metric.reporters=org.apache.kafka.common.metrics.JmxReporter,io.authstream.connectmetrics.PrometheusMetricsReporter
 * authstream.metrics.prometheus.port=9404
 * consumer.metric.reporters=io.authstream.connectmetrics.PrometheusMetricsReporter
 * consumer.authstream.metrics.prometheus.port=9404
 * </pre>
 *
 * serves the worker's metrics (workers, rebalances, every connector and task, their errors and
 * dead letters, the tasks' plugin metrics) and, through the second pair, the sink tasks'
 * consumers' (lag, fetch rates): every reporter of the JVM on the same address shares one
 * endpoint. The jar goes on the worker's class path (not {@code plugin.path}: Connect does not load
 * metrics reporters from plugins). Bad settings or a port that cannot be bound fail the worker's
 * start.
 */
public final class PrometheusMetricsReporter implements MetricsReporter {

    private final Map<MetricName, KafkaMetric> metrics = new ConcurrentHashMap<>();
    private MetricsEndpoint endpoint;

    /**
     * The worker settings that serve its metrics and its sink tasks' consumers' on
     * {@code host:port}, JMX kept.
     */
    public static Map<String, String> workerConfig(String host, int port) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("metric.reporters", JmxReporter.class.getName() + "," + PrometheusMetricsReporter.class.getName());
        config.put(PrometheusReporterConfig.HOST, host);
        config.put(PrometheusReporterConfig.PORT, Integer.toString(port));
        config.put("consumer.metric.reporters", PrometheusMetricsReporter.class.getName());
        config.put("consumer." + PrometheusReporterConfig.HOST, host);
        config.put("consumer." + PrometheusReporterConfig.PORT, Integer.toString(port));
        return config;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        PrometheusReporterConfig config = new PrometheusReporterConfig(configs);
        endpoint = MetricsEndpoint.join(config.host(), config.port(), this);
    }

    @Override
    public void init(List<KafkaMetric> initial) {
        initial.forEach(this::metricChange);
    }

    @Override
    public void metricChange(KafkaMetric metric) {
        metrics.put(metric.metricName(), metric);
    }

    @Override
    public void metricRemoval(KafkaMetric metric) {
        metrics.remove(metric.metricName());
    }

    Collection<KafkaMetric> metrics() {
        return metrics.values();
    }

    /** The port of the endpoint this reporter serves on; for tests. */
    int port() {
        return endpoint.port();
    }

    @Override
    public void close() {
        if (endpoint != null) {
            endpoint.leave(this);
            endpoint = null;
        }
        metrics.clear();
    }
}
