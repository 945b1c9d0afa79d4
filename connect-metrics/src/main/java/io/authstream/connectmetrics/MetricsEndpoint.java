package io.authstream.connectmetrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} on one address, shared by every reporter of the JVM configured with it (a
 * port can be bound once): the Connect worker's and those of its clients (the sink tasks'
 * consumers, given {@code consumer.metric.reporters}). The first reporter opens it, the last to
 * close stops it; a scrape writes the metrics of all of them.
 */
final class MetricsEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);
    private static final Map<String, MetricsEndpoint> OPEN = new HashMap<>();

    private final String address;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Set<PrometheusMetricsReporter> reporters = new CopyOnWriteArraySet<>();

    private MetricsEndpoint(String address, HttpServer server, ExecutorService executor) {
        this.address = address;
        this.server = server;
        this.executor = executor;
    }

    /** Adds {@code reporter} to the endpoint on {@code host:port}, opened if none is open there yet. */
    static synchronized MetricsEndpoint join(String host, int port, PrometheusMetricsReporter reporter) {
        String address = host + ":" + port;
        MetricsEndpoint endpoint = OPEN.get(address);
        if (endpoint == null) {
            HttpServer server;
            try {
                server = HttpServer.create(new InetSocketAddress(host, port), 16);
            } catch (IOException e) {
                throw new KafkaException(
                        "the Prometheus metrics reporter cannot listen on " + address + " ("
                                + PrometheusReporterConfig.HOST + ", " + PrometheusReporterConfig.PORT + "): " + e,
                        e);
            }
            // Daemon threads: an endpoint left open by a client that was never closed does not keep the JVM up.
            ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "prometheus-metrics-" + port);
                thread.setDaemon(true);
                return thread;
            });
            MetricsEndpoint opened = new MetricsEndpoint(address, server, executor);
            server.createContext("/metrics", opened::handle);
            server.setExecutor(executor);
            server.start();
            LOG.info("Kafka metrics in Prometheus format on http://{}/metrics", address);
            endpoint = opened;
            OPEN.put(address, endpoint);
        }
        endpoint.reporters.add(reporter);
        return endpoint;
    }

    void leave(PrometheusMetricsReporter reporter) {
        synchronized (MetricsEndpoint.class) {
            reporters.remove(reporter);
            if (reporters.isEmpty() && OPEN.get(address) == this) {
                OPEN.remove(address);
                server.stop(0);
                executor.shutdownNow();
                LOG.info("Prometheus metrics endpoint on {} closed", address);
            }
        }
    }

    /** The port it listens on (the one asked for). */
    int port() {
        return server.getAddress().getPort();
    }

    String scrape() {
        List<KafkaMetric> metrics = new ArrayList<>();
        for (PrometheusMetricsReporter reporter : reporters) {
            metrics.addAll(reporter.metrics());
        }
        return PrometheusText.render(metrics);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", PrometheusText.CONTENT_TYPE);
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
