package io.authstream.streams.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.schemas.avro.AuthEvent;
import io.authstream.streams.TopologyFixtures;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class OrderedLatencyTest {

    private static AuthEvent receivedAt(Instant at) {
        return AuthEvent.newBuilder(TopologyFixtures.event("e", "u", 0))
                .setReceivedAt(at)
                .build();
    }

    @Test
    void recordsReceiptToNowAsAHistogramWithBucketsAroundTheGraceAndNothingBeforeItIsBound() {
        Instant now = Instant.parse("2026-01-01T00:00:10Z");
        OrderedLatency latency = new OrderedLatency(Clock.fixed(now, ZoneOffset.UTC));
        latency.ordered(receivedAt(now.minusSeconds(60)));

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        latency.bindTo(registry);
        latency.ordered(receivedAt(now.minusMillis(5_200)));
        latency.ordered(receivedAt(now.minusMillis(800)));
        // A sender's clock ahead of ours: counted as no wait, not as a negative one.
        latency.ordered(receivedAt(now.plusSeconds(3)));

        String scrape = registry.scrape();
        assertThat(scrape)
                .contains("# TYPE authstream_streams_end_to_end_latency_seconds histogram")
                .contains("authstream_streams_end_to_end_latency_seconds_count 3")
                .contains("authstream_streams_end_to_end_latency_seconds_sum 6.0")
                .contains("authstream_streams_end_to_end_latency_seconds_bucket{le=\"1.0\"} 2")
                .contains("authstream_streams_end_to_end_latency_seconds_bucket{le=\"5.0\"} 2")
                .contains("authstream_streams_end_to_end_latency_seconds_bucket{le=\"5.5\"} 3")
                .contains("authstream_streams_end_to_end_latency_seconds_bucket{le=\"+Inf\"} 3");
    }
}
