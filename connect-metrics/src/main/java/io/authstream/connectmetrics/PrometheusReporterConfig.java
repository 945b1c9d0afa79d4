package io.authstream.connectmetrics;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The reporter's two settings, read from the config of whatever loads it: the Connect worker's
 * own (for {@code metric.reporters}), or a client's (for {@code consumer.metric.reporters}, where
 * the worker passes on its {@code consumer.}-prefixed settings only).
 */
public final class PrometheusReporterConfig extends AbstractConfig {

    public static final String HOST = "authstream.metrics.prometheus.host";
    public static final String PORT = "authstream.metrics.prometheus.port";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(
                    HOST,
                    Type.STRING,
                    "127.0.0.1",
                    new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM,
                    "Address GET /metrics of the Prometheus metrics reporter (PrometheusMetricsReporter, module "
                            + "connect-metrics) listens on: loopback unless a Prometheus elsewhere scrapes it.")
            .define(
                    PORT,
                    Type.INT,
                    ConfigDef.NO_DEFAULT_VALUE,
                    ConfigDef.Range.between(1, 65535),
                    Importance.MEDIUM,
                    "Port of the reporter's GET /metrics (required where the reporter is configured). Every reporter "
                            + "of the JVM given the same address shares one endpoint: the worker's and its clients'.");

    public PrometheusReporterConfig(Map<?, ?> originals) {
        super(CONFIG_DEF, originals, false);
    }

    public String host() {
        return getString(HOST);
    }

    public int port() {
        return getInt(PORT);
    }
}
