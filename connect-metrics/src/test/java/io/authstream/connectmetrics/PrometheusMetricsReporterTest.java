package io.authstream.connectmetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.MetricsReporter;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.Test;

class PrometheusMetricsReporterTest {

    private static PrometheusMetricsReporter reporter(Map<String, Object> config) {
        PrometheusMetricsReporter reporter = new PrometheusMetricsReporter();
        reporter.configure(config);
        return reporter;
    }

    private static Metrics metrics(MetricsReporter reporter) {
        return new Metrics(new MetricConfig(), List.of(reporter), Time.SYSTEM);
    }

    @Test
    void servesTheMetricsOfItsMetricsAndFollowsTheirChanges() throws Exception {
        int port = Scrapes.freePort();
        PrometheusMetricsReporter reporter = reporter(Map.of(PrometheusReporterConfig.PORT, port));
        try (Metrics metrics = metrics(reporter)) {
            Sensor sensor = metrics.sensor("polls");
            sensor.add(
                    metrics.metricName("poll-total", "source-task-metrics", "Polls", Map.of("task", "0")),
                    new CumulativeSum());
            sensor.record(4);

            HttpResponse<String> scrape = Scrapes.get(port);
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("Content-Type"))
                    .hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(Scrapes.value(scrape.body(), "kafka_connect_source_task_poll_total{task=\"0\"}"))
                    .hasValue(4);
            // Metrics has its own count of metrics, reported at init.
            assertThat(scrape.body()).contains("kafka_connect_kafka_metrics_count_count");

            metrics.removeSensor("polls");
            assertThat(Scrapes.get(port).body()).doesNotContain("poll_total");
        }
        assertThatThrownBy(() -> Scrapes.get(port))
                .as("closed with its last reporter")
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void reportersOnTheSameAddressShareOneEndpointThatTheLastClosesAndPostIsRefused() throws Exception {
        int port = Scrapes.freePort();
        PrometheusMetricsReporter worker = reporter(Map.of(PrometheusReporterConfig.PORT, Integer.toString(port)));
        PrometheusMetricsReporter consumer = reporter(Map.of(PrometheusReporterConfig.PORT, port));
        Metrics workerMetrics = metrics(worker);
        Metrics consumerMetrics = metrics(consumer);
        workerMetrics
                .sensor("a")
                .add(workerMetrics.metricName("a-total", "connect-worker-metrics"), new CumulativeSum());
        consumerMetrics
                .sensor("b")
                .add(consumerMetrics.metricName("b-total", "consumer-fetch-manager-metrics"), new CumulativeSum());
        assertThat(Scrapes.get(port).body())
                .contains("kafka_connect_worker_a_total 0\n")
                .contains("kafka_connect_consumer_fetch_manager_b_total 0\n");
        assertThat(java.net.http.HttpClient.newHttpClient()
                        .send(
                                java.net.http.HttpRequest.newBuilder(
                                                java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                                        .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode())
                .isEqualTo(405);

        consumerMetrics.close();
        assertThat(Scrapes.get(port).body()).contains("a_total").doesNotContain("b_total");
        workerMetrics.close();
        assertThatThrownBy(() -> Scrapes.get(port)).isInstanceOf(ConnectException.class);
    }

    @Test
    void refusesBadSettingsAndAPortInUse() throws Exception {
        assertThatThrownBy(() -> reporter(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(PrometheusReporterConfig.PORT);
        assertThatThrownBy(() -> reporter(Map.of(PrometheusReporterConfig.PORT, 70000)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(PrometheusReporterConfig.PORT);
        assertThatThrownBy(() -> reporter(Map.of(PrometheusReporterConfig.PORT, "nine")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(PrometheusReporterConfig.PORT);
        Map<String, Object> emptyHost = new HashMap<>();
        emptyHost.put(PrometheusReporterConfig.PORT, 9404);
        emptyHost.put(PrometheusReporterConfig.HOST, "");
        assertThatThrownBy(() -> reporter(emptyHost))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(PrometheusReporterConfig.HOST);
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> reporter(Map.of(PrometheusReporterConfig.PORT, taken.getLocalPort())))
                    .isInstanceOf(KafkaException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void theWorkerConfigKeepsJmxAndGivesTheConsumersTheSameEndpoint() {
        assertThat(PrometheusMetricsReporter.workerConfig("0.0.0.0", 9404))
                .containsEntry(
                        "metric.reporters",
                        "org.apache.kafka.common.metrics.JmxReporter," + PrometheusMetricsReporter.class.getName())
                .containsEntry("authstream.metrics.prometheus.host", "0.0.0.0")
                .containsEntry("authstream.metrics.prometheus.port", "9404")
                .containsEntry("consumer.metric.reporters", PrometheusMetricsReporter.class.getName())
                .containsEntry("consumer.authstream.metrics.prometheus.host", "0.0.0.0")
                .containsEntry("consumer.authstream.metrics.prometheus.port", "9404");
    }
}
