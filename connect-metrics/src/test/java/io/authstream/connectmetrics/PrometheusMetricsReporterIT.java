package io.authstream.connectmetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authstream.embedded.connect.EmbeddedConnectWorker;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real Connect worker (distributed, on the test broker) with the reporter as
 * {@link PrometheusMetricsReporter#workerConfig} sets it: the scrape holds the worker's metrics, a
 * sink connector's task metrics, its task's own plugin metric and its consumer's lag.
 */
@ExtendWith(StackExtension.class)
class PrometheusMetricsReporterIT {

    private final TestStack stack;

    PrometheusMetricsReporterIT(TestStack stack) {
        this.stack = stack;
    }

    @Test
    void aWorkersScrapeHoldsItsConnectorsTasksPluginMetricsAndConsumerLag() throws Exception {
        String topic = TestStack.uniqueTopic("probe");
        stack.createTopics(topic);
        int port = Scrapes.freePort();
        try (EmbeddedConnectWorker worker = new EmbeddedConnectWorker(
                stack.bootstrapServers(),
                TestStack.uniqueTopic("connect"),
                null,
                PrometheusMetricsReporter.workerConfig("127.0.0.1", port))) {
            String idle = Scrapes.get(port).body();
            assertThat(Scrapes.value(idle, "kafka_connect_worker_connector_count"))
                    .hasValue(0);

            assertThat(worker.putConnector(
                                    "probe",
                                    Map.of(
                                            "connector.class",
                                            ProbeSinkConnector.class.getName(),
                                            "tasks.max",
                                            "1",
                                            "topics",
                                            topic))
                            .statusCode())
                    .isEqualTo(201);
            worker.awaitRunning("probe", 1);
            List<String> values = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                values.add("record-" + i);
            }
            stack.produce(topic, new StringSerializer(), values);

            String scrape = awaitSample(port, "kafka_connect_plugins_probe_records_total", 25);
            assertThat(Scrapes.value(scrape, "kafka_connect_worker_connector_count"))
                    .hasValue(1);
            assertThat(Scrapes.value(scrape, "kafka_connect_worker_connector_running_task_count{connector=\"probe\"}"))
                    .hasValue(1);
            assertThat(Scrapes.value(scrape, "kafka_connect_worker_connector_failed_task_count{connector=\"probe\"}"))
                    .hasValue(0);
            assertThat(Scrapes.value(
                            scrape, "kafka_connect_sink_task_sink_record_read_total{connector=\"probe\",task=\"0\"}"))
                    .hasValue(25);
            assertThat(scrape)
                    .contains("# TYPE kafka_connect_sink_task_sink_record_read_total counter\n")
                    .contains(
                            "kafka_connect_plugins_probe_records_total{connector=\"probe\",kind=\"probe\",task=\"0\"} 25\n")
                    .contains(
                            "kafka_connect_task_error_deadletterqueue_produce_requests{connector=\"probe\",task=\"0\"} 0\n")
                    .as("text metrics (versions, states) are left out")
                    .doesNotContain("\"running\"");
            // The sink task's consumer reports through its own reporter, on the same endpoint.
            OptionalDouble lag = Scrapes.value(
                    scrape,
                    "kafka_connect_consumer_fetch_manager_records_lag_max{client_id=\"connector-consumer-probe-0\"}");
            assertThat(lag).isPresent();
            assertThat(lag.getAsDouble()).isBetween(0.0, 25.0);
            assertThat(scrape.lines().filter(l -> !l.startsWith("#")))
                    .as("every sample line is name{labels} value")
                    .allMatch(l -> l.matches("[a-z_][a-z0-9_]*(\\{.*})? (NaN|[+-]Inf|-?[0-9.E+-]+)"));
        }
        assertThatThrownBy(() -> Scrapes.get(port))
                .as("the endpoint closes with the worker")
                .isInstanceOf(java.net.ConnectException.class);
    }

    private static String awaitSample(int port, String prefix, double expected) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        String scrape = Scrapes.get(port).body();
        while (Scrapes.value(scrape, prefix).orElse(-1) != expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            scrape = Scrapes.get(port).body();
        }
        assertThat(Scrapes.value(scrape, prefix)).as(prefix + " in\n" + scrape).hasValue(expected);
        return scrape;
    }
}
