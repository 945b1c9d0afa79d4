package io.authstream.connectmetrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Value;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void namesAreTheGroupWithoutConnectAndMetricsThenTheNameInSnakeCase() {
        assertThat(PrometheusText.name(new MetricName("connector-count", "connect-worker-metrics", "", Map.of())))
                .isEqualTo("kafka_connect_worker_connector_count");
        assertThat(PrometheusText.name(new MetricName("sink-record-read-total", "sink-task-metrics", "", Map.of())))
                .isEqualTo("kafka_connect_sink_task_sink_record_read_total");
        assertThat(PrometheusText.name(
                        new MetricName("deadletterqueue-produce-requests", "task-error-metrics", "", Map.of())))
                .isEqualTo("kafka_connect_task_error_deadletterqueue_produce_requests");
        assertThat(PrometheusText.name(
                        new MetricName("records-lag-max", "consumer-fetch-manager-metrics", "", Map.of())))
                .isEqualTo("kafka_connect_consumer_fetch_manager_records_lag_max");
        assertThat(PrometheusText.name(new MetricName("dead-letters-total", "plugins", "", Map.of())))
                .isEqualTo("kafka_connect_plugins_dead_letters_total");
        assertThat(PrometheusText.name(
                        new MetricName("rebalance.avg-ms", "connect-worker-rebalance-metrics", "", Map.of())))
                .isEqualTo("kafka_connect_worker_rebalance_rebalance_avg_ms");
        assertThat(PrometheusText.sanitize("9lives")).isEqualTo("_9lives");
    }

    @Test
    void rendersCountersGaugesLabelsAndSpecialValuesAndLeavesOutText() {
        try (Metrics metrics = new Metrics()) {
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put("connector", "users \"sink\"\\n");
            tags.put("client-id", "c-1");
            Sensor reads = metrics.sensor("reads");
            reads.add(
                    metrics.metricName("record-read-total", "sink-task-metrics", "Records read\nso far", tags),
                    new CumulativeCount());
            reads.add(
                    metrics.metricName("requests", "task-error-metrics", "Cumulative, no -total", tags),
                    new CumulativeCount());
            reads.add(metrics.metricName("lag-max", "consumer-fetch-manager-metrics", "", Map.of()), new Max());
            reads.record(3);
            reads.record(5);
            Sensor empty = metrics.sensor("empty");
            empty.add(metrics.metricName("idle-max", "consumer-fetch-manager-metrics", "never recorded"), new Max());
            Sensor value = metrics.sensor("value");
            value.add(metrics.metricName("ratio", "connect-worker-metrics", "a value"), new Value());
            value.record(0.25);
            metrics.addMetric(metrics.metricName("status", "connector-metrics", "as text"), (Gauge<String>)
                    (c, now) -> "running");
            metrics.addMetric(metrics.metricName("infinite", "connector-metrics", ""), (Gauge<Double>)
                    (c, now) -> Double.POSITIVE_INFINITY);

            List<KafkaMetric> all = List.copyOf(metrics.metrics().values());
            String text = PrometheusText.render(all);

            assertThat(text)
                    .contains(
                            "# HELP kafka_connect_sink_task_record_read_total Records read\\nso far\n"
                                    + "# TYPE kafka_connect_sink_task_record_read_total counter\n"
                                    + "kafka_connect_sink_task_record_read_total{client_id=\"c-1\",connector=\"users \\\"sink\\\"\\\\n\"} 2\n")
                    .contains("# TYPE kafka_connect_task_error_requests counter\n")
                    .contains("# TYPE kafka_connect_consumer_fetch_manager_lag_max gauge\n"
                            + "kafka_connect_consumer_fetch_manager_lag_max 5\n")
                    .contains("kafka_connect_consumer_fetch_manager_idle_max NaN\n")
                    .contains("# TYPE kafka_connect_worker_ratio gauge\nkafka_connect_worker_ratio 0.25\n")
                    .contains("kafka_connect_connector_infinite +Inf\n")
                    .doesNotContain("status")
                    .doesNotContain("running");
            assertThat(text)
                    .as("no HELP line for a metric without a description")
                    .doesNotContain("# HELP kafka_connect_consumer_fetch_manager_lag_max");
            // The same name and labels twice (two clients of one id): one sample.
            KafkaMetric ratio = metrics.metric(metrics.metricName("ratio", "connect-worker-metrics", "a value"));
            String twice = PrometheusText.render(List.of(ratio, ratio));
            assertThat(twice.lines().filter(l -> !l.startsWith("#"))).hasSize(1);
        }
    }
}
