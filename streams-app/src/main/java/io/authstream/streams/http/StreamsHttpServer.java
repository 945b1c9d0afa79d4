package io.authstream.streams.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;

/**
 * The Streams app's HTTP side: liveness, readiness and every Kafka Streams metric (the
 * topology's own counters included) in Prometheus text format.
 *
 * <p>Live means the client has not failed (an orchestrator restarts it otherwise); ready means
 * it is RUNNING, not rebalancing or restoring state, so a load balancer routes queries only to
 * instances that can answer them.
 */
public final class StreamsHttpServer implements AutoCloseable {

    private static final Set<State> DEAD = Set.of(State.PENDING_ERROR, State.ERROR, State.PENDING_SHUTDOWN, State.NOT_RUNNING);

    private final KafkaStreams streams;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Kafka Streams adds a task's metrics when the task is assigned; Micrometer picks them up this often. */
    static final Duration METRICS_REFRESH = Duration.ofSeconds(5);

    private final KafkaStreamsMetrics streamsMetrics;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "streams-metrics-refresh");
        thread.setDaemon(true);
        return thread;
    });
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private Javalin app;
    private String host;

    public StreamsHttpServer(KafkaStreams streams) {
        this.streams = streams;
        this.streamsMetrics = new KafkaStreamsMetrics(streams, List.of(), refresher, METRICS_REFRESH);
        streamsMetrics.bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
    }

    public StreamsHttpServer start(String host, int port) {
        this.host = host;
        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.routes.get("/health/live", ctx -> state(ctx, !DEAD.contains(streams.state())));
            cfg.routes.get("/health/ready", ctx -> state(ctx, streams.state() == State.RUNNING));
            cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape()));
        }).start(host, port);
        return this;
    }

    private void state(Context ctx, boolean up) {
        ctx.status(up ? 200 : 503).json(new Health(up ? "UP" : "DOWN", streams.state().name()));
    }

    record Health(String status, String state) {}

    public String url() {
        return "http://" + host + ":" + app.port();
    }

    @Override
    public void close() {
        if (app != null) {
            app.stop();
        }
        streamsMetrics.close();
        refresher.shutdownNow();
        gcMetrics.close();
        registry.close();
    }
}
