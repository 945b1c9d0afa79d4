package io.authstream.connectmetrics;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/** A sink that only counts what it reads, in a plugin metric of its own (KIP-877), as the authstream connectors do. */
public final class ProbeSinkConnector extends SinkConnector {

    private Map<String, String> config;

    @Override
    public void start(Map<String, String> props) {
        config = props;
    }

    @Override
    public Class<? extends Task> taskClass() {
        return ProbeTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(config);
    }

    @Override
    public void stop() {}

    @Override
    public ConfigDef config() {
        return new ConfigDef();
    }

    @Override
    public String version() {
        return "1";
    }

    public static final class ProbeTask extends SinkTask {

        private final LongAdder seen = new LongAdder();

        @Override
        public void start(Map<String, String> props) {
            PluginMetrics metrics = context.pluginMetrics();
            LinkedHashMap<String, String> tags = new LinkedHashMap<>();
            tags.put("kind", "probe");
            metrics.addMetric(
                    metrics.metricName("probe-records-total", "Records the probe task was given", tags),
                    (Measurable) (config, now) -> seen.sum());
        }

        @Override
        public void put(Collection<SinkRecord> records) {
            seen.add(records.size());
        }

        @Override
        public void stop() {}

        @Override
        public String version() {
            return "1";
        }
    }
}
