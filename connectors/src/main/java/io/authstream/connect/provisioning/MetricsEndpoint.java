package io.authstream.connect.provisioning;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} of the provisioning sink on {@code metrics.host:metrics.port}. The tasks
 * of one worker share it (a port can be bound once): the first task to start opens it, the last
 * to stop closes it, and all count into the same {@link ProvisioningMetrics}.
 */
final class MetricsEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);
    private static final Map<String, MetricsEndpoint> OPEN = new HashMap<>();

    private final String address;
    private final HttpServer server;
    private final ProvisioningMetrics metrics = new ProvisioningMetrics();
    private int users;

    private MetricsEndpoint(String address, HttpServer server) {
        this.address = address;
        this.server = server;
    }

    /** The endpoint on {@code host:port}, opened if no task of this worker has it open yet. */
    static synchronized MetricsEndpoint acquire(String host, int port) {
        String address = host + ":" + port;
        MetricsEndpoint endpoint = OPEN.get(address);
        if (endpoint == null) {
            HttpServer server;
            try {
                server = HttpServer.create(new InetSocketAddress(host, port), 16);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on " + address + " for the provisioning metrics", e);
            }
            MetricsEndpoint opened = new MetricsEndpoint(address, server);
            server.createContext("/metrics", exchange -> {
                byte[] body = opened.metrics.scrape().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                boolean get = "GET".equals(exchange.getRequestMethod());
                exchange.sendResponseHeaders(get ? 200 : 405, get ? body.length : -1);
                if (get) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
                exchange.close();
            });
            server.start();
            LOG.info("provisioning metrics on http://{}/metrics", address);
            endpoint = opened;
            OPEN.put(address, endpoint);
        }
        endpoint.users++;
        return endpoint;
    }

    ProvisioningMetrics metrics() {
        return metrics;
    }

    void release() {
        synchronized (MetricsEndpoint.class) {
            if (--users == 0) {
                OPEN.remove(address);
                server.stop(0);
            }
        }
    }
}
