package io.authstream.streams.order;

import io.authstream.schemas.avro.AuthEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end latency: from an event's receipt ({@code receivedAt}, set by the gateway or the
 * logs source) to its release onto auth.events.ordered, after dedup, the reorder grace and
 * enrichment; a Prometheus histogram, {@code authstream_streams_end_to_end_latency_seconds}, with
 * buckets around the grace (5 s by default), so its quantiles can be alerted on. Consumers read
 * an event once its transaction commits, at most the commit interval later. Until
 * {@link #bindTo} nothing is recorded (tests that do not look at it).
 */
public final class OrderedLatency implements MeterBinder {

    /** Seconds: the grace dominates (events wait for it in the reorder buffer), then the tail of a backlog. */
    static final Duration[] BUCKETS = Arrays.stream(
                    new double[] {0.1, 0.25, 0.5, 1, 2, 3, 4, 5, 5.5, 6, 7.5, 10, 15, 20, 30, 60, 120, 300, 600, 1800})
            .mapToObj(seconds -> Duration.ofMillis(Math.round(seconds * 1000)))
            .toArray(Duration[]::new);

    private final Clock clock;
    private volatile Timer timer;

    public OrderedLatency(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        timer = Timer.builder("authstream.streams.end.to.end.latency")
                .description("Receipt (receivedAt) to release onto auth.events.ordered")
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    /** Records {@code event}'s time from receipt to now; an event received "after" now (a skewed clock) counts as 0. */
    public void ordered(AuthEvent event) {
        Timer bound = timer;
        if (bound != null) {
            long millis = clock.millis() - event.getReceivedAt().toEpochMilli();
            bound.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
        }
    }
}
