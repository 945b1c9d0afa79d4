package io.authstream.streams.http;

import io.authstream.schemas.avro.AnalyticsRollup;
import io.authstream.streams.rules.RuleBook;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The Streams app's HTTP side: liveness, readiness, every Kafka Streams metric (the topology's
 * own counters included) in Prometheus text format with the client's state
 * ({@code authstream_streams_state{state}}, 1 for the current one), and the analytics over
 * interactive queries.
 *
 * <p>Live means the client has not failed (an orchestrator restarts it otherwise); ready means
 * it is RUNNING, not rebalancing or restoring state. It starts before Kafka Streams, so that its
 * port is known for {@code application.server}; {@link #attach} then connects the client.
 *
 * <p>{@code GET /analytics/{metric}} answers from this instance's window stores when the
 * metric's key lives here, else asks the instance that holds it (found through Kafka Streams'
 * metadata) and relays its answer; a forwarded request is never forwarded again.
 */
public final class StreamsHttpServer implements AutoCloseable {

    /** Kafka Streams adds a task's metrics when the task is assigned; Micrometer picks them up this often. */
    static final Duration METRICS_REFRESH = Duration.ofSeconds(5);

    static final String FORWARDED = "X-Authstream-Forwarded";

    private static final Set<State> DEAD =
            Set.of(State.PENDING_ERROR, State.ERROR, State.PENDING_SHUTDOWN, State.NOT_RUNNING);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "streams-metrics-refresh");
        thread.setDaemon(true);
        return thread;
    });
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final HttpClient forwarder =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Clock clock;
    private volatile KafkaStreams streams;
    private volatile AnalyticsQueries queries;
    private volatile RuleBook rules;
    private KafkaStreamsMetrics streamsMetrics;
    private Javalin app;
    private String host;
    private volatile HostInfo self;

    public StreamsHttpServer(Clock clock) {
        this.clock = clock;
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
    }

    public StreamsHttpServer start(String host, int port) {
        return start(host, port, routes -> {});
    }

    /** As {@link #start(String, int)}, with the routes {@code more} adds (the dashboard's). */
    public StreamsHttpServer start(String host, int port, Consumer<RoutesConfig> more) {
        this.host = host;
        app = Javalin.create(cfg -> {
                    cfg.startup.showJavalinBanner = false;
                    cfg.routes.get(
                            "/health/live", ctx -> state(ctx, streams == null || !DEAD.contains(streams.state())));
                    cfg.routes.get(
                            "/health/ready", ctx -> state(ctx, streams != null && streams.state() == State.RUNNING));
                    cfg.routes.get(
                            "/metrics",
                            ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                                    .result(registry.scrape()));
                    cfg.routes.get("/analytics/{metric}", this::analytics);
                    cfg.routes.get("/rules", this::rules);
                    more.accept(cfg.routes);
                    cfg.routes.exception(
                            IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, "bad_query", e.getMessage()));
                    cfg.routes.exception(
                            InvalidStateStoreException.class,
                            (e, ctx) -> unavailable(
                                    ctx, "the store is not queryable right now (rebalancing or restoring)"));
                })
                .start(host, port);
        return this;
    }

    /**
     * Connects the Kafka Streams client: health, metrics and queries now reflect it.
     *
     * @param advertised this server as other instances reach it (the client's {@code application.server})
     */
    /** Adds {@code meters} (the app's own counters) to what {@code /metrics} shows. */
    public void bind(MeterBinder meters) {
        meters.bindTo(registry);
    }

    /** {@code /rules} lists what {@code rules} holds: the rules in force and the published records refused. */
    public void bind(RuleBook rules) {
        this.rules = rules;
    }

    public void attach(KafkaStreams client, HostInfo advertised) {
        self = advertised;
        streamsMetrics = new KafkaStreamsMetrics(client, List.of(), refresher, METRICS_REFRESH);
        streamsMetrics.bindTo(registry);
        for (State state : State.values()) {
            Gauge.builder("authstream.streams.state", client, c -> c.state() == state ? 1 : 0)
                    .description("1 for the Kafka Streams client's current state, 0 for every other")
                    .tag("state", state.name())
                    .register(registry);
        }
        queries = new AnalyticsQueries(client);
        streams = client;
    }

    public int port() {
        return app.port();
    }

    public String url() {
        return "http://" + host + ":" + app.port();
    }

    private void rules(Context ctx) {
        RuleBook book = rules;
        if (book == null) {
            unavailable(ctx, "the rules are not loaded yet");
            return;
        }
        ctx.json(RulesListing.of(book));
    }

    private void analytics(Context ctx) throws Exception {
        if (queries == null) {
            unavailable(ctx, "Kafka Streams is not started yet");
            return;
        }
        AnalyticsQueries.Query query = AnalyticsQueries.parse(
                ctx.pathParam("metric"),
                ctx.queryParam("granularity"),
                ctx.queryParam("dimension"),
                ctx.queryParam("from"),
                ctx.queryParam("to"),
                clock.instant());
        Optional<HostInfo> owner = queries.owner(query);
        if (owner.isEmpty()) {
            unavailable(ctx, "no instance holds " + query.metric() + " right now (rebalancing)");
            return;
        }
        boolean here = owner.get().equals(self) || owner.get().equals(HostInfo.unavailable());
        if (!here && ctx.header(FORWARDED) == null) {
            HttpResponse<String> answer = forwarder.send(
                    HttpRequest.newBuilder(URI.create("http://" + owner.get().host() + ":"
                                    + owner.get().port() + ctx.path()
                                    + (ctx.queryString() == null ? "" : "?" + ctx.queryString())))
                            .header(FORWARDED, self.host() + ":" + self.port())
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            ctx.status(answer.statusCode()).contentType("application/json").result(answer.body());
            return;
        }
        if (!here) {
            unavailable(ctx, query.metric() + " moved to another instance; retry");
            return;
        }
        List<RollupView> rollups =
                queries.local(query).stream().map(RollupView::of).toList();
        ctx.json(new Answer(
                query.metric(),
                query.granularity(),
                query.dimension(),
                query.from().toString(),
                query.to().toString(),
                self.host() + ":" + self.port(),
                rollups));
    }

    private void state(Context ctx, boolean up) {
        String state = streams == null ? "STARTING" : streams.state().name();
        ctx.status(up ? 200 : 503).json(new Health(up ? "UP" : "DOWN", state));
    }

    private static void unavailable(Context ctx, String message) {
        ctx.header("Retry-After", "1");
        error(ctx, 503, "unavailable", message);
    }

    private static void error(Context ctx, int status, String code, String message) {
        ctx.status(status).json(new ApiError(code, message));
    }

    record Health(String status, String state) {}

    record ApiError(String error, String message) {}

    /** The answer of {@code GET /analytics/{metric}}: windows starting in [from, to], oldest first. */
    record Answer(
            String metric,
            String granularity,
            String dimension,
            String from,
            String to,
            String servedBy,
            List<RollupView> rollups) {}

    /** One window of a rollup, as JSON. */
    record RollupView(
            String windowStart,
            String windowEnd,
            long count,
            Long total,
            double value,
            Double relativeError,
            String updatedAt) {
        static RollupView of(AnalyticsRollup r) {
            return new RollupView(
                    r.getWindowStart().toString(),
                    r.getWindowEnd().toString(),
                    r.getCount(),
                    r.getTotal(),
                    r.getValue(),
                    r.getRelativeError(),
                    r.getUpdatedAt().toString());
        }
    }

    @Override
    public void close() {
        if (app != null) {
            app.stop();
        }
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        refresher.shutdownNow();
        gcMetrics.close();
        registry.close();
    }
}
