package io.authstream.gateway.http;

import io.authstream.gateway.publish.DeadLetter;
import io.authstream.gateway.publish.EncodedEvent;
import io.authstream.normalize.AppEvents;
import io.authstream.normalize.Auth0LogTypes;
import io.authstream.schemas.deadletter.DeadLetterReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * What the gateway counts, exposed at {@code /metrics} in Prometheus text format: requests by
 * route and status, events by source and type, dead letters by source and reason, rejects by
 * reason (every label from a fixed set, so no sender can grow the series), and
 * the time from receipt to Kafka's last ack per request; when each open route last published an
 * event ({@code authstream_gateway_last_event_timestamp_seconds{source}}, the gateway's start until
 * the first, so that a source silent since the start shows as silent); open connections and those closed at the
 * header deadline; and the process's heap, threads and file descriptors, which is what a flood
 * of connections or bodies would use up.
 */
public final class GatewayMetrics {

    private static final Set<String> KNOWN_TYPES = knownTypes();

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /*
     * The meters by their labels, looked up once: building and registering a meter on every
     * request (a Meter.Id, its sorted tags, the registry's map) showed in the load bench's JFR
     * profile. Every label comes from a fixed set, so these stay small.
     */
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejects = new ConcurrentHashMap<>();
    private final Map<String, Counter> eventCounters = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLetterCounters = new ConcurrentHashMap<>();
    private final Map<String, Timer> ackLatencies = new ConcurrentHashMap<>();
    /** Epoch milliseconds of each source's last published event; the sources are the routes' fixed names. */
    private final Map<String, AtomicLong> lastEvents = new ConcurrentHashMap<>();

    private final Clock clock;

    public GatewayMetrics() {
        this(Clock.systemUTC());
    }

    public GatewayMetrics(Clock clock) {
        this.clock = clock;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    public void request(String route, int status) {
        requestCounter(route, status).increment();
    }

    /**
     * Shows the {@code status} answers of {@code routes} from now, at 0: an alert on a share of
     * them (deploy/prometheus/alerts.yml reads the 503s) then sees the first ones too, where a
     * series that only appears with them would lose their first increase.
     */
    public void answers(Collection<String> routes, int status) {
        routes.forEach(route -> requestCounter(route, status));
    }

    private Counter requestCounter(String route, int status) {
        return requests.computeIfAbsent(
                route + ' ' + status,
                k -> Counter.builder("authstream.gateway.requests")
                        .description("HTTP requests by route and answer status")
                        .tag("route", route)
                        .tag("status", Integer.toString(status))
                        .register(registry));
    }

    public void reject(String route, String reason) {
        rejects.computeIfAbsent(
                        route + ' ' + reason,
                        k -> Counter.builder("authstream.gateway.rejects")
                                .description("Requests refused before publishing, by reason")
                                .tag("route", route)
                                .tag("reason", reason)
                                .register(registry))
                .increment();
    }

    /**
     * Reports the last event time of each of {@code sources} (the routes that are on) from now, so
     * that a source that never sends shows as silent since the gateway started.
     */
    public void sources(Collection<String> sources) {
        long now = clock.millis();
        sources.forEach(source -> lastEvent(source).accumulateAndGet(now, Math::max));
    }

    private AtomicLong lastEvent(String source) {
        return lastEvents.computeIfAbsent(source, s -> {
            AtomicLong millis = new AtomicLong();
            // The map holds the number strongly; the gauge's weak reference is enough.
            Gauge.builder("authstream.gateway.last.event.timestamp", millis, m -> m.get() / 1000.0)
                    .description("When the source last had an event published (epoch seconds); the gateway's start "
                            + "until its first")
                    .baseUnit("seconds")
                    .tag("source", s)
                    .register(registry);
            return millis;
        });
    }

    public void published(List<EncodedEvent> events, String source) {
        if (!events.isEmpty()) {
            lastEvent(source).accumulateAndGet(clock.millis(), Math::max);
        }
        // One counter look-up per type in the request, not per event: a 100-event body is mostly one type.
        Map<String, Integer> perType = new HashMap<>();
        for (EncodedEvent event : events) {
            perType.merge(typeLabel(event.type()), 1, Integer::sum);
        }
        perType.forEach((type, count) -> eventCounters
                .computeIfAbsent(
                        source + ' ' + type,
                        k -> Counter.builder("authstream.gateway.events")
                                .description("Events published to auth.events.raw")
                                .tag("source", source)
                                .tag("type", type)
                                .register(registry))
                .increment(count));
    }

    public void deadLettered(List<DeadLetter> deadLetters, String source) {
        Map<DeadLetterReason, Integer> perReason = new EnumMap<>(DeadLetterReason.class);
        for (DeadLetter deadLetter : deadLetters) {
            perReason.merge(deadLetter.reason(), 1, Integer::sum);
        }
        perReason.forEach((reason, count) -> deadLetterCounters
                .computeIfAbsent(
                        source + ' ' + reason.code(),
                        k -> Counter.builder("authstream.gateway.dead.letters")
                                .description("Events sent to auth.events.deadletter, by reason")
                                .tag("source", source)
                                .tag("reason", reason.code())
                                .register(registry))
                .increment(count));
    }

    /**
     * The type as a label: a type that senders choose (an app's detail-type, an unmapped Auth0
     * code) would otherwise add a time series per value, which a hostile sender could grow without
     * bound. Every type authstream normalises to is its own label; the rest count as {@code other}.
     */
    static String typeLabel(String type) {
        return KNOWN_TYPES.contains(type) ? type : "other";
    }

    public void ackLatency(String route, Duration latency) {
        ackLatencies
                .computeIfAbsent(
                        route,
                        k -> Timer.builder("authstream.gateway.ack.latency")
                                .description("Receipt to the last Kafka ack of a request")
                                .tag("route", route)
                                .publishPercentileHistogram()
                                .register(registry))
                .record(latency);
    }

    /** Counts a connection closed because its request headers were not complete in time. */
    public void headerTimeout() {
        Counter.builder("authstream.gateway.header.timeouts")
                .description(
                        "Connections closed because their request headers were not complete within the header timeout")
                .register(registry)
                .increment();
    }

    /** Reports {@code count} as the number of open connections (against {@code GATEWAY_MAX_CONNECTIONS}). */
    public void openConnections(IntSupplier count) {
        // Held strongly: a gauge keeps only a weak reference by default, and nothing else holds the supplier.
        Gauge.builder("authstream.gateway.connections", count, IntSupplier::getAsInt)
                .strongReference(true)
                .description("Open HTTP connections")
                .register(registry);
    }

    private static Set<String> knownTypes() {
        Set<String> types = new HashSet<>(Auth0LogTypes.normalisedTypes());
        types.addAll(AppEvents.APP_TYPES);
        types.addAll(Set.of("user.created", "user.updated", "user.deleted", "auth0.action"));
        return Set.copyOf(types);
    }

    public String scrape() {
        return registry.scrape();
    }
}
