package io.authstream.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authstream.gateway.GatewayConfig;
import io.authstream.gateway.aws.AwsError;
import io.authstream.gateway.aws.PutEventsRequest;
import io.authstream.gateway.aws.SigV4Verifier;
import io.authstream.gateway.ingest.BodyItem;
import io.authstream.gateway.ingest.JsonBatchParser;
import io.authstream.gateway.ingest.MalformedBodyException;
import io.authstream.gateway.provision.ProvisioningTracker;
import io.authstream.gateway.publish.EventPublisher;
import io.authstream.normalize.ActionsNormalizer;
import io.authstream.normalize.Auth0LogNormalizer;
import io.authstream.normalize.EventBridgeNormalizer;
import io.authstream.normalize.EventStreamNormalizer;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.deadletter.DeadLetterReason;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's HTTP routes. Each ingest route authenticates, reads the body within the size
 * limit, normalises every event it holds, and answers only once Kafka has acknowledged all of
 * them (2xx), or with 503 and {@code Retry-After} when Kafka could not take them in time.
 */
public final class GatewayServer implements AutoCloseable {

    public static final String LOG_STREAM_PATH = "/webhooks/auth0/log-stream";
    public static final String EVENT_STREAM_PATH = "/webhooks/auth0/event-stream";
    public static final String EVENTBRIDGE_PATH = "/webhooks/eventbridge";
    public static final String ACTIONS_PATH = "/webhooks/auth0/actions";

    public static final String SOURCE_LOG_STREAM = "auth0.log-stream";
    public static final String SOURCE_EVENT_STREAM = "auth0.event-stream";
    public static final String SOURCE_EVENTBRIDGE = "eventbridge.relay";
    public static final String SOURCE_ACTIONS = "auth0.actions";
    public static final String SOURCE_PUT_EVENTS = "eventbridge.put-events";
    public static final String PUT_EVENTS_TARGET = "AWSEvents.PutEvents";
    private static final String AMZ_JSON = "application/x-amz-json-1.1";
    private static final long SWALLOW_LIMIT = 2L * 1024 * 1024;
    /**
     * How long a refused request's body is read and dropped before the answer: a webhook body
     * arrives in milliseconds, so its sender reads the 401 rather than a reset connection; a
     * client still sending after this is cut off.
     */
    static final Duration REFUSED_BODY_WAIT = Duration.ofSeconds(2);
    /** What a dead letter's headers and the record's framing add to its payload, at most. */
    private static final int DEAD_LETTER_OVERHEAD = 1024;

    private static final Set<String> KNOWN_ROUTES = Set.of(
            "/", LOG_STREAM_PATH, EVENT_STREAM_PATH, EVENTBRIDGE_PATH, ACTIONS_PATH, "/health/live", "/health/ready");

    /** Builds one event from one JSON item of a body. */
    @FunctionalInterface
    interface Normalizer {
        AuthEvent normalize(JsonNode json, String raw, String source, Instant receivedAt);
    }

    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GatewayConfig config;
    private final EventPublisher publisher;
    private final Clock clock;
    private final GatewayMetrics metrics;
    private final Optional<SigV4Verifier> putEventsVerifier;
    private final EventAdmission admission;
    private final ProvisioningRoutes provisioning;
    /**
     * Where a request's answer is written once Kafka acked it: Jetty's own threads. The acks
     * arrive on the producer's one network thread; writing the answers there (as before) took
     * three quarters of that thread in the load bench's JFR profile, and every other request's
     * records waited for it.
     */
    private volatile Executor answers = Runnable::run;

    private Javalin app;

    public GatewayServer(GatewayConfig config, EventPublisher publisher, Clock clock) {
        this(config, publisher, clock, Optional.empty());
    }

    /** @param tracker the provisioning tracker, present when the admin routes are on */
    public GatewayServer(
            GatewayConfig config, EventPublisher publisher, Clock clock, Optional<ProvisioningTracker> tracker) {
        this.config = config;
        this.publisher = publisher;
        this.clock = clock;
        this.metrics = new GatewayMetrics(clock);
        metrics.sources(sources(config));
        // The ingest routes answer 503 when Kafka does not ack in time.
        metrics.answers(ingestRoutes(config), 503);
        this.putEventsVerifier = config.putEventsAccessKeys().isEmpty()
                ? Optional.empty()
                : Optional.of(new SigV4Verifier(config.putEventsAccessKeys(), "events", clock));
        this.admission = new EventAdmission(config.eventTimeBounds(), config.eventLimits(), publisher);
        if (config.provisioning().auth().isPresent() && tracker.isEmpty()) {
            throw new IllegalArgumentException("the provisioning routes are on but no tracker was given");
        }
        // Without a token every admin route answers 404 on its headers, so the idle tracker is never asked.
        this.provisioning = new ProvisioningRoutes(
                this, config, publisher, tracker.orElseGet(() -> new ProvisioningTracker(1, clock)), clock);
    }

    /** The {@code source} of each ingest route that is on (has a credential). */
    static List<String> sources(GatewayConfig config) {
        List<String> sources = new ArrayList<>();
        config.logStreamAuth().ifPresent(on -> sources.add(SOURCE_LOG_STREAM));
        config.eventStreamAuth().ifPresent(on -> sources.add(SOURCE_EVENT_STREAM));
        config.eventBridgeAuth().ifPresent(on -> sources.add(SOURCE_EVENTBRIDGE));
        config.actionsAuth().ifPresent(on -> sources.add(SOURCE_ACTIONS));
        if (!config.putEventsAccessKeys().isEmpty()) {
            sources.add(SOURCE_PUT_EVENTS);
        }
        return sources;
    }

    /** The path of each ingest route that is on. */
    static List<String> ingestRoutes(GatewayConfig config) {
        List<String> routes = new ArrayList<>();
        config.logStreamAuth().ifPresent(on -> routes.add(LOG_STREAM_PATH));
        config.eventStreamAuth().ifPresent(on -> routes.add(EVENT_STREAM_PATH));
        config.eventBridgeAuth().ifPresent(on -> routes.add(EVENTBRIDGE_PATH));
        config.actionsAuth().ifPresent(on -> routes.add(ACTIONS_PATH));
        if (!config.putEventsAccessKeys().isEmpty()) {
            routes.add("/");
        }
        return routes;
    }

    public GatewayServer start() {
        return start(cfg -> {});
    }

    /**
     * Starts with {@code extra} applied to the configuration after the gateway's own: the bench's
     * HTTP ceiling adds a route that way, on exactly the gateway's server set-up.
     */
    public GatewayServer start(Consumer<JavalinConfig> extra) {
        app = Javalin.create(cfg -> {
                    cfg.startup.showJavalinBanner = false;
                    cfg.http.maxRequestSize = config.maxBodyBytes();
                    // Requests Jetty refuses before any route sees them (a header too large, a malformed
                    // request line, Content-Length with Transfer-Encoding) get JSON too, not an HTML page.
                    // Jetty keeps a per-connection cache of header lines and by default matches it ignoring
                    // case, so on a kept-alive connection a credential differing only in case from one
                    // Jetty has cached reached the route as the cached value (HostileInputIT found it).
                    cfg.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
                    cfg.jetty.modifyServer(server -> {
                        answers = server.getThreadPool();
                        server.insertHandler(new BodyDeadline(config.bodyTimeout()));
                        ErrorHandler errors = new ErrorHandler();
                        errors.setDefaultResponseMimeType("application/json");
                        errors.setShowStacks(false);
                        errors.setShowCauses(false);
                        server.setErrorHandler(errors);
                    });
                    // Our own connector (Javalin then adds none), so that every connection is bounded
                    // from the first: idle timeout, header deadline, and how many may be open at once.
                    cfg.jetty.addConnector(this::connector);
                    cfg.routes.get(
                            "/health/live",
                            ctx -> answer(ctx, 200, JSON.createObjectNode().put("status", "UP")));
                    cfg.routes.get("/health/ready", this::ready);
                    cfg.routes.get(
                            "/metrics",
                            ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                                    .result(metrics.scrape()));
                    cfg.routes.post(
                            LOG_STREAM_PATH,
                            ctx -> ingestBody(
                                    ctx,
                                    config.logStreamAuth(),
                                    "Auth0 Log Streams",
                                    SOURCE_LOG_STREAM,
                                    Auth0LogNormalizer::normalize));
                    cfg.routes.post(
                            EVENT_STREAM_PATH,
                            ctx -> ingestBody(
                                    ctx,
                                    config.eventStreamAuth(),
                                    "Auth0 Event Streams",
                                    SOURCE_EVENT_STREAM,
                                    EventStreamNormalizer::normalize));
                    cfg.routes.post(
                            EVENTBRIDGE_PATH,
                            ctx -> ingestBody(
                                    ctx,
                                    config.eventBridgeAuth(),
                                    "EventBridge API destination",
                                    SOURCE_EVENTBRIDGE,
                                    EventBridgeNormalizer::normalize));
                    cfg.routes.get(ACTIONS_PATH, this::actions);
                    cfg.routes.post("/", this::putEvents);
                    cfg.routes.post(ProvisioningRoutes.EMPLOYEES + "/{id}/create-auth0", provisioning::createOne);
                    cfg.routes.post(ProvisioningRoutes.EMPLOYEES, provisioning::createMany);
                    cfg.routes.patch(ProvisioningRoutes.EMPLOYEES + "/{id}/email", provisioning::changeEmail);
                    cfg.routes.get(ProvisioningRoutes.EMPLOYEES + "/{id}", provisioning::status);
                    cfg.routes.get(ProvisioningRoutes.RESULTS + "{requestId}", provisioning::result);
                    cfg.routes.exception(AwsError.class, (e, ctx) -> {
                        metrics.reject(routeOf(ctx), e.type());
                        awsError(ctx, e.status(), e.type(), e.getMessage());
                    });
                    cfg.routes.exception(ApiError.class, (e, ctx) -> reject(ctx, e.status(), e.code(), e.getMessage()));
                    cfg.routes.exception(
                            MalformedBodyException.class,
                            (e, ctx) -> reject(ctx, 400, "malformed_body", e.getMessage()));
                    cfg.routes.exception(Exception.class, (e, ctx) -> {
                        LOG.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
                        error(
                                ctx,
                                500,
                                "internal_error",
                                "unexpected error: " + e.getClass().getSimpleName());
                    });
                    cfg.routes.error(404, ctx -> {
                        if (ctx.result() == null) {
                            error(ctx, 404, "not_found", "no route " + ctx.method() + " " + ctx.path());
                        }
                    });
                    extra.accept(cfg);
                })
                .start();
        return this;
    }

    /**
     * The listening connector. With {@code GATEWAY_MAX_CONNECTIONS} open it stops accepting:
     * further clients wait in the OS accept queue rather than being refused, and are taken as
     * connections close (which the idle timeout and the header deadline make sure of). The limit
     * keeps memory and file descriptors (the Kafka producer needs some) bounded under a flood of
     * connections.
     */
    private Connector connector(Server server, HttpConfiguration http) {
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setIdleTimeout(config.idleTimeout().toMillis());
        connector.addBean(new HeaderDeadline(connector.getScheduler(), config.headerTimeout(), metrics::headerTimeout));
        NetworkConnectionLimit limit = new NetworkConnectionLimit(config.maxConnections(), connector);
        server.addBean(limit);
        metrics.openConnections(limit::getNetworkConnectionCount);
        return connector;
    }

    public int port() {
        return app.port();
    }

    public String url() {
        return "http://" + config.host() + ":" + app.port();
    }

    @Override
    public void close() {
        if (app != null) {
            app.stop();
        }
    }

    private void ready(Context ctx) {
        boolean reachable = publisher.brokerReachable(Duration.ofSeconds(2));
        answer(
                ctx,
                reachable ? 200 : 503,
                JSON.createObjectNode()
                        .put("status", reachable ? "UP" : "DOWN")
                        .put("kafka", reachable ? "reachable" : "unreachable"));
    }

    /**
     * A POST route whose body holds one or more JSON events (array, JSON lines or one object).
     * The credentials are checked on the headers alone: a refused request's body is never read.
     */
    private void ingestBody(
            Context ctx, Optional<RouteAuth> auth, String routeName, String source, Normalizer normalizer) {
        Optional<ApiError> refused = refusal(ctx, auth, routeName);
        if (refused.isPresent()) {
            refuseAfterDiscardingBody(ctx, refused.get());
            return;
        }
        byte[] body = body(ctx);
        Instant receivedAt = clock.instant();
        IngestBatch batch = new IngestBatch(source, admission);
        for (BodyItem item : JsonBatchParser.parse(body)) {
            if (item.isParsed()) {
                batch.add(item.raw(), () -> normalizer.normalize(item.json(), item.raw(), source, receivedAt));
            } else {
                batch.deadLetter(item.raw(), DeadLetterReason.MALFORMED_JSON, item.error());
            }
        }
        publish(ctx, batch, receivedAt);
    }

    /** Auth0 Actions calling an API-Gateway-style URL: GET ?topic=&subject=&message=, x-api-key header. */
    private void actions(Context ctx) {
        authenticate(ctx, config.actionsAuth(), "Auth0 Actions");
        Instant receivedAt = clock.instant();
        String topic = ctx.queryParam("topic");
        String subject = ctx.queryParam("subject");
        String message = ctx.queryParam("message");
        if (message == null) {
            throw ApiError.malformed(
                    "the \"message\" query parameter is required (URL-encoded JSON with username, email, user_id)");
        }
        IngestBatch batch = new IngestBatch(SOURCE_ACTIONS, admission);
        batch.add(
                Optional.ofNullable(ctx.queryString()).orElse(""),
                () -> ActionsNormalizer.normalize(topic, subject, message, SOURCE_ACTIONS, receivedAt));
        publish(ctx, batch, receivedAt);
    }

    /** EventBridge PutEvents (AWS JSON 1.1, SigV4): apps using the AWS SDK or CLI only change the endpoint URL. */
    private void putEvents(Context ctx) {
        Optional<SigV4Verifier> enabled = putEventsVerifier;
        if (enabled.isEmpty()) {
            refuseAfterDiscardingBody(
                    ctx,
                    new AwsError(
                            400,
                            "UnknownOperationException",
                            "PutEvents is not enabled on this gateway (set PUTEVENTS_ACCESS_KEYS)"));
            return;
        }
        SigV4Verifier verifier = enabled.get();
        if (!PUT_EVENTS_TARGET.equals(ctx.header("X-Amz-Target"))) {
            refuseAfterDiscardingBody(
                    ctx,
                    new AwsError(
                            400,
                            "UnknownOperationException",
                            "only " + PUT_EVENTS_TARGET + " is supported, got X-Amz-Target: "
                                    + Optional.ofNullable(ctx.header("X-Amz-Target"))
                                            .orElse("(none)")));
            return;
        }
        // What the headers alone refuse is refused before the body is read (see SigV4Verifier.checkHeaders).
        try {
            verifier.checkHeaders(ctx::header);
        } catch (SigV4Verifier.Rejected e) {
            refuseAfterDiscardingBody(ctx, new AwsError(403, e.code(), e.getMessage()));
            return;
        }
        byte[] body = body(ctx);
        SigV4Verifier.Signer signer;
        try {
            signer = verifier.verify(new SigV4Verifier.SignedRequest(
                    ctx.method().name(), ctx.path(), ctx.queryString(), ctx::header, body));
        } catch (SigV4Verifier.Rejected e) {
            throw new AwsError(403, e.code(), e.getMessage());
        }
        Instant receivedAt = clock.instant();
        IngestBatch batch = new IngestBatch(SOURCE_PUT_EVENTS, admission);
        ArrayNode results = JSON.createArrayNode();
        int failed = 0;
        for (PutEventsRequest.Entry entry : PutEventsRequest.parse(body, signer.region(), receivedAt)) {
            String problem = entry.accepted()
                    ? batch.add(
                            entry.raw(),
                            () -> EventBridgeNormalizer.normalizeApplication(
                                    entry.envelope(), entry.raw(), SOURCE_PUT_EVENTS, receivedAt))
                    : null;
            if (!entry.accepted()) {
                batch.deadLetter(
                        entry.raw(), DeadLetterReason.INVALID_EVENT, entry.errorCode() + ": " + entry.errorMessage());
                results.addObject().put("ErrorCode", entry.errorCode()).put("ErrorMessage", entry.errorMessage());
                failed++;
            } else if (problem != null) {
                results.addObject().put("ErrorCode", "InvalidArgument").put("ErrorMessage", problem);
                failed++;
            } else {
                results.addObject().put("EventId", entry.eventId());
            }
        }
        ObjectNode answer = JSON.createObjectNode().put("FailedEntryCount", failed);
        answer.set("Entries", results);
        publish(
                ctx,
                batch,
                () -> {
                    ctx.status(200).contentType(AMZ_JSON).result(answer.toString());
                    metrics.request(routeOf(ctx), 200);
                },
                () -> {
                    metrics.reject(routeOf(ctx), "ServiceUnavailableException");
                    awsError(
                            ctx, 503, "ServiceUnavailableException", "the events could not be stored right now; retry");
                },
                receivedAt);
    }

    private void awsError(Context ctx, int status, String type, String message) {
        ctx.status(status)
                .contentType(AMZ_JSON)
                .header("x-amzn-ErrorType", type)
                .result(JSON.createObjectNode()
                        .put("__type", type)
                        .put("message", message)
                        .toString());
        metrics.request(routeOf(ctx), status);
    }

    static void authenticate(Context ctx, Optional<RouteAuth> auth, String routeName) {
        Optional<ApiError> refused = refusal(ctx, auth, routeName);
        if (refused.isPresent()) {
            throw refused.get();
        }
    }

    /** Why the request's headers do not let it in (the route is off, or its credentials are wrong); empty when they do. */
    static Optional<ApiError> refusal(Context ctx, Optional<RouteAuth> auth, String routeName) {
        if (auth.isEmpty()) {
            return Optional.of(new ApiError(
                    404, "route_disabled", "the " + routeName + " route is not configured on this gateway"));
        }
        RouteAuth expected = auth.get();
        if (!expected.accepts(ctx)) {
            return Optional.of(ApiError.unauthorized(
                    "missing or wrong credentials for the " + routeName + " route: expected " + expected.describe()));
        }
        return Optional.empty();
    }

    /**
     * Answers a refused request once its body is dropped unread ({@link BodyDiscard}), or after
     * {@link #REFUSED_BODY_WAIT} if it is still coming, and closes the connection after: a sender
     * without credentials is not kept alive, and one trickling its body holds a connection for
     * that long at most, no thread at all.
     */
    void refuseAfterDiscardingBody(Context ctx, RuntimeException refusal) {
        ctx.header("Connection", "close");
        ctx.future(() -> BodyDiscard.discard(ctx.req(), Math.max(config.maxBodyBytes(), SWALLOW_LIMIT))
                .completeOnTimeout(-1L, REFUSED_BODY_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(dropped -> {
                    throw refusal;
                }));
    }

    /**
     * The body of an authenticated request, bounded by the body limit and by the body deadline
     * ({@link BodyDeadline}).
     */
    byte[] body(Context ctx) {
        long declared = ctx.contentLength();
        if (declared > config.maxBodyBytes()) {
            swallow(ctx);
            throw ApiError.tooLarge(config.maxBodyBytes());
        }
        byte[] body;
        try {
            body = ctx.bodyAsBytes();
        } catch (HttpResponseException e) {
            // A chunked body declares no length: Javalin finds it too large while reading, and its
            // own answer would be plain text.
            if (e.getStatus() == 413) {
                throw ApiError.tooLarge(config.maxBodyBytes());
            }
            throw e;
        } catch (Exception e) {
            if (causedBy(e, BodyDeadline.BodyTimeoutException.class)) {
                ctx.header("Connection", "close");
                throw new ApiError(
                        408,
                        "body_timeout",
                        "the request body did not arrive within "
                                + config.bodyTimeout().toMillis() + " ms of its headers (GATEWAY_BODY_TIMEOUT_MS)");
            }
            // The client hung up or went quiet mid-body: its problem, not a server error to log with a stack.
            if (causedByIo(e)) {
                throw new ApiError(
                        400,
                        "incomplete_body",
                        "the request body did not arrive in full (connection closed, " + "or nothing received for "
                                + config.idleTimeout().toMillis() + " ms)");
            }
            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
        }
        if (body.length > config.maxBodyBytes()) {
            throw ApiError.tooLarge(config.maxBodyBytes());
        }
        return body;
    }

    private static boolean causedByIo(Throwable e) {
        return causedBy(e, IOException.class) || causedBy(e, TimeoutException.class);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads and drops an oversized body (up to {@link #SWALLOW_LIMIT}, as Tomcat's maxSwallowSize
     * does) so the client, still sending, gets the 413 instead of a reset connection.
     */
    private static void swallow(Context ctx) {
        try (var in = ctx.req().getInputStream()) {
            byte[] buffer = new byte[8192];
            long total = 0;
            int n;
            while (total < SWALLOW_LIMIT && (n = in.read(buffer)) >= 0) {
                total += n;
            }
        } catch (IOException e) {
            // The client went away: nothing left to answer.
        }
    }

    private void publish(Context ctx, IngestBatch batch, Instant receivedAt) {
        publish(
                ctx,
                batch,
                () -> answer(
                        ctx,
                        200,
                        JSON.createObjectNode()
                                .put("accepted", batch.events.size())
                                .put("deadLettered", batch.deadLetters.size())),
                () -> {
                    ctx.header("Retry-After", Integer.toString(config.retryAfterSeconds()));
                    reject(
                            ctx,
                            503,
                            "unavailable",
                            "the events could not be stored right now; retry after " + config.retryAfterSeconds()
                                    + " s");
                },
                receivedAt);
    }

    /**
     * Answers with {@code accepted} once Kafka acked everything, else with {@code unavailable}
     * (503: the sender retries), or 413 when a record is too large for Kafka to take: retrying
     * that would never succeed.
     */
    private void publish(Context ctx, IngestBatch batch, Runnable accepted, Runnable unavailable, Instant receivedAt) {
        int largest = batch.largestDeadLetter();
        if (largest + DEAD_LETTER_OVERHEAD > publisher.maxRecordBytes()) {
            throw tooLargeToKeep(
                    "an event of the request (" + largest + " bytes) is too large for Kafka to keep, even on the "
                            + "dead-letter topic (at most " + (publisher.maxRecordBytes() - DEAD_LETTER_OVERHEAD)
                            + " bytes); nothing was "
                            + "published: send it in smaller events");
        }
        long started = System.nanoTime();
        ctx.future(() -> publisher
                .publish(batch.events, batch.deadLetters, receivedAt)
                .orTimeout(config.ackTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((ok, failure) -> {}, answers)
                .handle((ok, failure) -> {
                    if (failure == null) {
                        metrics.ackLatency(routeOf(ctx), Duration.ofNanos(System.nanoTime() - started));
                        metrics.published(batch.events, batch.source());
                        metrics.deadLettered(batch.deadLetters, batch.source());
                        accepted.run();
                        return null;
                    }
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause()
                            : failure;
                    if (causedBy(cause, RecordTooLargeException.class)) {
                        LOG.warn("Kafka refused a record of the request as too large: {}", cause.getMessage());
                        ApiError tooLarge = tooLargeToKeep(
                                "Kafka refused a record of the request as too large for its topic "
                                        + "(the topic's max.message.bytes is below the gateway's limits); retrying will not help");
                        reject(ctx, tooLarge.status(), tooLarge.code(), tooLarge.getMessage());
                        return null;
                    }
                    LOG.warn(
                            "Kafka did not take {} events and {} dead letters: {}",
                            batch.events.size(),
                            batch.deadLetters.size(),
                            cause instanceof TimeoutException
                                    ? "no ack within " + config.ackTimeout().toMillis() + " ms"
                                    : cause.toString());
                    unavailable.run();
                    return null;
                }));
    }

    private static ApiError tooLargeToKeep(String message) {
        return new ApiError(413, "record_too_large", message);
    }

    void answer(Context ctx, int status, ObjectNode body) {
        ctx.status(status).contentType("application/json").result(body.toString());
        metrics.request(routeOf(ctx), status);
    }

    /** A refused request: counted by reason, answered with a JSON error. */
    void reject(Context ctx, int status, String code, String message) {
        metrics.reject(routeOf(ctx), code);
        error(ctx, status, code, message);
    }

    /** Known paths only, so a scan of random URLs cannot grow the metric label set. */
    private static String routeOf(Context ctx) {
        if (KNOWN_ROUTES.contains(ctx.path())) {
            return ctx.path();
        }
        // The admin routes hold ids in their paths: counted together, so the label set stays fixed.
        return ctx.path().startsWith(ProvisioningRoutes.ADMIN) ? ProvisioningRoutes.ADMIN : "other";
    }

    private void error(Context ctx, int status, String code, String message) {
        answer(ctx, status, JSON.createObjectNode().put("error", code).put("message", message));
    }
}
