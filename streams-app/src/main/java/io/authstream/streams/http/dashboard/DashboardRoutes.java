package io.authstream.streams.http.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;

/**
 * The dashboard's HTTP side: the page and its assets under {@code /dashboard/}, and the routes it
 * reads (docs/dashboard.md): {@code /alerts}, {@code /alerts/stream} (server-sent events),
 * {@code /dead-letters}, {@code /pipeline} and {@code /analytics/{metric}/mix}. Like the app's
 * other routes they take no credentials: the server listens on loopback unless configured
 * otherwise, and they show counts and alerts only, never an event's contents.
 */
public final class DashboardRoutes {

    /** The page's files, served from the jar; nothing else is. */
    static final Map<String, String> ASSETS = Map.of(
            "index.html", "text/html;charset=utf-8",
            "dashboard.js", "text/javascript;charset=utf-8",
            "dashboard.css", "text/css;charset=utf-8");

    /** The page loads only its own files and talks only to this server (its icon is an empty data: URL). */
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
                    + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Dashboard dashboard;
    private final Clock clock;

    public DashboardRoutes(Dashboard dashboard, Clock clock) {
        this.dashboard = dashboard;
        this.clock = clock;
    }

    public void addTo(RoutesConfig routes) {
        // One route for both: the server ignores trailing slashes. The page's relative links
        // need the slash, so the bare path is sent there.
        routes.get("/dashboard", ctx -> {
            if (ctx.path().endsWith("/")) {
                asset(ctx, "index.html");
            } else {
                ctx.redirect("/dashboard/");
            }
        });
        routes.get("/dashboard/{file}", ctx -> asset(ctx, ctx.pathParam("file")));
        routes.get("/alerts", this::alerts);
        routes.sse("/alerts/stream", this::stream);
        routes.get("/dead-letters", this::deadLetters);
        routes.get("/pipeline", this::pipeline);
        routes.get("/analytics/{metric}/mix", this::mix);
    }

    private void asset(Context ctx, String file) throws IOException {
        String type = ASSETS.get(file);
        if (type == null) {
            ctx.status(404).json(new Problem("not_found", "no such dashboard file"));
            return;
        }
        try (InputStream in = DashboardRoutes.class.getResourceAsStream("/dashboard/" + file)) {
            if (in == null) {
                ctx.status(404).json(new Problem("not_found", "no such dashboard file"));
                return;
            }
            ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Cache-Control", "no-cache")
                    .contentType(type)
                    .result(in.readAllBytes());
        }
    }

    private void alerts(Context ctx) {
        ctx.json(new Alerts(
                dashboard.alerts().latest().size(),
                dashboard.caughtUp(),
                dashboard.alerts().latest()));
    }

    private void stream(SseClient client) {
        client.keepAlive();
        // Alerts are written from the alert tail's thread, the opening comment from this one: Jetty
        // refuses a write to a response while another is still blocked on it, so one client's
        // writes take turns.
        Consumer<AlertView> listener = alert -> {
            String data;
            try {
                data = JSON.writeValueAsString(alert);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            synchronized (client) {
                client.sendEvent("alert", data, alert.partition() + "-" + alert.offset());
            }
        };
        dashboard.alerts().subscribe(listener);
        client.onClose(() -> dashboard.alerts().unsubscribe(listener));
        // Sent at once, so that the browser's EventSource reports the stream open.
        synchronized (client) {
            client.sendComment("alerts of auth.security.alerts from now on");
        }
    }

    private void deadLetters(Context ctx) {
        DeadLetterCounts.Snapshot counts = dashboard.deadLetters().snapshot();
        long awaiting = counts.awaiting();
        ctx.json(new DeadLetters(
                io.authstream.schemas.Topics.AUTH_EVENTS_DEADLETTER.name(),
                dashboard.caughtUp(),
                counts.total(),
                counts.byReason(),
                counts.bySource(),
                awaiting,
                counts.total() - awaiting,
                counts.awaitingByReason()));
    }

    private void pipeline(Context ctx) throws Exception {
        KafkaStreams streams = dashboard.streams();
        StreamsState state = streams == null
                ? new StreamsState("STARTING", List.of())
                : new StreamsState(
                        streams.state().name(),
                        streams.metadataForLocalThreads().stream()
                                .map(ThreadMetadata::threadState)
                                .sorted()
                                .toList());
        ctx.json(new Pipeline(
                clock.instant().toString(),
                state,
                new ConsumerLags(dashboard.admin()).read(),
                dashboard.gateway().read().orElse(null)));
    }

    private void mix(Context ctx) throws Exception {
        KafkaStreams streams = dashboard.streams();
        DimensionMix.Query query = DimensionMix.parse(
                ctx.pathParam("metric"),
                ctx.queryParam("by"),
                ctx.queryParam("granularity"),
                ctx.queryParam("from"),
                ctx.queryParam("to"),
                clock.instant());
        if (streams == null) {
            ctx.header("Retry-After", "1")
                    .status(503)
                    .json(new Problem("unavailable", "Kafka Streams is not started yet"));
            return;
        }
        try {
            ctx.json(dashboard
                    .mix()
                    .all(
                            streams,
                            dashboard.self(),
                            query,
                            ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString()),
                            ctx.header(DimensionMix.FORWARDED) != null));
        } catch (IOException e) {
            ctx.header("Retry-After", "1")
                    .status(503)
                    .json(new Problem("unavailable", "another instance did not answer: " + e.getMessage()));
        }
    }

    record Problem(String error, String message) {}

    /** {@code caughtUp}: the topic was read up to where it was at start (before, the list may miss some). */
    record Alerts(int count, boolean caughtUp, List<AlertView> alerts) {}

    /**
     * {@code awaiting}: the dead letters no {@code authstream dlq redrive} re-sent (its marks on
     * auth.deadletter.redriven); {@code redriven} = {@code total} - {@code awaiting}.
     */
    record DeadLetters(
            String topic,
            boolean caughtUp,
            long total,
            Map<String, Long> byReason,
            Map<String, Long> bySource,
            long awaiting,
            long redriven,
            Map<String, Long> awaitingByReason) {}

    record StreamsState(String state, List<String> threads) {}

    /** {@code gateway} is null when no gateway metrics URL is set. */
    record Pipeline(String at, StreamsState streams, List<ConsumerLags.Stage> stages, GatewayAnswers.Answers gateway) {}
}
